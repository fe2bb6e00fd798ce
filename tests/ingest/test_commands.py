"""The import_plan / import_parcels commands: report, --json, --dry-run and exit status."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import AuditEvent
from layers.models import Parcel
from plans.models import Plan
from tests.ingest.conftest import fixture, pog_testowa


def test_import_plan_prints_json_with_every_feature(gmina_testowa):
    out = io.StringIO()
    call_command(
        "import_plan",
        "--municipality",
        "testowa",
        "--json",
        "--dry-run",
        str(pog_testowa("AktPlanowaniaPrzestrzennego.gml")),
        str(pog_testowa("StrefaPlanistyczna_OK.gml")),
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["status"] == "valid" and report["findings"] == []
    assert {f["identifier"] for f in report["features"]} == {"1POG", "1SJ", "1SU", "1SZ", "1SP"}
    assert report["features"][0]["kind"] == "act"  # the act's extent, the plan boundary
    feature = report["features"][1]
    x0, y0, x1, y1 = feature["bbox"]
    assert feature["kind"] == "zone" and feature["area_m2"] > 0
    assert 150_000 < x0 < x1 < 900_000 and 100_000 < y0 < y1 < 800_000
    assert not Plan.objects.filter(municipality=gmina_testowa).exists()


def test_import_plan_writes_and_publishes_on_request(gmina_testowa):
    call_command(
        "import_plan",
        "--municipality",
        "testowa",
        "--publish",
        str(pog_testowa("AktPlanowaniaPrzestrzennego.gml")),
        str(pog_testowa("StrefaPlanistyczna_OK.gml")),
        stdout=io.StringIO(),
    )
    plan = Plan.objects.get(municipality=gmina_testowa)
    assert plan.is_published and plan.zones.count() == 4


def test_a_rejected_import_exits_non_zero_and_names_the_defect(gmina_testowa):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_plan",
            "--municipality",
            "testowa",
            str(pog_testowa("AktPlanowaniaPrzestrzennego.gml")),
            str(pog_testowa("StrefaPlanistyczna_NAKLADANIE.gml")),
            stdout=out,
        )
    assert caught.value.returncode == 1
    assert (
        "topology.overlap" in out.getvalue()
        and "StrefaPlanistyczna_NAKLADANIE.gml" in out.getvalue()
    )
    assert not Plan.objects.filter(municipality=gmina_testowa).exists()
    event = AuditEvent.objects.get(action="plan.import_rejected", municipality=gmina_testowa)
    assert event.details["errors"] == sum(event.details["rules"].values()) > 0
    assert "topology.overlap" in event.details["rules"]


def test_an_unknown_gmina_is_exit_status_2(db):
    with pytest.raises(CommandError) as caught:
        call_command("import_parcels", "--municipality", "nope", str(fixture("parcels.gpkg")))
    assert caught.value.returncode == 2


def test_import_parcels_from_a_geopackage(world):
    out = io.StringIO()
    call_command(
        "import_parcels",
        "--municipality",
        "gmina-a",
        "--json",
        str(fixture("parcels.gpkg")),
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["status"] == "imported" and len(report["features"]) == 5
    assert (
        Parcel.objects.for_municipality(world.gmina_a)
        .current()
        .filter(identifier__startswith="209901_2.0001.10")
        .count()
        == 5
    )
    # the precinct's other current parcels (12/3, 40) were superseded, not deleted
    assert Parcel.objects.filter(identifier="209901_2.0001.12/3", valid_to__isnull=False).exists()
