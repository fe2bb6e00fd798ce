"""MPZP zones from GeoPackage / zipped Shapefile with an attribute mapping, and their provisions."""

from __future__ import annotations

import json

import pytest

from plans.ingest.pipeline import PlanOptions, import_plan
from plans.ingest.provisions import read_provisions
from plans.ingest.vector import ZoneMapping
from plans.models import Plan
from tests.conftest import fixture_path
from tests.ingest.conftest import fixture


def test_it_imports_mpzp_zones_from_a_geopackage(world, planner_a):
    report, plan = import_plan(
        municipality=world.gmina_a,
        paths=[fixture("mpzp_zones.gpkg")],
        options=PlanOptions(title="MPZP Zarzecze", kind="MPZP"),
        actor=planner_a,
    )
    assert report.ok, report.as_text()
    zones = {z.designation: z for z in plan.zones.all()}
    assert set(zones) == {"1MN", "1KDD", "2U"}
    assert zones["1MN"].area_m2 == pytest.approx(200 * 300)
    assert zones["1MN"].geom.extent == pytest.approx((751500, 598500, 751700, 598800))
    assert zones["2U"].symbol == "U" and zones["2U"].number == 2
    assert plan.boundary.area == pytest.approx(400 * 300)
    assert plan.title == "MPZP Zarzecze" and not plan.is_published


def test_a_zipped_shapefile_in_pl2000_lands_in_the_same_place(world):
    options = PlanOptions(
        title="MPZP z SHP", mapping=ZoneMapping(designation="oznaczenie", name="nazwa")
    )
    report, plan = import_plan(
        municipality=world.gmina_a, paths=[fixture("mpzp_zones_2179_shp.zip")], options=options
    )
    assert report.ok, report.as_text()
    zone = plan.zones.get(designation="1MN")
    assert zone.name == "zabudowa mieszkaniowa jednorodzinna"
    assert zone.geom.extent == pytest.approx((751500, 598500, 751700, 598800), abs=0.01)


def test_a_missing_mapping_attribute_is_named(world):
    report, _plan = import_plan(
        municipality=world.gmina_a,
        paths=[fixture("mpzp_zones.gpkg")],
        options=PlanOptions(mapping=ZoneMapping(designation="symbol")),
    )
    finding = report.errors[0]
    assert finding.rule == "mapping.missing_attribute" and "designation" in finding.message


def test_zones_of_another_gmina_are_rejected(world):
    report, plan = import_plan(municipality=world.gmina_b, paths=[fixture("mpzp_zones.gpkg")])
    assert plan is None and "position.outside_municipality" in report.rules()
    assert not Plan.objects.filter(municipality=world.gmina_b, title="mpzp_zones").exists()


def test_provisions_from_a_structured_json_file(world, tmp_path):
    path = tmp_path / "ustalenia.json"
    path.write_text(
        json.dumps(
            {"general": "§ 1. Przepisy ogólne.", "1MN": "§ 5. Teren 1MN …", "2U": "§ 6. Teren 2U …"}
        ),
        encoding="utf-8",
    )
    report, plan = import_plan(
        municipality=world.gmina_a,
        paths=[fixture("mpzp_zones.gpkg")],
        options=PlanOptions(provisions=path),
    )
    assert report.ok
    assert plan.general_provisions == "§ 1. Przepisy ogólne."
    assert plan.zones.get(designation="2U").provisions == "§ 6. Teren 2U …"
    missing = [f for f in report.findings if f.rule == "provisions.zone_without_text"]
    assert [f.feature for f in missing] == ["1KDD"] and missing[0].severity == "warning"


@pytest.mark.parametrize(
    "name,zones",
    [
        ("XLIV66110.htm", {"DJ.MN": "§ 12.", "DJ.MNU": "§ 13.", "DJ.KDD": "§ 14."}),
        ("X1312007.htm", {"1MN-U": "§ 9.", "2MN-U": "§ 9."}),
        ("XXIII34812.htm", {"Z3.MNU": "§ 10."}),
    ],
)
def test_a_windows_1250_resolution_splits_into_general_part_and_a_paragraph_per_zone(name, zones):
    provisions = read_provisions(fixture_path("mpzp-texts", name))
    assert set(provisions.zones) == set(zones)
    for designation, paragraph in zones.items():
        assert provisions.zones[designation].startswith(paragraph)
    assert "§ 1." in provisions.general and "Rozdział 1" in provisions.general
    # decoded as windows-1250: Polish letters intact, no mojibake
    text = provisions.general + "".join(provisions.zones.values())
    assert "ą" in text and "ł" in text and "Ä" not in text
    # nothing lost, nothing doubled: each § of the zones is not in the general part
    for body in provisions.zones.values():
        assert body not in provisions.general


def test_the_knurow_paragraphs_carry_their_zone_text():
    provisions = read_provisions(fixture_path("mpzp-texts", "XLIV66110.htm"))
    assert "teren komunikacji drogowej – droga dojazdowa" in provisions.zones["DJ.KDD"]
    assert "zabudowy mieszkaniowej jednorodzinnej" in provisions.zones["DJ.MN"]
    assert "§ 15." in provisions.general and "§ 11." in provisions.general


def test_provisions_are_matched_to_known_designations(world, tmp_path):
    provisions = read_provisions(
        fixture_path("mpzp-texts", "XLIV66110.htm"), designations=["DJ.KDD", "DJ.MN"]
    )
    assert set(provisions.zones) == {"DJ.KDD", "DJ.MN"}
    assert "§ 13." in provisions.general  # DJ.MNU is not a zone of this plan


def test_a_resolution_text_gives_each_zone_its_paragraph(world, tmp_path):
    """Zones DJ.MN, DJ.MNU, DJ.KDD (GeoJSON) with the Knurów resolution (windows-1250 HTML)."""
    x, y = 751_500.0, 598_500.0
    features = [
        {
            "type": "Feature",
            "properties": {"designation": d},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [x + i * 100, y],
                        [x + i * 100 + 100, y],
                        [x + i * 100 + 100, y + 100],
                        [x + i * 100, y + 100],
                        [x + i * 100, y],
                    ]
                ],
            },
        }
        for i, d in enumerate(["DJ.MN", "DJ.MNU", "DJ.KDD"])
    ]
    zones = tmp_path / "zones.geojson"
    zones.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": features,
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2180"}},
            }
        )
    )
    report, plan = import_plan(
        municipality=world.gmina_a,
        paths=[zones],
        options=PlanOptions(
            title="Rejon Dymka", provisions=fixture_path("mpzp-texts", "XLIV66110.htm")
        ),
    )
    assert report.ok and not [f for f in report.findings if f.rule.startswith("provisions")]
    kdd = plan.zones.get(designation="DJ.KDD")
    assert kdd.provisions.startswith("§ 14.") and "droga dojazdowa" in kdd.provisions
    assert plan.zones.get(designation="DJ.MN").provisions.startswith("§ 12.")
    assert plan.general_provisions.startswith("Uchwała Nr") and "§ 11." in plan.general_provisions
    assert "§ 12." not in plan.general_provisions
