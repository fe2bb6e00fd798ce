"""Real clients over a live server: OWSLib (WFS 2.0) and GDAL's WFS driver (ogrinfo / ogr2ogr)."""

from __future__ import annotations

import json
import subprocess

import pytest
from lxml import etree
from owslib.wfs import WebFeatureService

from layers.models import Parcel, Precinct
from plans.models import Plan, PlanZone
from tests.factories import box, make_parcel

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

GML = {"wfs": "http://www.opengis.net/wfs/2.0"}


@pytest.fixture
def many_parcels(world):
    precinct = Precinct.objects.get(municipality=world.gmina_a)
    x, y = 751000.0, 598000.0
    for i in range(23):
        make_parcel(
            precinct, str(100 + i), box(x + 1200 + i * 20, y + 100, x + 1215 + i * 20, y + 150)
        )
    return Parcel.objects.current().filter(municipality=world.gmina_a).count()


def expected_counts(world) -> dict[str, int]:
    gmina = world.gmina_a
    return {
        "gmina-a:dzialki": Parcel.objects.current().filter(municipality=gmina).count(),
        "gmina-a:obreby": Precinct.objects.filter(municipality=gmina).count(),
        "gmina-a:granice": Plan.objects.filter(municipality=gmina, is_published=True).count(),
        "gmina-a:wektor-str": PlanZone.objects.filter(
            municipality=gmina, plan__is_published=True
        ).count(),
        "gmina-a:wektor-pow": 0,
    }


def test_owslib_reads_every_feature_type_with_the_database_counts(live_server, many_parcels, world):
    wfs = WebFeatureService(f"{live_server.url}/gmina-a/ows", version="2.0.0")
    expected = expected_counts(world)
    assert set(wfs.contents) == set(expected)
    for typename, count in expected.items():
        gml = wfs.getfeature(typename=[typename]).read()
        doc = etree.fromstring(gml if isinstance(gml, bytes) else gml.encode())
        assert len(doc.findall("wfs:member", GML)) == count, typename
        geojson = wfs.getfeature(typename=[typename], outputFormat="application/json").read()
        ids = {f["id"] for f in json.loads(geojson)["features"]}
        gml_ids = {
            m[0].get("{http://www.opengis.net/gml/3.2}id") for m in doc.findall("wfs:member", GML)
        }
        assert ids == gml_ids, typename
    stored = [q.id for q in wfs.storedqueries]
    assert "urn:ogc:def:query:OGC-WFS::GetFeatureById" in stored
    response = wfs.getfeature(
        storedQueryID="urn:ogc:def:query:OGC-WFS::GetFeatureById",
        storedQueryParams={"ID": f"dzialki.{world.parcel_a.pk}"},
    ).read()
    assert b"209901_2.0001.12/3" in (response if isinstance(response, bytes) else response.encode())


def test_owslib_reads_the_service_as_wfs_1_1_0(live_server, many_parcels, world):
    wfs = WebFeatureService(f"{live_server.url}/gmina-a/ows", version="1.1.0")
    assert "gmina-a:dzialki" in wfs.contents
    gml = wfs.getfeature(typename=["gmina-a:dzialki"]).read()
    doc = etree.fromstring(gml if isinstance(gml, bytes) else gml.encode())
    members = doc.findall("{http://www.opengis.net/gml}featureMember")
    assert len(members) == many_parcels == int(doc.get("numberOfFeatures"))


def gdal(*args: str) -> str:
    result = subprocess.run(
        args,
        capture_output=True,
        text=True,
        timeout=120,
        env={"GDAL_HTTP_TIMEOUT": "60", "CPL_DEBUG": "OFF", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_ogrinfo_lists_every_layer_and_counts_its_features(live_server, many_parcels, world):
    url = f"WFS:{live_server.url}/gmina-a/ows"
    listing = gdal("ogrinfo", "-ro", "-q", url)
    for typename, count in expected_counts(world).items():
        assert typename in listing
        summary = gdal("ogrinfo", "-ro", "-so", url, typename)
        assert f"Feature Count: {count}" in summary, typename
    summary = gdal("ogrinfo", "-ro", "-so", url, "gmina-a:dzialki")
    assert "id_dzialki: String" in summary and "pow_m2: Real" in summary


def test_ogr2ogr_pages_through_a_whole_layer_in_the_right_axis_order(
    live_server, many_parcels, world, tmp_path
):
    out = tmp_path / "dzialki.geojson"
    gdal(
        "ogr2ogr",
        "-f",
        "GeoJSON",
        str(out),
        f"WFS:{live_server.url}/gmina-a/ows",
        "gmina-a:dzialki",
        "--config",
        "OGR_WFS_PAGING_ALLOWED",
        "ON",
        "--config",
        "OGR_WFS_PAGE_SIZE",
        "10",
    )
    features = json.loads(out.read_text())["features"]
    assert len(features) == many_parcels
    assert len({f["properties"]["id_dzialki"] for f in features}) == many_parcels
    first = features[0]["geometry"]["coordinates"][0][0][0]
    assert 751000 < first[0] < 753000 and 598000 < first[1] < 600000  # easting, northing


def test_gdal_reads_the_service_as_wfs_1_1_0(live_server, many_parcels, world, tmp_path):
    out = tmp_path / "dzialki11.geojson"
    gdal(
        "ogr2ogr",
        "-f",
        "GeoJSON",
        str(out),
        f"WFS:{live_server.url}/gmina-a/ows?VERSION=1.1.0",
        "gmina-a:dzialki",
    )
    features = json.loads(out.read_text())["features"]
    assert len(features) == many_parcels
    first = features[0]["geometry"]["coordinates"][0][0][0]
    assert 751000 < first[0] < 753000 and 598000 < first[1] < 600000


def test_ogr2ogr_reads_zones_and_the_platform_layer(live_server, world, tmp_path):
    out = tmp_path / "strefy.geojson"
    gdal("ogr2ogr", "-f", "GeoJSON", str(out), f"WFS:{live_server.url}/ows", "portal:wektor-str")
    designations = sorted(
        f["properties"]["oznaczenie"] for f in json.loads(out.read_text())["features"]
    )
    assert designations == [
        "1KDD",
        "1KDD",
        "1MN",
        "1MN",
        "1U",
        "1U",
    ]  # the draft's 9MW is not there
