"""GetFeature: bbox and axis order, output CRS, sorting, paging, hits, property selection, formats."""

from __future__ import annotations

import json

import pytest
from lxml import etree
from pyproj import Transformer

from tests.wfs.conftest import GML32_XSD, WFS11_XSD, WFS20_XSD, assert_valid, get

pytestmark = pytest.mark.django_db

NS = {"wfs": "http://www.opengis.net/wfs/2.0", "gml": "http://www.opengis.net/gml/3.2"}
A = "/gmina-a/ows"


def ids(body: bytes) -> list[str]:
    if body.lstrip().startswith(b"{"):
        return [f["id"] for f in json.loads(body)["features"]]
    doc = etree.fromstring(body)
    return doc.xpath("//wfs:member/*/@gml:id", namespaces=NS)


def numbers(body: bytes) -> list[str]:
    return [f["properties"]["numer"] for f in json.loads(body)["features"]]


def geojson(client, path=A, **params):
    response, body = get(
        client, path, REQUEST="GetFeature", OUTPUTFORMAT="application/json", **params
    )
    assert response.status_code == 200, body[:400]
    return body


@pytest.mark.parametrize(
    "bbox",
    [
        "598190,751240,598270,751360,urn:ogc:def:crs:EPSG::2180",  # EPSG order: northing first
        "598190,751240,598270,751360,http://www.opengis.net/def/crs/EPSG/0/2180",
        "751240,598190,751360,598270,EPSG:2180",  # short form: easting first
        "751240,598190,751360,598270,http://www.opengis.net/gml/srs/epsg.xml#2180",
        "598190,751240,598270,751360",  # no CRS: the default CRS (urn, northing first)
    ],
)
def test_bbox_follows_the_axis_order_of_its_crs_form(world, client, wfs_urls, bbox):
    assert numbers(geojson(client, TYPENAMES="dzialki", BBOX=bbox)) == ["12/3"]


def test_bbox_in_wgs84_finds_the_parcel(world, client, wfs_urls):
    lon, lat = Transformer.from_crs(2180, 4326, always_xy=True).transform(751300, 598230)
    d = 0.0002
    urn = f"{lat - d},{lon - d},{lat + d},{lon + d},urn:ogc:def:crs:EPSG::4326"
    crs84 = f"{lon - d},{lat - d},{lon + d},{lat + d},CRS:84"
    assert numbers(geojson(client, TYPENAMES="dzialki", BBOX=urn)) == ["12/3"]
    assert numbers(geojson(client, TYPENAMES="dzialki", BBOX=crs84)) == ["12/3"]


@pytest.mark.parametrize(
    ("srs", "first"),
    [
        ("urn:ogc:def:crs:EPSG::2180", 598200.0),
        ("http://www.opengis.net/def/crs/EPSG/0/2180", 598200.0),
        ("EPSG:2180", 751250.0),
        ("http://www.opengis.net/gml/srs/epsg.xml#2180", 751250.0),
    ],
)
def test_gml_coordinates_follow_the_srsname_form(world, client, wfs_urls, srs, first):
    filt = f'<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:ResourceId rid="dzialki.{world.parcel_a.pk}"/></fes:Filter>'
    _response, body = get(
        client, A, REQUEST="GetFeature", TYPENAMES="dzialki", SRSNAME=srs, FILTER=filt
    )
    doc = etree.fromstring(body)
    surface = doc.xpath("//gml:MultiSurface", namespaces=NS)[0]
    assert surface.get("srsName") == srs
    pos = doc.xpath("//gml:posList/text()", namespaces=NS)[0].split()
    assert float(pos[0]) == first


def test_wgs84_output_is_latitude_first_for_the_urn_and_longitude_first_for_crs84(
    world, client, wfs_urls
):
    filt = f'<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:ResourceId rid="dzialki.{world.parcel_a.pk}"/></fes:Filter>'
    _r, body = get(
        client,
        A,
        REQUEST="GetFeature",
        TYPENAMES="dzialki",
        SRSNAME="urn:ogc:def:crs:EPSG::4326",
        FILTER=filt,
    )
    lat = float(etree.fromstring(body).xpath("//gml:posList/text()", namespaces=NS)[0].split()[0])
    assert 53 < lat < 55
    _r, body = get(
        client, A, REQUEST="GetFeature", TYPENAMES="dzialki", SRSNAME="CRS:84", FILTER=filt
    )
    lon = float(etree.fromstring(body).xpath("//gml:posList/text()", namespaces=NS)[0].split()[0])
    assert 22 < lon < 24
    body = geojson(client, TYPENAMES="dzialki", SRSNAME="urn:ogc:def:crs:EPSG::4326", FILTER=filt)
    x = json.loads(body)["features"][0]["geometry"]["coordinates"][0][0][0][0]
    assert 22 < x < 24  # GeoJSON coordinates are always x,y (longitude first)


def test_sortby_orders_the_features(world, client, wfs_urls):
    assert numbers(geojson(client, TYPENAMES="dzialki", SORTBY="id_dzialki DESC")) == ["40", "12/3"]
    assert numbers(geojson(client, TYPENAMES="dzialki", SORTBY="numer ASC")) == ["12/3", "40"]


def test_paging_with_count_and_startindex_gives_next_and_previous_links(world, client, wfs_urls):
    _r, first = get(
        client, A, REQUEST="GetFeature", TYPENAMES="wektor-str", COUNT="2", SORTBY="oznaczenie"
    )
    doc = etree.fromstring(first)
    assert doc.get("numberMatched") == "3" and doc.get("numberReturned") == "2"
    assert "STARTINDEX=2" in doc.get("next") and doc.get("previous") is None
    _r, second = get(
        client,
        A,
        REQUEST="GetFeature",
        TYPENAMES="wektor-str",
        COUNT="2",
        STARTINDEX="2",
        SORTBY="oznaczenie",
    )
    doc2 = etree.fromstring(second)
    assert doc2.get("numberReturned") == "1" and doc2.get("next") is None
    assert "STARTINDEX=0" in doc2.get("previous")
    assert len(set(ids(first)) | set(ids(second))) == 3


def test_hits_counts_without_returning_features(world, client, wfs_urls):
    response, body = get(client, A, REQUEST="GetFeature", TYPENAMES="wektor-str", RESULTTYPE="hits")
    doc = assert_valid(body, [WFS20_XSD])
    assert doc.get("numberMatched") == "3" and doc.get("numberReturned") == "0"
    assert response["X-Number-Matched-Exact"] == "true"


def test_propertyname_limits_the_properties(world, client, wfs_urls):
    body = geojson(client, TYPENAMES="dzialki", PROPERTYNAME="numer")
    feature = json.loads(body)["features"][0]
    assert list(feature["properties"]) == ["numer"] and feature["geometry"] is None


def test_several_typenames_return_features_of_each(world, client, wfs_urls):
    body = geojson(client, TYPENAMES="dzialki,obreby")
    assert {i.split(".")[0] for i in ids(body)} == {"dzialki", "obreby"}
    _r, body = get(
        client,
        A,
        REQUEST="GetFeature",
        TYPENAMES="(dzialki)(wektor-str)",
        COUNT="3",
        STARTINDEX="1",
    )
    doc = etree.fromstring(body)
    assert doc.get("numberReturned") == "3" and doc.get("numberMatched") == "5"


def test_gml_and_geojson_of_the_same_request_hold_the_same_features(world, client, wfs_urls):
    for typename in ("dzialki", "obreby", "granice", "wektor-str"):
        _r, gml = get(client, A, REQUEST="GetFeature", TYPENAMES=typename)
        assert sorted(ids(gml)) == sorted(ids(geojson(client, TYPENAMES=typename)))


def test_csv_has_a_header_and_wkt(world, client, wfs_urls):
    _response, body = get(
        client, A, REQUEST="GetFeature", TYPENAMES="dzialki", OUTPUTFORMAT="text/csv"
    )
    lines = body.decode().splitlines()
    assert lines[0].startswith("gml_id,id_dzialki") and lines[0].endswith(",wkt")
    assert len(lines) == 3 and "MULTIPOLYGON" in lines[1]


def test_stored_query_by_id_returns_the_bare_feature(world, client, wfs_urls):
    _response, body = get(
        client,
        A,
        REQUEST="GetFeature",
        STOREDQUERY_ID="urn:ogc:def:query:OGC-WFS::GetFeatureById",
        ID=f"dzialki.{world.parcel_a.pk}",
    )
    root = etree.fromstring(body)
    assert root.tag == "{http://plan-portal.pl/wfs/gmina-a}dzialki"


def test_stored_query_finds_a_parcel_by_what_people_type(world, client, wfs_urls):
    for text in ("0001 12/3", "209901_2.0001.12/3", "12/3"):
        body = geojson(
            client,
            STOREDQUERY_ID="urn:x-plan-portal:query:DzialkaPoIdentyfikatorze",
            IDENTIFIER=text,
        )
        assert numbers(body) == ["12/3"]


def test_post_xml_getfeature_with_filter_and_sort(world, client, wfs_urls):
    xml = """<wfs:GetFeature service="WFS" version="2.0.0" count="5" outputFormat="application/json"
      xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:fes="http://www.opengis.net/fes/2.0">
      <wfs:Query typeNames="wektor-str"><fes:Filter><fes:PropertyIsLike wildCard="*" singleChar="?" escapeChar="!">
      <fes:ValueReference>oznaczenie</fes:ValueReference><fes:Literal>1*</fes:Literal></fes:PropertyIsLike></fes:Filter>
      <fes:SortBy><fes:SortProperty><fes:ValueReference>oznaczenie</fes:ValueReference><fes:SortOrder>DESC</fes:SortOrder></fes:SortProperty></fes:SortBy>
      </wfs:Query></wfs:GetFeature>"""
    response = client.post(A, xml, content_type="application/xml")
    body = b"".join(response.streaming_content)
    assert [f["properties"]["oznaczenie"] for f in json.loads(body)["features"]] == [
        "1U",
        "1MN",
        "1KDD",
    ]


def test_wfs_1_1_0_returns_gml_3_1_1_valid_against_its_schemas(world, client, wfs_urls):
    _r, xsd = get(client, A, VERSION="1.1.0", REQUEST="DescribeFeatureType", TYPENAME="dzialki")
    response, body = get(
        client, A, VERSION="1.1.0", REQUEST="GetFeature", TYPENAME="dzialki", MAXFEATURES="1"
    )
    assert response["Content-Type"].startswith("text/xml; subtype=gml/3.1.1")
    doc = assert_valid(
        body,
        [WFS11_XSD, ("http://plan-portal.pl/wfs/gmina-a", "http://test/a.xsd")],
        {"http://test/a.xsd": xsd},
    )
    assert doc.get("numberOfFeatures") == "1"


def test_gml_of_a_platform_type_validates_against_its_schema(world, client, wfs_urls):
    path = "/ows"
    _r, xsd = get(client, path, REQUEST="DescribeFeatureType", TYPENAMES="portal:wektor-str")
    _r, body = get(client, path, REQUEST="GetFeature", TYPENAMES="portal:wektor-str")
    doc = assert_valid(
        body,
        [WFS20_XSD, GML32_XSD, ("http://plan-portal.pl/wfs/portal", "http://test/p.xsd")],
        {"http://test/p.xsd": xsd},
    )
    assert doc.get("numberReturned") == "6"  # 3 zones of each published plan, not the draft's


def test_hits_in_wfs_1_1_0_count_in_number_of_features(world, client):
    _r, body = get(
        client, A, VERSION="1.1.0", REQUEST="GetFeature", TYPENAME="wektor-str", RESULTTYPE="hits"
    )
    assert etree.fromstring(body).get("numberOfFeatures") == "3"


def test_csv_quotes_commas_quotes_and_line_breaks(world, client):
    import csv
    import io

    zone = world.plan_a.zones.get(designation="1MN")
    zone.provisions = '§ 6. Teren "1MN",\nzabudowa; 100% <i>'
    zone.save(update_fields=["provisions"])
    _r, body = get(
        client,
        A,
        REQUEST="GetFeature",
        TYPENAMES="wektor-str",
        OUTPUTFORMAT="csv",
        SORTBY="oznaczenie",
    )
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    by_designation = {r["oznaczenie"]: r for r in rows}
    assert by_designation["1MN"]["ustalenia"] == zone.provisions
    assert by_designation["1MN"]["gml_id"] == f"wektor-str.{zone.pk}"


def test_get_property_value_lists_one_property_of_the_features(world, client):
    _r, body = get(
        client,
        A,
        REQUEST="GetPropertyValue",
        TYPENAMES="dzialki",
        VALUEREFERENCE="numer",
        SORTBY="numer",
    )
    doc = assert_valid(body, [WFS20_XSD])
    assert etree.QName(doc).localname == "ValueCollection"
    assert [m[0].text for m in doc] == ["12/3", "40"]
    _r, body = get(
        client,
        A,
        REQUEST="GetPropertyValue",
        TYPENAMES="dzialki",
        VALUEREFERENCE="geometria",
        COUNT="1",
    )
    doc = assert_valid(body, [WFS20_XSD, GML32_XSD])
    assert doc.get("numberReturned") == "1" and doc.xpath("//gml:MultiSurface", namespaces=NS)
    response, body = get(
        client, A, REQUEST="GetPropertyValue", TYPENAMES="dzialki", VALUEREFERENCE="haslo"
    )
    assert response.status_code == 400 and b"valueReference" in body


def test_clients_may_bind_their_own_prefix_with_namespaces(world, client):
    body = geojson(
        client, TYPENAMES="x:dzialki", NAMESPACES="xmlns(x,http://plan-portal.pl/wfs/gmina-a)"
    )
    assert sorted(numbers(body)) == ["12/3", "40"]
    response, body = get(
        client,
        A,
        REQUEST="GetFeature",
        TYPENAMES="x:dzialki",
        NAMESPACES="xmlns(x,http://plan-portal.pl/wfs/gmina-b)",
    )
    assert response.status_code == 400  # gmina B's namespace has no types at gmina A's endpoint
    xml = """<wfs:GetFeature service="WFS" version="2.0.0" outputFormat="application/json"
      xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:q="http://plan-portal.pl/wfs/gmina-a">
      <wfs:Query typeNames="q:obreby"/></wfs:GetFeature>"""
    response = client.post(A, xml, content_type="application/xml")
    assert len(json.loads(b"".join(response.streaming_content))["features"]) == 1
