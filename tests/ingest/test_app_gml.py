"""APP GML plans: the real samples import, the defect files are rejected with their defect named."""

from __future__ import annotations

import pytest

from plans.ingest.pipeline import import_plan
from plans.models import Plan, PlanZone
from tests.conftest import fixture_path
from tests.ingest.conftest import pog_testowa

DEFECTS = {
    "StrefaPlanistyczna_BLEDNE-OZNACZENIE.gml": "zone.designation_symbol",
    "StrefaPlanistyczna_BLEDNY-SYMBOL.gml": "pog.symbol_kind_mismatch",
    "StrefaPlanistyczna_DUPLIKAT-LOKALNYID.gml": "zone.duplicate_local_id",
    "StrefaPlanistyczna_DUPLIKAT-OZNACZENIE.gml": "zone.duplicate_designation",
    "StrefaPlanistyczna_DWA-MIEJSCA-INTENSYWNOSC.gml": "pog.parameter_precision",
    "StrefaPlanistyczna_DWA-MIEJSCA-UDZIAL-BIO.gml": "pog.parameter_precision",
    "StrefaPlanistyczna_DWA-MIEJSCA-UDZIAL-ZABUDOWY.gml": "pog.parameter_precision",
    "StrefaPlanistyczna_DWA-MIEJSCA-WYS-ZABUDOWY.gml": "pog.parameter_precision",
    "StrefaPlanistyczna_LUKA.gml": "topology.gap",
    "StrefaPlanistyczna_NAKLADANIE.gml": "topology.overlap",
    "StrefaPlanistyczna_SAMOPRZECIECIE-PIERSCIENIA.gml": "geometry.invalid",
}
PARAMETER_OF = {
    "INTENSYWNOSC": "maksNadziemnaIntensywnoscZabudowy",
    "UDZIAL-BIO": "minUdzialPowierzchniBiologicznieCzynnej",
    "UDZIAL-ZABUDOWY": "maksUdzialPowierzchniZabudowy",
    "WYS-ZABUDOWY": "maksWysokoscZabudowy",
}


def test_it_imports_the_ok_sample_cleanly(gmina_testowa):
    report, plan = import_plan(
        municipality=gmina_testowa,
        paths=[
            pog_testowa("AktPlanowaniaPrzestrzennego.gml"),
            pog_testowa("StrefaPlanistyczna_OK.gml"),
        ],
    )
    assert report.findings == [], report.as_text()
    assert report.status == "imported"
    assert plan.kind == "POG" and plan.title == "Plan ogólny gminy Testowej"
    assert (plan.namespace, plan.local_id, plan.version_id) == (
        "PL.ZIPPZP.1234/121201-POG",
        "1POG",
        "20250731T135628",
    )
    zones = {z.designation: z for z in plan.zones.all()}
    assert set(zones) == {"1SJ", "1SU", "1SZ", "1SP"}
    sj = zones["1SJ"]
    assert sj.zone_kind == "SJ" and sj.max_height_m == 15.5 and sj.max_building_intensity == 0.9
    assert set(sj.profile) == {"MN", "U", "K", "ZP", "ZD", "I"}
    # the zones tile the act's extent
    assert sum(z.area_m2 for z in zones.values()) == pytest.approx(plan.boundary.area, rel=1e-6)
    assert not plan.is_published


@pytest.mark.parametrize("name,rule", sorted(DEFECTS.items()))
def test_it_rejects_each_defect_file_naming_the_defect(gmina_testowa, name, rule):
    report, plan = import_plan(
        municipality=gmina_testowa,
        paths=[pog_testowa("AktPlanowaniaPrzestrzennego.gml"), pog_testowa(name)],
    )
    assert plan is None and report.status == "rejected"
    assert rule in report.rules(), report.as_text()
    finding = next(f for f in report.errors if f.rule == rule)
    assert finding.file in (name, "AktPlanowaniaPrzestrzennego.gml") and finding.feature
    for suffix, parameter in PARAMETER_OF.items():
        if name.endswith(f"-{suffix}.gml"):
            assert parameter in finding.message
    assert not Plan.objects.filter(municipality=gmina_testowa).exists()
    assert (
        not PlanZone.objects.exists()
        or not PlanZone.objects.filter(municipality=gmina_testowa).exists()
    )


def test_it_imports_the_28_zone_sample_with_areas_and_positions(gmina_abc):
    folder = ("app-samples", "pog-abc-2176")
    report, plan = import_plan(
        municipality=gmina_abc,
        paths=[
            fixture_path(*folder, "AktPlanowaniaPrzestrzennego.gml"),
            fixture_path(*folder, "StrefaPlanistyczna.gml"),
        ],
    )
    assert report.ok, report.as_text()
    assert plan.zones.count() == 28
    assert len({z.zone_kind for z in plan.zones.all()}) == 12
    # positions: EPSG:2176 northing-first -> EPSG:2180 easting x
    x0, y0, x1, y1 = plan.boundary.extent
    assert 150_000 < x0 < x1 < 900_000 and 100_000 < y0 < y1 < 800_000
    for zone in plan.zones.all():
        assert zone.area_m2 == pytest.approx(zone.geom.area)
        assert plan.boundary.buffer(1).contains(zone.geom)
