"""APP namespaces 1.0/2.0/3.0, plan versions superseding each other, EGiB history and privacy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accounts.models import AuditEvent
from layers.models import Parcel
from plans.ingest.pipeline import PlanOptions, import_parcels, import_plan
from plans.models import Plan
from tests.ingest.conftest import fixture, pog_testowa

APP2 = "schemas/app/2.0"


def _as_version(
    tmp_path: Path, name: str, version: str, *, drop: str = "", replace: tuple[str, str] = ("", "")
) -> Path:
    text = pog_testowa(name).read_text(encoding="utf-8").replace(APP2, f"schemas/app/{version}")
    if drop:
        text = "\n".join(line for line in text.splitlines() if drop not in line)
    if replace[0]:
        text = text.replace(*replace)
    path = tmp_path / f"{version}-{name}"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_plan_in_the_app_3_0_namespace_imports(gmina_testowa, tmp_path):
    paths = [
        _as_version(tmp_path, n, "3.0")
        for n in ("AktPlanowaniaPrzestrzennego.gml", "StrefaPlanistyczna_OK.gml")
    ]
    report, plan = import_plan(municipality=gmina_testowa, paths=paths)
    assert report.findings == [], report.as_text()
    assert plan.zones.count() == 4


def test_an_app_1_0_act_validates_against_the_1_0_schema(gmina_testowa, tmp_path):
    act = _as_version(tmp_path, "AktPlanowaniaPrzestrzennego.gml", "1.0", drop="<app:modyfikacja>")
    report, plan = import_plan(municipality=gmina_testowa, paths=[act], options=PlanOptions())
    assert report.ok, report.as_text()
    assert plan.zones.count() == 0


def test_app_1_0_has_no_planning_zones_and_says_so(gmina_testowa, tmp_path):
    paths = [
        _as_version(tmp_path, "AktPlanowaniaPrzestrzennego.gml", "1.0"),
        _as_version(tmp_path, "StrefaPlanistyczna_OK.gml", "1.0"),
    ]
    report, plan = import_plan(municipality=gmina_testowa, paths=paths)
    assert plan is None
    messages = [f.message for f in report.errors if f.rule == "xsd.invalid"]
    assert any("modyfikacja" in m for m in messages)
    assert any("StrefaPlanistyczna is not an element of APP 1.0" in m for m in messages)


def test_an_invalid_namespace_and_version_id_are_named(gmina_testowa, tmp_path):
    act = _as_version(
        tmp_path,
        "AktPlanowaniaPrzestrzennego.gml",
        "2.0",
        replace=("<app:wersjaId>20250731T135628<", "<app:wersjaId>2025-07-31<"),
    )
    text = act.read_text().replace(
        "PL.ZIPPZP.1234/121201-POG</app:przestrzenNazw>",
        "PL.ZIPPZP.1234/12120-POG</app:przestrzenNazw>",
    )
    act.write_text(text)
    report, _plan = import_plan(
        municipality=gmina_testowa, paths=[act, pog_testowa("StrefaPlanistyczna_OK.gml")]
    )
    assert {"identifier.namespace", "identifier.version_id"} <= report.rules()


def test_a_plan_of_another_gmina_is_rejected(world):
    report, plan = import_plan(
        municipality=world.gmina_a,
        paths=[
            pog_testowa("AktPlanowaniaPrzestrzennego.gml"),
            pog_testowa("StrefaPlanistyczna_OK.gml"),
        ],
    )
    assert plan is None
    assert {"identifier.namespace_teryt", "position.outside_municipality"} & report.rules()


def test_a_new_version_supersedes_the_old_one_without_deleting_it(gmina_testowa, tmp_path):
    old_report, old = import_plan(
        municipality=gmina_testowa,
        paths=[
            pog_testowa("AktPlanowaniaPrzestrzennego.gml"),
            pog_testowa("StrefaPlanistyczna_OK.gml"),
        ],
        options=PlanOptions(publish=True),
    )
    assert old_report.ok
    Plan.objects.filter(pk=old.pk).update(status="legalForce")
    act = _as_version(
        tmp_path,
        "AktPlanowaniaPrzestrzennego.gml",
        "2.0",
        replace=("20250731T135628", "20260101T120000"),
    )
    text = act.read_text().replace(
        "ProcessStepGeneralValue/elaboration", "ProcessStepGeneralValue/legalForce"
    )
    act.write_text(text.replace("<app:obowiazujeOd>2025-08-15<", "<app:obowiazujeOd>2026-02-01<"))
    report, new = import_plan(
        municipality=gmina_testowa,
        paths=[act, pog_testowa("StrefaPlanistyczna_OK.gml")],
        options=PlanOptions(publish=True),
    )
    assert report.ok, report.as_text()
    old.refresh_from_db()
    assert new.previous_version == old and new.version_id == "20260101T120000"
    assert old.status == "obsolete" and str(old.in_force_to) == "2026-02-01"
    assert old.zones.count() == 4 and new.zones.count() == 4  # history kept whole
    change = AuditEvent.objects.get(action="plan.status_change")
    assert change.details == {"from": "legalForce", "to": "obsolete", "superseded_by": new.pk}
    assert change.municipality_id == gmina_testowa.pk and change.target == str(old)
    same_again, none = import_plan(
        municipality=gmina_testowa, paths=[act, pog_testowa("StrefaPlanistyczna_OK.gml")]
    )
    assert none is None and "plan.version_exists" in same_again.rules()


def test_egib_keeps_only_current_versions_and_no_personal_data(gmina_egib):
    report = import_parcels(
        municipality=gmina_egib, paths=[fixture("egib_current_schema_with_history.gml")]
    )
    assert report.ok, report.as_text()
    parcels = Parcel.objects.for_municipality(gmina_egib)
    assert list(parcels.values_list("identifier", flat=True)) == ["221101_1.0001.741"]
    parcel = parcels.get()
    assert str(parcel.registered_area_ha) == "0.1169"
    assert parcel.area_m2 == pytest.approx(1163.4, rel=0.003)  # the current geometry
    stored = json.dumps(report.as_dict(), ensure_ascii=False) + json.dumps(
        list(AuditEvent.objects.values("details", "target")), ensure_ascii=False, default=str
    )
    stored += str(list(Parcel.objects.values()))
    for secret in ("Kowalski", "80010112345", "GD1A/00012345/6", "Jan"):
        assert secret not in stored


def test_repair_makes_an_invalid_zone_valid_and_reports_it(gmina_testowa):
    report, plan = import_plan(
        municipality=gmina_testowa,
        paths=[
            pog_testowa("AktPlanowaniaPrzestrzennego.gml"),
            pog_testowa("StrefaPlanistyczna_SAMOPRZECIECIE-PIERSCIENIA.gml"),
        ],
        options=PlanOptions(repair=True),
    )
    assert report.ok and "geometry.repaired" in report.rules(), report.as_text()
    assert all(z.geom.valid for z in plan.zones.all())


def test_zones_outside_the_plan_boundary_are_named(gmina_testowa, tmp_path):
    zones = pog_testowa("StrefaPlanistyczna_OK.gml").read_text(encoding="utf-8")
    first_zone = zones.split("<gml:posList>")[1].split("</gml:posList>")[0]
    act_text = pog_testowa("AktPlanowaniaPrzestrzennego.gml").read_text(encoding="utf-8")
    head, rest = act_text.split("<gml:posList>", 1)
    act = tmp_path / "akt.gml"
    act.write_text(
        head + "<gml:posList>" + first_zone + "</gml:posList>" + rest.split("</gml:posList>", 1)[1],
        encoding="utf-8",
    )
    report, plan = import_plan(
        municipality=gmina_testowa, paths=[act, pog_testowa("StrefaPlanistyczna_OK.gml")]
    )
    outside = [f for f in report.errors if f.rule == "zone.outside_plan"]
    assert plan is None and len(outside) == 3
    assert {f.feature for f in outside} <= {"1SU", "1SZ", "1SP", "1SJ"}


def test_a_plan_reaching_outside_the_gmina_boundary_is_rejected(gmina_testowa):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    paths = [
        pog_testowa("AktPlanowaniaPrzestrzennego.gml"),
        pog_testowa("StrefaPlanistyczna_OK.gml"),
    ]
    report, plan = import_plan(municipality=gmina_testowa, paths=paths, dry_run=True)
    x0, y0, x1, y1 = (
        min(f.bbox[0] for f in report.features),
        min(f.bbox[1] for f in report.features),
        max(f.bbox[2] for f in report.features),
        max(f.bbox[3] for f in report.features),
    )
    half = Polygon.from_bbox((x0, y0, (x0 + x1) / 2, y1))
    gmina_testowa.boundary = MultiPolygon(half, srid=2180)
    gmina_testowa.save(update_fields=["boundary"])
    report, plan = import_plan(municipality=gmina_testowa, paths=paths)
    assert plan is None
    finding = next(f for f in report.errors if f.rule == "plan.outside_municipality")
    assert "Gmina Testowa" in finding.message


def test_a_parameter_given_twice_is_named(gmina_testowa, tmp_path):
    text = pog_testowa("StrefaPlanistyczna_OK.gml").read_text(encoding="utf-8")
    line = '<app:maksWysokoscZabudowy uom="m">15.5</app:maksWysokoscZabudowy>'
    assert line in text
    path = tmp_path / "twice.gml"
    path.write_text(text.replace(line, line + line, 1), encoding="utf-8")
    report, plan = import_plan(
        municipality=gmina_testowa, paths=[pog_testowa("AktPlanowaniaPrzestrzennego.gml"), path]
    )
    assert plan is None and {"pog.parameter_twice", "xsd.invalid"} <= report.rules()
    finding = next(f for f in report.errors if f.rule == "pog.parameter_twice")
    assert finding.feature == "1SJ" and "maksWysokoscZabudowy" in finding.message
