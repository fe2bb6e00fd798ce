"""A dry run shows everything read, even from files without the act (APP 3.0, register-style)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from plans.ingest.pipeline import PlanOptions, import_plan
from plans.models import Plan
from tests.conftest import fixture_path

ZONE_BOXES = {
    "1SJ": [524000.0, 271000.0, 524100.0, 271200.0],
    "2SU": [524100.0, 271000.0, 524200.0, 271200.0],
}


def register(name: str):
    return fixture_path("register", name)


def dry_run(*names: str, extra: tuple[str, ...] = ()) -> dict:
    out = io.StringIO()
    try:
        call_command(
            "import_plan",
            "--municipality",
            "testowa",
            "--dry-run",
            "--json",
            *extra,
            *(str(register(n)) for n in names),
            stdout=out,
        )
    except SystemExit:
        pass
    except Exception as exc:  # CommandError of a rejected report: the JSON is printed first
        if "returncode" not in dir(exc):
            raise
    return json.loads(out.getvalue())


@pytest.mark.parametrize("form", ["epsg-xml", "def-crs"])
def test_a_lone_zone_file_lists_its_zones_and_every_finding(gmina_testowa, form):
    report = dry_run(f"StrefaPlanistyczna_3_0_{form}.gml")
    features = {f["identifier"]: f for f in report["features"]}
    assert set(features) == {"1SJ", "2SU"}
    for designation, bbox in ZONE_BOXES.items():
        assert features[designation]["kind"] == "zone"
        assert features[designation]["bbox"] == bbox  # easting first whichever srsName form
        assert features[designation]["area_m2"] == 20000.0
    rules = {f["rule"] for f in report["findings"]}
    assert "app.no_act" in rules  # what is missing is named ...
    assert "pog.parameter_precision" in rules  # ... and what is wrong with the zones too
    assert "xsd.invalid" not in rules
    assert report["status"] == "rejected"


def test_a_lone_ouz_file_lists_the_area(gmina_testowa):
    report = dry_run("ObszarUzupelnieniaZabudowy_3_0.gml")
    assert [(f["identifier"], f["kind"], f["area_m2"], f["bbox"]) for f in report["features"]] == [
        ("OUZ1", "OUZ", 4800.0, [524020.0, 271020.0, 524080.0, 271100.0])
    ]
    assert [f["rule"] for f in report["findings"]] == ["app.no_act"]


def test_the_act_alone_lists_its_extent(gmina_testowa):
    report = dry_run("AktPlanowaniaPrzestrzennego_3_0.gml")
    assert report["status"] == "valid", report["findings"]
    assert [(f["identifier"], f["kind"], f["area_m2"], f["bbox"]) for f in report["features"]] == [
        ("1POG", "act", 40000.0, [524000.0, 271000.0, 524200.0, 271200.0])
    ]


def test_the_whole_set_reads_as_today_with_the_act_listed_first(gmina_testowa):
    report = dry_run(
        "AktPlanowaniaPrzestrzennego_3_0.gml",
        "StrefaPlanistyczna_3_0_epsg-xml.gml",
        "ObszarUzupelnieniaZabudowy_3_0.gml",
    )
    assert [f["kind"] for f in report["features"]] == ["act", "zone", "zone", "OUZ"]
    assert {f["rule"] for f in report["findings"]} == {"pog.parameter_precision"}


def test_zones_alone_are_checked_against_a_plan_in_the_portal(gmina_testowa):
    _report, plan = import_plan(
        municipality=gmina_testowa, paths=[register("AktPlanowaniaPrzestrzennego_3_0.gml")]
    )
    assert plan is not None
    for reference in (str(plan.pk), "1POG"):
        report = dry_run("StrefaPlanistyczna_3_0_def-crs.gml", extra=("--plan", reference))
        rules = {f["rule"] for f in report["findings"]}
        assert "app.no_act" not in rules and "plan.version_exists" not in rules
        assert "app.act_from_portal" in rules and "pog.parameter_precision" in rules
        assert report["summary"]["checked_against_plan"] == plan.pk


def test_zones_alone_default_to_the_gminas_pog_draft_and_write_nothing(gmina_testowa):
    _report, plan = import_plan(
        municipality=gmina_testowa, paths=[register("AktPlanowaniaPrzestrzennego_3_0.gml")]
    )
    report, written = import_plan(
        municipality=gmina_testowa,
        paths=[register("ObszarUzupelnieniaZabudowy_3_0.gml")],
        options=PlanOptions(
            act_plan=Plan.objects.for_municipality(gmina_testowa).current_pog_draft()
        ),
    )
    assert written is None and report.summary["checked_against_plan"] == plan.pk
    assert report.ok and Plan.objects.filter(municipality=gmina_testowa).count() == 1
