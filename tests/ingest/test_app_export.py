"""Export APP 3.0 for the register: schema-valid offline, and an import of it gives the same plan."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from layers.municipalities import create_municipality
from plans.app_export import export_app_gml, export_metadata
from plans.ingest.pipeline import import_plan
from plans.models import Plan, PlanDocument, Regulation
from tests.conftest import fixture_path, schema_path
from tests.factories import box, make_plan, make_zone
from tests.wfs.conftest import GML32_XSD, WFS20_XSD, assert_valid

APP3 = "https://www.gov.pl/static/zagospodarowanieprzestrzenne/schemas/app/3.0"
GMD = (
    "http://www.isotc211.org/2005/gmd",
    "http://schemas.opengis.net/iso/19139/20070417/gmd/gmd.xsd",
)
SAMPLES = {
    "pog-testowa-2178": (
        ("121201_2", "Gmina Testowa"),
        ["AktPlanowaniaPrzestrzennego.gml", "StrefaPlanistyczna_OK.gml"],
    ),
    "pog-abc-2176": (
        ("321202_2", "Gmina ABC"),
        ["AktPlanowaniaPrzestrzennego.gml", "StrefaPlanistyczna.gml"],
    ),
}


def app3_pair() -> tuple[str, str]:
    return (APP3, schema_path("app", "3.0", "planowaniePrzestrzenne_3_0.xsd").as_uri())


def assert_schema_valid(gml: bytes) -> None:
    assert_valid(gml, [WFS20_XSD, GML32_XSD, app3_pair()])


def snapshot(plan: Plan) -> dict:
    zones = {
        z.local_id or z.designation: (
            z.designation,
            z.symbol,
            z.zone_kind,
            z.name,
            sorted(z.profile),
            z.max_building_intensity,
            z.max_building_coverage_pct,
            z.max_height_m,
            z.min_biologically_active_pct,
            round(z.geom.area, 2),
        )
        for z in plan.zones.all()
    }
    regulations = {
        r.local_id: (r.kind, r.name, r.designation, round(r.geom.area, 2))
        for r in plan.regulations.all()
    }
    return {
        "plan": (
            plan.kind,
            plan.title,
            plan.status,
            plan.namespace,
            plan.local_id,
            plan.version_id,
            plan.resolution_number,
            plan.resolution_date,
            plan.in_force_from,
            round(plan.boundary.area, 2),
        ),
        "zones": zones,
        "regulations": regulations,
    }


def round_trip(plan: Plan, tmp_path) -> tuple[dict, Plan]:
    """Export, check the schema, drop the gmina, import into a fresh one of the same TERYT."""
    gmina = plan.municipality
    before = snapshot(plan)
    gml = export_app_gml(plan=plan)
    assert_schema_valid(gml)
    teryt, name, slug = gmina.teryt, gmina.name, gmina.slug
    gmina.delete()
    fresh = create_municipality(teryt=teryt, name=name, slug=slug)
    path = tmp_path / "plan.gml"
    path.write_bytes(gml)
    report, imported = import_plan(municipality=fresh, paths=[path])
    assert report.status == "imported", report.as_text()
    return before, imported


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_an_app_2_sample_exports_as_valid_app_3_and_imports_again_the_same(db, tmp_path, sample):
    (teryt, name), files = SAMPLES[sample]
    gmina = create_municipality(teryt=teryt, name=name, slug="gmina")
    report, plan = import_plan(
        municipality=gmina, paths=[fixture_path("app-samples", sample, f) for f in files]
    )
    assert plan is not None, report.as_text()
    before, imported = round_trip(plan, tmp_path)
    assert snapshot(imported) == before
    assert before["zones"]


@pytest.fixture
def demo_pog(db):
    """A plan ogólny like the demo's: zones, OUZ, OZS, OSD, the resolution and a drawing."""
    gmina = create_municipality(
        teryt="209901_2",
        name="Gmina A",
        slug="gmina-a",
        boundary=box(500000, 500000, 502000, 502000),
    )
    plan = make_plan(
        gmina,
        boundary=box(500000, 500000, 501000, 501000),
        kind=Plan.Kind.POG,
        title="Plan ogólny gminy A",
        namespace="PL.ZIPPZP.2099/209901-POG",
        local_id="1POG",
        version_id="20260101T120000",
        publication="Dz. Urz. Woj. 2024 poz. 1",
    )
    common = {"max_building_intensity": 0.8, "max_building_coverage_pct": 40.0}
    params = {**common, "max_height_m": 12.0, "min_biologically_active_pct": 30.0}
    make_zone(
        plan,
        "1SJ",
        box(500000, 500000, 500500, 501000),
        zone_kind="SJ",
        name="strefa wielofunkcyjna z zabudową mieszkaniową jednorodzinną",
        profile=["MN", "U", "ZP", "ZD", "K", "I"],
        local_id="1POG-1SJ",
        **params,
    )
    make_zone(
        plan,
        "2SN",
        box(500500, 500000, 501000, 501000),
        zone_kind="SN",
        name="strefa zieleni i rekreacji",
        profile=["ZP", "ZB", "W", "ZD", "K", "I"],
        local_id="1POG-2SN",
    )
    for kind, local, geom, parameters in (
        ("OUZ", "1POG-OUZ1", box(500100, 500100, 500300, 500300), {}),
        ("OZS", "1POG-OZS1", box(500100, 500500, 500300, 500700), {}),
        (
            "OSD",
            "1POG-OSD1",
            box(500000, 500000, 501000, 501000),
            {
                "wylaczenieZabudowyZagrodowej": "false",
                "odlegloscDoSzkolyPodstawowej": "1500",
                "odlegloscDoObszarowZieleniPublicznej": "1000",
                "powierzchniaLacznaObszarowZieleniPublicznej": "10000",
                "odlegloscDoObszaruZieleniPublicznej": "3000",
                "powierzchniaObszaruZieleniPublicznej": "20000",
            },
        ),
    ):
        Regulation.objects.create(
            municipality=gmina,
            plan=plan,
            kind=kind,
            name=f"obszar {kind}",
            designation=f"{kind}1",
            local_id=local,
            parameters=parameters,
            geom=geom,
        )
    PlanDocument.objects.create(
        municipality=gmina,
        plan=plan,
        kind=PlanDocument.Kind.DRAWING,
        title="Rysunek planu",
        local_id="1POG-rysunek",
        date=dt.date(2024, 1, 10),
        url="https://bip.example.pl/rysunek.pdf",
    )
    return plan


def test_a_demo_like_plan_ogolny_round_trips_with_its_areas_and_documents(demo_pog, tmp_path):
    before, imported = round_trip(demo_pog, tmp_path)
    after = snapshot(imported)
    assert after == before
    assert set(after["regulations"]) == {"1POG-OUZ1", "1POG-OZS1", "1POG-OSD1"}
    assert imported.publication == "Dz. Urz. Woj. 2024 poz. 1"
    documents = {d.local_id: d for d in imported.documents.all()}
    assert set(documents) == {"1POG-uchwala", "1POG-rysunek"}
    assert documents["1POG-uchwala"].kind == PlanDocument.Kind.RESOLUTION
    assert documents["1POG-rysunek"].url == "https://bip.example.pl/rysunek.pdf"
    osd = imported.regulations.get(kind="OSD")
    assert float(osd.parameters["odlegloscDoSzkolyPodstawowej"]) == 1500


def test_export_plan_writes_the_gml_and_a_valid_iso_19139_record(demo_pog, tmp_path):
    out = tmp_path / "pog.gml"
    call_command(
        "export_plan",
        "--municipality",
        "gmina-a",
        "--plan",
        "1POG",
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    assert_schema_valid(out.read_bytes())
    record = out.with_suffix(".iso19139.xml").read_bytes()
    assert_valid(record, [GMD])
    assert b"Plan og\xc3\xb3lny gminy A" in record
    assert export_metadata(plan=demo_pog).count(b"<gmd:EX_GeographicBoundingBox>") == 1
