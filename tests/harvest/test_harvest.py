"""harvest_plans against a replayed register WFS: a whole POG over several pages, a no-op, failures."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from plans.models import HarvestSource, Plan, PlanZone, Regulation


def harvest(gmina, replay, *extra: str) -> dict:
    out = io.StringIO()
    call_command(
        "harvest_plans",
        "--municipality",
        gmina.slug,
        "--url",
        replay.base,
        "--json",
        *extra,
        stdout=out,
    )
    return json.loads(out.getvalue())


def test_a_harvest_imports_a_whole_pog_read_over_several_pages(gmina_testowa, replay):
    report = harvest(gmina_testowa, replay)
    assert report["status"] == "imported", report["findings"]
    plan = Plan.objects.get(municipality=gmina_testowa)
    assert (plan.kind, plan.local_id, plan.version_id) == ("POG", "1POG", "20260915T120000")
    zones = {z.designation: z for z in PlanZone.objects.filter(plan=plan)}
    assert sorted(zones) == ["1SJ", "2SU", "3SN"]
    # page 1 easting first (epsg.xml#2180), page 2 northing first (def/crs/EPSG/0/2180): same axes
    assert zones["1SJ"].geom.extent == pytest.approx((524000, 271000, 524100, 271200))
    assert zones["3SN"].geom.extent == pytest.approx((524100, 271100, 524200, 271200))
    assert zones["3SN"].geom.area == pytest.approx(10000.0)
    assert sorted(Regulation.objects.filter(plan=plan).values_list("local_id", flat=True)) == [
        "1POG-OUZ1",
        "1POG-OUZ2",
    ]
    kinds = {f["kind"] for f in report["features"]}
    assert kinds == {"act", "zone", "OUZ"}
    source = HarvestSource.objects.get(municipality=gmina_testowa)
    assert (source.url, source.kind, source.sync) == (replay.base, "pog", False)


def test_the_requests_filter_by_the_gmina_and_follow_the_pages(gmina_testowa, replay):
    harvest(gmina_testowa, replay, "--dry-run")
    features = [r for r in replay.requests if r.get("REQUEST") == "GetFeature"]
    pages = [(r["TYPENAMES"].split(":")[1], r.get("STARTINDEX")) for r in features]
    ours = [r for r in features if r is not features[pages.index(("StrefaPlanistyczna", "2"))]]
    assert len(ours) == 7  # six types, one more OUZ page; the zones' next link is the service's
    assert all("*/121201-POG</fes:Literal>" in r["FILTER"] for r in ours)
    assert all("app-pog:przestrzenNazw</fes:ValueReference>" in r["FILTER"] for r in ours)
    assert ("StrefaPlanistyczna", "2") in pages  # the next link
    assert ("ObszarUzupelnieniaZabudowy", "1") in pages  # numberMatched without a next link
    assert not Plan.objects.exists()


def test_a_second_harvest_of_the_same_version_is_a_no_op(gmina_testowa, replay):
    harvest(gmina_testowa, replay)
    report = harvest(gmina_testowa, replay)
    assert report["status"] != "rejected"
    assert "harvest.unchanged" in {f["rule"] for f in report["findings"]}
    assert report["summary"]["acts"][0]["result"] == "unchanged"
    assert Plan.objects.count() == 1


def test_a_newer_version_in_the_register_supersedes_the_harvested_one(gmina_testowa, replay):
    harvest(gmina_testowa, replay)
    replay.replace = {"20260915T120000": "20261101T120000"}
    report = harvest(gmina_testowa, replay)
    assert report["status"] == "imported", report["findings"]
    old, new = Plan.objects.order_by("pk")
    assert new.version_id == "20261101T120000"
    assert new.previous_version_id == old.pk


@pytest.mark.parametrize(
    ("fail", "says"),
    [
        ("500", "HTTP 500"),
        ("exception", "OperationProcessingFailed: database unavailable"),
        ("truncate", "not whole XML"),
        ("count", "half-delivered page"),
        ("slow", "no answer within 0.5 s"),
    ],
)
def test_a_failing_page_is_a_clear_error_and_nothing_is_written(gmina_testowa, replay, fail, says):
    replay.fail = fail
    with pytest.raises(CommandError) as caught:
        harvest(gmina_testowa, replay)
    message = str(caught.value)
    assert says in message
    assert "STARTINDEX=2" in message and replay.base in message  # the URL that failed
    assert not Plan.objects.exists()
    assert not HarvestSource.objects.exists()


def test_an_unreachable_service_is_named(gmina_testowa, replay):
    url = replay.base
    replay.shutdown()
    replay.server_close()
    with pytest.raises(CommandError, match="cannot be reached"):
        call_command("harvest_plans", "--municipality", gmina_testowa.slug, "--url", url)
    assert not Plan.objects.exists()
