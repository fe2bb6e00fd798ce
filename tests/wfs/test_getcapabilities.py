"""GetCapabilities and DescribeFeatureType: schema-valid offline, the right feature types per endpoint."""

from __future__ import annotations

import pytest

from tests.wfs.conftest import GML32_XSD, OWS11_XSD, WFS11_XSD, WFS20_XSD, assert_valid, get

pytestmark = pytest.mark.django_db

NS = {
    "wfs": "http://www.opengis.net/wfs/2.0",
    "ows": "http://www.opengis.net/ows/1.1",
    "fes": "http://www.opengis.net/fes/2.0",
}


def test_capabilities_of_a_gmina_are_valid_wfs_2_and_list_its_feature_types(
    world, client, wfs_urls
):
    response, body = get(client, f"{wfs_urls}/gmina-a/ows", REQUEST="GetCapabilities")
    assert response.status_code == 200
    doc = assert_valid(body, [WFS20_XSD])
    names = doc.xpath("//wfs:FeatureType/wfs:Name/text()", namespaces=NS)
    assert set(names) == {
        "gmina-a:dzialki",
        "gmina-a:obreby",
        "gmina-a:granice",
        "gmina-a:wektor-str",
        "gmina-a:wektor-pow",
    }
    paging = doc.xpath(
        "//ows:Constraint[@name='ImplementsResultPaging']/ows:DefaultValue/text()", namespaces=NS
    )
    assert paging == ["TRUE"]
    lower = doc.xpath(
        "//wfs:FeatureType[wfs:Name='gmina-a:dzialki']/ows:WGS84BoundingBox/ows:LowerCorner/text()",
        namespaces=NS,
    )
    lon, lat = map(float, lower[0].split())
    assert 22 < lon < 24 and 53 < lat < 55  # gmina A lies in Podlaskie


def test_platform_capabilities_list_platform_and_every_gminas_types(world, client, wfs_urls):
    _response, body = get(client, f"{wfs_urls}/ows", REQUEST="GetCapabilities")
    doc = assert_valid(body, [WFS20_XSD])
    names = set(doc.xpath("//wfs:FeatureType/wfs:Name/text()", namespaces=NS))
    assert {"portal:dzialki", "gmina-a:dzialki", "gmina-b:wektor-str"} <= names


def test_capabilities_1_1_0_are_valid_wfs_1_1(world, client, wfs_urls):
    response, body = get(
        client, f"{wfs_urls}/gmina-a/ows", REQUEST="GetCapabilities", VERSION="1.1.0"
    )
    assert response.status_code == 200
    assert_valid(body, [WFS11_XSD])


def test_accept_versions_negotiates_1_1_0(world, client, wfs_urls):
    response = client.get(
        f"{wfs_urls}/gmina-a/ows",
        {"service": "wfs", "request": "getcapabilities", "acceptversions": "1.1.0"},
    )
    assert b'version="1.1.0"' in response.content


def test_describe_feature_type_gives_a_schema_that_the_gml_output_validates_against(
    world, client, wfs_urls
):
    path = f"{wfs_urls}/gmina-a/ows"
    response, xsd = get(
        client, path, REQUEST="DescribeFeatureType", TYPENAMES="gmina-a:dzialki,gmina-a:wektor-str"
    )
    assert response.status_code == 200
    ns = "http://plan-portal.pl/wfs/gmina-a"
    extra = {"http://test/app.xsd": xsd}
    for typename in ("dzialki", "wektor-str"):
        response, body = get(client, path, REQUEST="GetFeature", TYPENAMES=typename)
        assert response.status_code == 200, body[:500]
        doc = assert_valid(body, [WFS20_XSD, GML32_XSD, (ns, "http://test/app.xsd")], extra)
        assert int(doc.get("numberReturned")) > 0


def test_list_and_describe_stored_queries_are_valid(world, client, wfs_urls):
    _response, body = get(client, f"{wfs_urls}/gmina-a/ows", REQUEST="ListStoredQueries")
    doc = assert_valid(body, [WFS20_XSD])
    ids = doc.xpath("//wfs:StoredQuery/@id", namespaces=NS)
    assert "urn:ogc:def:query:OGC-WFS::GetFeatureById" in ids
    _response, body = get(client, f"{wfs_urls}/gmina-a/ows", REQUEST="DescribeStoredQueries")
    assert_valid(body, [WFS20_XSD])


def test_exception_reports_are_valid_ows_1_1(world, client, wfs_urls):
    response, body = get(client, f"{wfs_urls}/gmina-a/ows", REQUEST="GetFeature", TYPENAMES="nope")
    assert response.status_code == 400
    doc = assert_valid(body, [OWS11_XSD])
    assert doc[0].get("exceptionCode") == "InvalidParameterValue"
    assert doc[0].get("locator") == "typeNames"
