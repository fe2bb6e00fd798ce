"""Plans as APP GML (3.0 by default, 2.0 on request), valid against the official schema offline."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from plans.models import Plan, Regulation
from tests.factories import box, make_plan, make_zone
from tests.wfs.conftest import WFS20_XSD, assert_valid, get

pytestmark = pytest.mark.django_db

APP = "https://www.gov.pl/static/zagospodarowanieprzestrzenne/schemas/app/"
X, Y = 751000.0, 598000.0


def app_xsd(version: str) -> tuple[str, str]:
    name = (
        "planowaniePrzestrzenne_3_0.xsd" if version == "3.0" else "planowaniePrzestrzenne_2_0.xsd"
    )
    return (APP + version, f"{APP}{version}/{name}")


@pytest.fixture
def pog(world):
    plan = make_plan(
        world.gmina_a,
        boundary=box(X, Y, X + 2000, Y + 2000),
        kind=Plan.Kind.POG,
        title="Plan ogólny Gminy A",
        namespace="PL.ZIPPZP.1234/209901-POG",
        local_id="1POG",
        version_id="20250102T101500",
        publication="Dz. Urz. Woj. Podl. z 2025 r. poz. 10",
        in_force_from=dt.date(2025, 2, 1),
    )
    make_zone(
        plan,
        "1SW",
        box(X, Y, X + 1000, Y + 2000),
        zone_kind="SW",
        profile=["MW", "U"],
        max_building_intensity=1.2,
        max_building_coverage_pct=40,
        max_height_m=16,
        min_biologically_active_pct=30,
        local_id="1POG-1SW",
    )
    two_parts = box(X + 1000, Y, X + 1500, Y + 900).union(
        box(X + 1600, Y + 1000, X + 2000, Y + 2000)
    )
    make_zone(plan, "2SO", two_parts, zone_kind="SO")
    Regulation.objects.create(
        municipality=world.gmina_a,
        plan=plan,
        kind="OUZ",
        designation="1OUZ",
        geom=box(X + 100, Y + 100, X + 300, Y + 300),
    )
    Regulation.objects.create(
        municipality=world.gmina_a,
        plan=plan,
        kind="OSD",
        designation="1OSD",
        geom=box(X, Y, X + 500, Y + 500),
        parameters={
            "wylaczenieZabudowyZagrodowej": "true",
            "odlegloscDoSzkolyPodstawowej": "1500",
            "odlegloscDoObszarowZieleniPublicznej": "1000",
            "powierzchniaLacznaObszarowZieleniPublicznej": "10000",
            "odlegloscDoObszaruZieleniPublicznej": "2000",
            "powierzchniaObszaruZieleniPublicznej": "5000",
            "odlegloscDoPrzedszkola": "800",
        },
    )
    return plan


@pytest.mark.parametrize("version", ["3.0", "2.0"])
@pytest.mark.parametrize("typename", ["granice", "wektor-str", "wektor-pow"])
def test_plan_layers_as_app_gml_are_valid_against_the_app_schema(pog, client, version, typename):
    fmt = f"application/gml+xml; version=3.2; profile=app-{version}"
    response, body = get(
        client, "/gmina-a/ows", REQUEST="GetFeature", TYPENAMES=typename, OUTPUTFORMAT=fmt
    )
    assert response.status_code == 200, body[:500]
    doc = assert_valid(body, [WFS20_XSD, app_xsd(version)])
    assert int(doc.get("numberReturned")) > 0
    assert all(etree.QName(m[0]).namespace == APP + version for m in doc)


def test_app_is_3_0_by_default_and_holds_the_act_its_resolution_and_zones(pog, client):
    _r, body = get(
        client,
        "/gmina-a/ows",
        REQUEST="GetFeature",
        TYPENAMES="granice",
        OUTPUTFORMAT="app",
        SRSNAME="http://www.opengis.net/def/crs/EPSG/0/2180",
    )
    doc = etree.fromstring(body)
    ns = {"app": APP + "3.0", "gml": "http://www.opengis.net/gml/3.2"}
    titles = doc.xpath("//app:AktPlanowaniaPrzestrzennego/app:tytul/text()", namespaces=ns)
    assert sorted(titles) == ["MPZP wsi Gmina A", "Plan ogólny Gminy A"]
    assert doc.xpath(
        "//app:AktPlanowaniaPrzestrzennego[app:tytul='Plan ogólny Gminy A']//app:lokalnyId/text()",
        namespaces=ns,
    ) == ["1POG"]
    assert len(doc.xpath("//app:DokumentFormalny", namespaces=ns)) == 2
    _r, body = get(
        client, "/gmina-a/ows", REQUEST="GetFeature", TYPENAMES="wektor-str", OUTPUTFORMAT="app"
    )
    zones = etree.fromstring(body)
    assert sorted(zones.xpath("//app:StrefaPlanistyczna/app:oznaczenie/text()", namespaces=ns)) == [
        "1SW",
        "2SO",
    ]
    assert zones.xpath(
        "//app:StrefaPlanistyczna[app:oznaczenie='2SO']//gml:PolygonPatch", namespaces=ns
    )


def test_app_output_never_holds_another_gminas_draft(world, client):
    _r, body = get(
        client, "/gmina-b/ows", REQUEST="GetFeature", TYPENAMES="granice", OUTPUTFORMAT="app"
    )
    assert b"tajny" not in body and b"MPZP wsi Gmina B" in body


def test_app_output_is_refused_for_parcels(world, client):
    response, body = get(
        client, "/gmina-a/ows", REQUEST="GetFeature", TYPENAMES="dzialki", OUTPUTFORMAT="app"
    )
    assert response.status_code == 400 and b"InvalidParameterValue" in body
