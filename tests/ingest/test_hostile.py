"""Hostile and broken input: a clear error naming the file and the rule, and nothing written."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent
from layers.models import Parcel
from plans.ingest.pipeline import PlanOptions, import_parcels, import_plan
from plans.ingest.vector import ParcelMapping, ZoneMapping
from plans.models import Plan, PlanZone
from tests.ingest.conftest import fixture, pog_testowa

PLAN_CASES = {
    "xml_bomb.gml": "xml.doctype_forbidden",
    "xml_external_entity.gml": "xml.doctype_forbidden",
    "not_app.gml": "app.not_app",
    "not_well_formed.gml": "xml.syntax",
    "empty.gml": "file.empty",
    "empty.geojson": "file.empty",
    "zip_bomb.zip": "zip.bomb",
    "zip_traversal.zip": "zip.path_traversal",
    "shp_without_prj.zip": "crs.missing",
    "mixed_geometry.geojson": "geometry.mixed_types",
    "wrong_encoding.geojson": "file.encoding",
    "shp_wrong_encoding.zip": "file.encoding",
}


def _nothing_written() -> None:
    assert not Plan.objects.filter(municipality__slug="testowa").exists()
    assert not PlanZone.objects.filter(municipality__slug="testowa").exists()
    assert not Parcel.objects.filter(municipality__slug="testowa").exists()
    assert not AuditEvent.objects.filter(action__in=["plan.import", "parcel.import"]).exists()


@pytest.mark.parametrize("name,rule", sorted(PLAN_CASES.items()))
def test_a_plan_import_rejects_hostile_input(gmina_testowa, name, rule):
    polish = name.endswith(".zip")  # the shapefiles name their columns in Polish (dBase: 10 chars)
    mapping = ZoneMapping(designation="oznaczenie", name="nazwa") if polish else ZoneMapping()
    options = PlanOptions(mapping=mapping)
    report, plan = import_plan(municipality=gmina_testowa, paths=[fixture(name)], options=options)
    assert plan is None and report.status == "rejected"
    finding = report.errors[0]
    assert finding.rule == rule, report.as_text()
    assert finding.file == name and finding.message
    _nothing_written()


@pytest.mark.parametrize("name,rule", sorted(PLAN_CASES.items()))
def test_a_parcel_import_rejects_hostile_input(gmina_testowa, name, rule):
    if rule == "app.not_app":
        rule = "egib.no_parcels"
    mapping = ParcelMapping(identifier="oznaczenie") if name.endswith(".zip") else None
    if name == "shp_wrong_encoding.zip":  # only the columns read are decoded: read the bad one
        mapping = ParcelMapping(identifier="nazwa")
    if name == "mixed_geometry.geojson":
        mapping = ParcelMapping(identifier="designation")
    report = import_parcels(municipality=gmina_testowa, paths=[fixture(name)], mapping=mapping)
    assert report.status == "rejected" and report.errors[0].rule == rule, report.as_text()
    _nothing_written()


def test_the_external_entity_is_never_resolved(gmina_testowa):
    report, _plan = import_plan(
        municipality=gmina_testowa, paths=[fixture("xml_external_entity.gml")]
    )
    assert "root:" not in str(report.as_dict())


def test_a_file_larger_than_the_limit_is_refused(gmina_testowa, settings):
    settings.IMPORT_MAX_BYTES = 10_000
    report, _plan = import_plan(
        municipality=gmina_testowa,
        paths=[
            pog_testowa("AktPlanowaniaPrzestrzennego.gml"),
            pog_testowa("StrefaPlanistyczna_OK.gml"),
        ],
    )
    assert report.errors[0].rule == "file.too_large"
    assert report.errors[0].file == "StrefaPlanistyczna_OK.gml"
    _nothing_written()


def test_a_broken_file_among_good_ones_stops_the_whole_import(gmina_testowa):
    report, plan = import_plan(
        municipality=gmina_testowa,
        paths=[
            pog_testowa("AktPlanowaniaPrzestrzennego.gml"),
            pog_testowa("StrefaPlanistyczna_OK.gml"),
            fixture("xml_bomb.gml"),
        ],
    )
    assert plan is None and "xml.doctype_forbidden" in report.rules()
    _nothing_written()


def test_zones_without_their_act_are_rejected(gmina_testowa):
    report, plan = import_plan(
        municipality=gmina_testowa, paths=[pog_testowa("StrefaPlanistyczna_OK.gml")]
    )
    assert plan is None and "app.no_act" in report.rules()
