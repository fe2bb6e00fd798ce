"""FES 2.0 filters compiled to parameterised SQL: comparison, logical, spatial, ResourceId."""

from __future__ import annotations

import json

import pytest

from layers.models import Parcel
from tests.wfs.conftest import get

pytestmark = pytest.mark.django_db

A = "/gmina-a/ows"
FES = 'xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"'
X, Y = 751000.0, 598000.0  # gmina A's origin (easting, northing)


def run(client, typename: str, predicate: str, path: str = A):
    filt = f"<fes:Filter {FES}>{predicate}</fes:Filter>"
    response, body = get(
        client,
        path,
        REQUEST="GetFeature",
        TYPENAMES=typename,
        FILTER=filt,
        OUTPUTFORMAT="application/json",
    )
    return response, body


def values(client, typename: str, predicate: str, prop: str) -> list:
    response, body = run(client, typename, predicate)
    assert response.status_code == 200, body[:500]
    return sorted(f["properties"][prop] for f in json.loads(body)["features"])


def cmp(op: str, prop: str, literal: str, **attrs) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return (
        f"<fes:{op}{extra}><fes:ValueReference>{prop}</fes:ValueReference>"
        f"<fes:Literal>{literal}</fes:Literal></fes:{op}>"
    )


def envelope(x0, y0, x1, y1, srs="urn:ogc:def:crs:EPSG::2180") -> str:
    # urn form: northing first
    return (
        f'<gml:Envelope srsName="{srs}"><gml:lowerCorner>{y0} {x0}</gml:lowerCorner>'
        f"<gml:upperCorner>{y1} {x1}</gml:upperCorner></gml:Envelope>"
    )


def polygon(x0, y0, x1, y1) -> str:
    ring = f"{x0} {y0} {x1} {y0} {x1} {y1} {x0} {y1} {x0} {y0}"
    return (
        f'<gml:Polygon gml:id="p1" srsName="EPSG:2180"><gml:exterior><gml:LinearRing>'
        f"<gml:posList>{ring}</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
    )


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        (cmp("PropertyIsEqualTo", "oznaczenie", "1MN"), ["1MN"]),
        (cmp("PropertyIsEqualTo", "oznaczenie", "1mn", matchCase="false"), ["1MN"]),
        (cmp("PropertyIsNotEqualTo", "oznaczenie", "1MN"), ["1KDD", "1U"]),
        (cmp("PropertyIsGreaterThan", "pow_m2", "50000"), ["1MN", "1U"]),
        (cmp("PropertyIsLessThanOrEqualTo", "pow_m2", "3600"), ["1KDD"]),
        (
            cmp(
                "PropertyIsLike", "nazwa", "zabudowa*", wildCard="*", singleChar="?", escapeChar="!"
            ),
            ["1MN", "1U"],
        ),
        (
            cmp(
                "PropertyIsLike", "oznaczenie", "1??", wildCard="*", singleChar="?", escapeChar="!"
            ),
            ["1MN"],
        ),
        (
            "<fes:PropertyIsBetween><fes:ValueReference>pow_m2</fes:ValueReference>"
            "<fes:LowerBoundary><fes:Literal>3000</fes:Literal></fes:LowerBoundary>"
            "<fes:UpperBoundary><fes:Literal>57000</fes:Literal></fes:UpperBoundary></fes:PropertyIsBetween>",
            ["1KDD", "1U"],
        ),
        (
            "<fes:PropertyIsNull><fes:ValueReference>maks_wysokosc</fes:ValueReference></fes:PropertyIsNull>",
            ["1KDD", "1MN", "1U"],
        ),
        (
            "<fes:Or>"
            + cmp("PropertyIsEqualTo", "oznaczenie", "1MN")
            + cmp("PropertyIsEqualTo", "symbol", "KDD")
            + "</fes:Or>",
            ["1KDD", "1MN"],
        ),
        (
            "<fes:And>"
            + cmp(
                "PropertyIsLike", "oznaczenie", "1%", wildCard="%", singleChar="_", escapeChar="!"
            )
            + "<fes:Not>"
            + cmp("PropertyIsEqualTo", "symbol", "U")
            + "</fes:Not></fes:And>",
            ["1KDD", "1MN"],
        ),
        # spatial, geometries in both axis-order forms
        (
            f"<fes:BBOX><fes:ValueReference>geometria</fes:ValueReference>{envelope(X + 110, Y + 110, X + 120, Y + 120)}</fes:BBOX>",
            ["1MN"],
        ),
        (f"<fes:BBOX>{envelope(X + 305, Y + 110, X + 306, Y + 120)}</fes:BBOX>", ["1KDD"]),
        (
            f"<fes:Intersects><fes:ValueReference>geometria</fes:ValueReference>{polygon(X + 290, Y + 110, X + 320, Y + 120)}</fes:Intersects>",
            ["1KDD", "1MN", "1U"],
        ),
        (
            f"<fes:Within><fes:ValueReference>geometria</fes:ValueReference>{polygon(X + 299, Y + 99, X + 313, Y + 401)}</fes:Within>",
            ["1KDD"],
        ),
        (
            f"<fes:Contains><fes:ValueReference>geometria</fes:ValueReference>{polygon(X + 350, Y + 150, X + 360, Y + 160)}</fes:Contains>",
            ["1U"],
        ),
        (
            "<fes:DWithin><fes:ValueReference>geometria</fes:ValueReference>"
            f'<gml:Point srsName="urn:ogc:def:crs:EPSG::2180"><gml:pos>{Y + 200} {X + 90}</gml:pos></gml:Point>'
            '<fes:Distance uom="m">15</fes:Distance></fes:DWithin>',
            ["1MN"],
        ),
        (
            "<fes:Disjoint><fes:ValueReference>geometria</fes:ValueReference>"
            f"{polygon(X + 100, Y + 100, X + 300, Y + 400)}</fes:Disjoint>",
            ["1U"],
        ),
    ],
)
def test_filters_select_the_right_zones(world, client, predicate, expected):
    assert values(client, "wektor-str", predicate, "oznaczenie") == expected


def test_resource_id_selects_features_by_gml_id(world, client):
    pk = world.parcel_a.pk
    predicate = f'<fes:ResourceId rid="dzialki.{pk}"/><fes:ResourceId rid="obreby.{pk}"/>'
    assert values(client, "dzialki", predicate, "numer") == ["12/3"]
    _response, body = get(
        client, A, REQUEST="GetFeature", RESOURCEID=f"dzialki.{pk}", OUTPUTFORMAT="json"
    )
    assert [f["properties"]["numer"] for f in json.loads(body)["features"]] == ["12/3"]


def test_a_filter_in_filter_1_1_works_for_wfs_1_1_0(world, client):
    filt = (
        '<ogc:Filter xmlns:ogc="http://www.opengis.net/ogc"><ogc:PropertyIsEqualTo>'
        "<ogc:PropertyName>numer</ogc:PropertyName><ogc:Literal>40</ogc:Literal>"
        "</ogc:PropertyIsEqualTo></ogc:Filter>"
    )
    _response, body = get(
        client,
        A,
        VERSION="1.1.0",
        REQUEST="GetFeature",
        TYPENAME="dzialki",
        FILTER=filt,
        OUTPUTFORMAT="json",
    )
    assert [f["properties"]["numer"] for f in json.loads(body)["features"]] == ["40"]


def test_injection_looking_literals_are_only_values(world, client):
    evil = "x' OR '1'='1'; DROP TABLE layers_parcel; --"
    assert values(client, "dzialki", cmp("PropertyIsEqualTo", "numer", evil), "numer") == []
    assert (
        values(
            client,
            "dzialki",
            cmp(
                "PropertyIsLike",
                "numer",
                "%' OR 1=1 --",
                wildCard="*",
                singleChar="?",
                escapeChar="!",
            ),
            "numer",
        )
        == []
    )
    assert Parcel.objects.count() == 4


def report(response, body) -> tuple[int, str, str | None]:
    from lxml import etree

    doc = etree.fromstring(body)
    exc = doc[0]
    return response.status_code, exc.get("exceptionCode"), exc.get("locator")


@pytest.mark.parametrize(
    ("predicate", "code"),
    [
        (cmp("PropertyIsEqualTo", "haslo", "x"), "InvalidParameterValue"),
        (cmp("PropertyIsGreaterThan", "pow_m2", "dużo"), "InvalidParameterValue"),
        (cmp("PropertyIsEqualTo", "numer", "x" * 5000), "InvalidParameterValue"),
        ("<fes:Beneath/>", "OperationParsingFailed"),
        (
            "<fes:And>" + cmp("PropertyIsEqualTo", "numer", "1") + "</fes:And>",
            "OperationParsingFailed",
        ),
        (
            "<fes:Not>" * 50 + cmp("PropertyIsEqualTo", "numer", "1") + "</fes:Not>" * 50,
            "OperationParsingFailed",
        ),
        (f"<fes:BBOX>{envelope(X + 300, Y, X, Y + 10)}</fes:BBOX>", "InvalidParameterValue"),
        (
            '<fes:BBOX><gml:Envelope srsName="EPSG:99999"><gml:lowerCorner>0 0</gml:lowerCorner><gml:upperCorner>1 1</gml:upperCorner></gml:Envelope></fes:BBOX>',
            "InvalidParameterValue",
        ),
        (
            '<fes:DWithin><fes:ValueReference>geometria</fes:ValueReference><gml:Point><gml:pos>1 2</gml:pos></gml:Point><fes:Distance uom="parsec">1</fes:Distance></fes:DWithin>',
            "InvalidParameterValue",
        ),
        (
            "<fes:Intersects><fes:ValueReference>numer</fes:ValueReference><gml:Point><gml:pos>1 2</gml:pos></gml:Point></fes:Intersects>",
            "InvalidParameterValue",
        ),
    ],
)
def test_bad_filters_get_an_exception_report_not_a_500(world, client, predicate, code):
    response, body = run(client, "dzialki", predicate)
    status, got, _locator = report(response, body)
    assert (status, got) == (400, code)


@pytest.mark.parametrize(
    "filt",
    [
        "<fes:Filter",  # not well-formed
        '<!DOCTYPE x [<!ENTITY e "boom">]><fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0">&e;</fes:Filter>',
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><x>&lol2;</x>',
        "<a>" * 100 + "</a>" * 100,
    ],
)
def test_malformed_or_hostile_filter_xml_is_refused(world, client, filt):
    response, body = get(client, A, REQUEST="GetFeature", TYPENAMES="dzialki", FILTER=filt)
    assert report(response, body)[:2] == (400, "OperationParsingFailed")


@pytest.mark.parametrize(
    ("params", "code", "locator"),
    [
        ({"TYPENAMES": "dzialki", "BBOX": "1,2,3"}, "InvalidParameterValue", "bbox"),
        ({"TYPENAMES": "dzialki", "BBOX": "5,5,1,1"}, "InvalidParameterValue", "bbox"),
        ({"TYPENAMES": "dzialki", "BBOX": "a,b,c,d"}, "InvalidParameterValue", "bbox"),
        ({"TYPENAMES": "dzialki", "BBOX": "1,1,2,2,EPSG:4979"}, "InvalidParameterValue", "bbox"),
        ({"TYPENAMES": "dzialki", "COUNT": "lots"}, "InvalidParameterValue", "count"),
        ({"TYPENAMES": "dzialki", "COUNT": "99999999999999"}, "InvalidParameterValue", "count"),
        ({"TYPENAMES": "dzialki", "COUNT": "-5"}, "InvalidParameterValue", "count"),
        ({"TYPENAMES": "dzialki", "STARTINDEX": "-1"}, "InvalidParameterValue", "startIndex"),
        ({"TYPENAMES": "dzialki", "SORTBY": "haslo DESC"}, "InvalidParameterValue", "sortBy"),
        ({"TYPENAMES": "dzialki", "SORTBY": "numer SIDEWAYS"}, "InvalidParameterValue", "sortBy"),
        (
            {"TYPENAMES": "dzialki", "PROPERTYNAME": "numer,haslo"},
            "InvalidParameterValue",
            "propertyName",
        ),
        ({"TYPENAMES": "dzialki", "SRSNAME": "EPSG:32633"}, "InvalidParameterValue", "srsName"),
        (
            {"TYPENAMES": "dzialki", "OUTPUTFORMAT": "application/x-shapefile"},
            "InvalidParameterValue",
            "outputFormat",
        ),
        (
            {"TYPENAMES": "dzialki", "RESULTTYPE": "everything"},
            "InvalidParameterValue",
            "resultType",
        ),
        (
            {"TYPENAMES": "dzialki", "BBOX": "1,1,2,2", "RESOURCEID": "dzialki.1"},
            "InvalidParameterValue",
            "resourceid",
        ),
        ({"TYPENAMES": "gmina-b:dzialki"}, "InvalidParameterValue", "typeNames"),
        ({}, "MissingParameterValue", "typeNames"),
        ({"STOREDQUERY_ID": "urn:nope"}, "InvalidParameterValue", "STOREDQUERY_ID"),
        (
            {"STOREDQUERY_ID": "urn:ogc:def:query:OGC-WFS::GetFeatureById"},
            "MissingParameterValue",
            "ID",
        ),
    ],
)
def test_bad_parameters_get_the_right_exception_code(world, client, params, code, locator):
    response, body = get(client, A, REQUEST="GetFeature", **params)
    assert report(response, body) == (400, code, locator)


def test_unknown_operation_and_version_are_reported(world, client):
    response, body = get(client, A, REQUEST="Transaction")
    assert report(response, body) == (400, "OperationNotSupported", "request")
    response, body = get(client, A, REQUEST="GetFeature", VERSION="3.0.0", TYPENAMES="dzialki")
    assert report(response, body) == (400, "InvalidParameterValue", "version")
    response, body = get(client, A, REQUEST="GetCapabilities", VERSION="", ACCEPTVERSIONS="9.9.9")
    assert report(response, body) == (400, "VersionNegotiationFailed", "AcceptVersions")


def test_a_post_body_that_is_no_wfs_request_is_refused(world, client):
    body = b'<wfs:Transaction xmlns:wfs="http://www.opengis.net/wfs/2.0" service="WFS" version="2.0.0"/>'
    response = client.post(A, body, content_type="application/xml")
    assert report(response, response.content)[:2] == (400, "OperationNotSupported")
    big = (
        b'<wfs:GetFeature xmlns:wfs="http://www.opengis.net/wfs/2.0">'
        + b"<x/>" * 600_000
        + b"</wfs:GetFeature>"
    )
    response = client.post(A, big, content_type="application/xml")
    assert report(response, response.content)[:2] == (400, "OperationParsingFailed")


@pytest.mark.parametrize(
    "params",
    [
        {"BBOX": "0,0,1e300,1e300,EPSG:4326"},
        {"BBOX": "-200,0,10,10,urn:ogc:def:crs:EPSG::4326"},
        {"BBOX": "-1e12,0,0,1,EPSG:2180"},
        {
            "FILTER": f'<fes:Filter {FES}><fes:BBOX><gml:Envelope srsName="EPSG:4326">'
            "<gml:lowerCorner>0 0</gml:lowerCorner><gml:upperCorner>1e300 1e300</gml:upperCorner>"
            "</gml:Envelope></fes:BBOX></fes:Filter>"
        },
    ],
)
def test_coordinates_no_crs_can_hold_are_a_bad_request_not_a_500(world, client, params):
    for fmt in ("application/json", "application/gml+xml; version=3.2"):
        response, body = get(
            client, A, REQUEST="GetFeature", TYPENAMES="dzialki", OUTPUTFORMAT=fmt, **params
        )
        assert report(response, body)[:2] == (400, "InvalidParameterValue")
    response, body = get(
        client, A, REQUEST="GetFeature", TYPENAMES="dzialki", RESULTTYPE="hits", **params
    )
    assert report(response, body)[:2] == (400, "InvalidParameterValue")
