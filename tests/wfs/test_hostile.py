"""Hostile WFS and OGC API requests (issue 20): coordinates far outside the CRS, work per request."""

from __future__ import annotations

import json

import pytest
from lxml import etree
from pyproj import Transformer

from tests.wfs.conftest import get
from tests.wfs.test_filters import FES

pytestmark = pytest.mark.django_db

A = "/gmina-a/ows"
OWS = {"ows": "http://www.opengis.net/ows/1.1"}


def report(response, body) -> tuple[int, str, str]:
    doc = etree.fromstring(body)
    code = doc.xpath("//ows:Exception/@exceptionCode", namespaces=OWS)[0]
    text = doc.xpath("string(//ows:ExceptionText)", namespaces=OWS)
    return response.status_code, code, text


@pytest.mark.parametrize(
    "params",
    [
        {"BBOX": "0,0,5e7,5e7,EPSG:2180"},  # within the old ±1e8, far outside Poland's CRS
        {"BBOX": "0,0,5e7,5e7,EPSG:2178"},
        {"BBOX": "-2e8,0,0,1,EPSG:3857"},
        {"BBOX": "0,0,400,10,CRS:84"},
        {
            "FILTER": f"<fes:Filter {FES}><fes:Intersects><fes:ValueReference>geometria"
            '</fes:ValueReference><gml:Point srsName="urn:ogc:def:crs:EPSG::2180">'
            "<gml:pos>1e300 1e300</gml:pos></gml:Point></fes:Intersects></fes:Filter>"
        },
        {
            "FILTER": f'<fes:Filter {FES}><fes:BBOX><gml:Envelope srsName="EPSG:2180">'
            "<gml:lowerCorner>0 0</gml:lowerCorner><gml:upperCorner>1e9 1e9</gml:upperCorner>"
            "</gml:Envelope></fes:BBOX></fes:Filter>"
        },
    ],
)
def test_a_box_or_geometry_far_outside_its_crs_is_refused(world, client, params):
    response, body = get(client, A, REQUEST="GetFeature", TYPENAMES="dzialki", **params)
    status, code, text = report(response, body)
    assert (status, code) == (400, "InvalidParameterValue")
    assert "far outside" in text


def test_a_geographic_box_a_little_beyond_the_pole_is_cut_to_the_world(world, client):
    lon, lat = Transformer.from_crs(2180, 4326, always_xy=True).transform(751300, 598230)
    response, body = get(
        client,
        A,
        REQUEST="GetFeature",
        TYPENAMES="dzialki",
        OUTPUTFORMAT="application/json",
        BBOX=f"{lat - 1},{lon - 1},120,{lon + 1},urn:ogc:def:crs:EPSG::4326",
    )
    assert response.status_code == 200, body[:300]
    assert json.loads(body)["features"]


def test_the_ogc_api_uses_the_same_ranges(world, anonymous):
    items = "/ogcapi/collections/dzialki/items"
    storage = "http://www.opengis.net/def/crs/EPSG/0/2180"
    far = anonymous.get(items, {"bbox": "0,0,5e7,5e7", "bbox-crs": storage})
    assert far.status_code == 400
    assert "far outside" in json.loads(far.content)["description"]
    lon, lat = Transformer.from_crs(2180, 4326, always_xy=True).transform(751300, 598230)
    beyond = anonymous.get(items, {"bbox": f"{lon - 1},{lat - 1},{lon + 1},120"})
    assert beyond.status_code == 200


def test_repeated_names_long_values_and_many_types_are_refused(world, client, settings):
    url = f"{A}?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=dzialki&typenames=obreby"
    response = client.get(url)
    assert report(response, response.content)[:2] == (400, "InvalidParameterValue")
    many = ",".join(["dzialki"] * 21)
    response, body = get(client, A, REQUEST="DescribeFeatureType", TYPENAMES=many)
    assert report(response, body)[:2] == (400, "InvalidParameterValue")
    settings.OGC_MAX_PARAMETER_CHARS = 100
    response, body = get(client, A, REQUEST="GetFeature", TYPENAMES="dzialki", SORTBY="x" * 101)
    status, code, text = report(response, body)
    assert (status, code) == (400, "InvalidParameterValue") and "longer than 100" in text
    items = client.get("/ogcapi/collections/dzialki/items?limit=1&limit=2")
    assert items.status_code == 400


def test_a_database_refusal_is_told_in_the_clients_terms_not_the_databases(world, client):
    from django.db import DataError

    from wms.core.ows_errors import database_error

    error = database_error(DataError("transform: Invalid coordinate (2049)\nCONTEXT: SQL"))
    assert error.code == "InvalidParameterValue"
    assert "cannot be evaluated" in error.message
    assert "transform" not in error.message and "2049" not in error.message
    response, body = get(client, A, REQUEST="GetFeature", TYPENAMES="dzialki", FILTER="<a><b></a>")
    status, code, text = report(response, body)
    assert (status, code) == (400, "OperationParsingFailed")
    assert "line 1" in text and "mismatch" not in text
