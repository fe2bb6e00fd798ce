"""The import report page says where each problem is (file, feature, line, coordinates) and draws
the problems on a small offline map; its stage, progress and feature kinds are in the reader's
language."""

from __future__ import annotations

import json

import pytest

from plans.ingest.pipeline import import_plan
from plans.ingest.report import point_in_reason
from plans.models import ImportJob
from tests.conftest import client_for
from tests.ingest.conftest import pog_testowa


def _job(gmina, planner, *zone_files: str) -> ImportJob:
    paths = [pog_testowa("AktPlanowaniaPrzestrzennego.gml")] + [pog_testowa(n) for n in zone_files]
    report, _plan = import_plan(municipality=gmina, paths=paths, dry_run=True)
    data = report.as_dict()
    data["features_total"] = len(data["features"])
    return ImportJob.objects.create(
        municipality=gmina,
        kind="plan",
        created_by=planner,
        folder="report-test",
        files=[p.name for p in paths],
        status=ImportJob.Status.VALID if report.ok else ImportJob.Status.REJECTED,
        report=data,
    )


def test_geos_reasons_name_the_point_of_the_defect():
    assert point_in_reason("Self-intersection[601234.5 512345.25]") == (601234.5, 512345.25)
    assert point_in_reason("Ring Self-intersection[1e5 -2.5]") == (100000.0, -2.5)
    assert point_in_reason("Valid Geometry") is None


@pytest.mark.django_db
def test_the_report_shows_where_each_problem_is_and_maps_it(gmina_testowa, planner_testowa):
    job = _job(gmina_testowa, planner_testowa, "StrefaPlanistyczna_NAKLADANIE.gml")
    overlaps = [f for f in job.report["findings"] if f["rule"] == "topology.overlap"]
    assert overlaps and all(f["point"] for f in overlaps)
    x, y = overlaps[0]["point"]
    assert 170_000 < x < 870_000 and 140_000 < y < 780_000  # EPSG:2180 over Poland

    response = client_for(planner_testowa).get(
        f"/testowa/import/{job.pk}/", headers={"accept-language": "pl"}
    )
    html = response.content.decode()
    assert f"x={x:.1f}".replace(".", ",") in html or f"x={x:.1f}" in html
    assert "(EPSG:2180)" in html and "° N" in html
    data = response.context["problem_map"]
    assert data["outline"] is None  # the test gmina has no boundary yet
    points = data["problems"]["features"]
    assert len(points) >= len(overlaps)
    lon, lat = points[0]["geometry"]["coordinates"]
    assert 14 < lon < 24.5 and 49 < lat < 55  # Poland, in EPSG:4326 for Leaflet
    assert 'id="problem-map-data"' in html and "js/import_report.js" in html
    assert "leaflet/leaflet.js" in html and "tile.openstreetmap" not in html
    assert (
        json.loads(
            html.split('id="problem-map-data" type="application/json">')[1].split("</script>")[0]
        )
        == data
    )


@pytest.mark.django_db
def test_a_clean_report_draws_no_map_and_names_kinds_in_polish(gmina_testowa, planner_testowa):
    job = _job(gmina_testowa, planner_testowa, "StrefaPlanistyczna_OK.gml")
    html = client_for(planner_testowa).get(
        f"/testowa/import/{job.pk}/", headers={"accept-language": "pl"}
    )
    assert html.context["problem_map"] is None
    kinds = {f["kind_label"] for f in html.context["features"]}
    assert "teren" in kinds and "zone" not in kinds


@pytest.mark.django_db
def test_the_progress_line_is_in_the_readers_language(gmina_testowa, planner_testowa):
    job = ImportJob.objects.create(
        municipality=gmina_testowa,
        kind="plan",
        created_by=planner_testowa,
        folder="x",
        status=ImportJob.Status.VALIDATING,
        stage="read",
        progress_done=0,
        progress_total=1,
    )
    client = client_for(planner_testowa)
    html = client.get(f"/testowa/import/{job.pk}/", headers={"accept-language": "pl"})
    text = html.content.decode()
    assert "wczytywanie plików" in text and "0 z 1" in text
    assert "read 0" not in text
    english = client.get(f"/testowa/import/{job.pk}/", headers={"accept-language": "en"})
    assert "reading the files" in english.content.decode()
