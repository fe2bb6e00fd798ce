"""The harvest pointed at another Plan Portal: gmina A's plan ogólny read from its own /<gmina>/ows.

A live server serves gmina A's POG (the export tests' demo-like plan) as APP 3.0 through its WFS
(``granice``, ``wektor-str``, ``wektor-pow`` with ``outputFormat`` app-3.0, page by page); the
harvest downloads it, gmina A is then dropped and a fresh gmina of the same TERYT imports the
download: the same plan, zones, OUZ/OZS/OSD and areas, and the resolution.
"""

from __future__ import annotations

import pytest

from layers.municipalities import create_municipality
from plans.ingest.harvest import download, import_harvest
from tests.ingest.test_app_export import snapshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_a_pog_harvested_from_a_portals_ows_imports_as_the_same_plan(
    live_server, demo_pog, tmp_path, settings
):
    settings.HARVEST_TIMEOUT_S = 60
    settings.HARVEST_PAGE_SIZE = 1  # every type over several pages, through the portal's next links
    before = snapshot(demo_pog)
    gmina = demo_pog.municipality
    acts = download(municipality=gmina, folder=tmp_path, url=f"{live_server.url}/{gmina.slug}/ows")
    assert [h.act.local_id for h in acts] == ["1POG"]
    teryt, name, slug = gmina.teryt, gmina.name, gmina.slug
    gmina.delete()
    fresh = create_municipality(teryt=teryt, name=name, slug=slug)
    report = import_harvest(municipality=fresh, folders=[acts[0].files])
    assert report.written, report.as_text()
    imported = fresh.plans.get()
    assert snapshot(imported) == before
    # the WFS's granice carries the resolution as DokumentFormalny (the plan-page export has all)
    assert set(imported.documents.values_list("local_id", flat=True)) == {"1POG-uchwala"}
