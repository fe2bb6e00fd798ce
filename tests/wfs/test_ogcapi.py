"""OGC API Features at /ogcapi/: landing, conformance, collections, items (bbox, paging, crs), one item."""

from __future__ import annotations

import json

import pytest
from pyproj import Transformer

from layers.municipalities import create_municipality
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def fetch(client, path: str, **params):
    response = client.get(path, params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, json.loads(body)


def test_landing_page_and_conformance(world, anonymous):
    response, doc = fetch(anonymous, "/ogcapi/")
    assert response.status_code == 200
    assert {link["rel"] for link in doc["links"]} >= {"self", "conformance", "data"}
    _r, conf = fetch(anonymous, "/ogcapi/conformance")
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conf["conformsTo"]


def test_collections_list_platform_and_gmina_layers(world, anonymous):
    _r, doc = fetch(anonymous, "/ogcapi/collections")
    ids = {c["id"] for c in doc["collections"]}
    assert {"dzialki", "wektor-str", "gmina-a:dzialki", "gmina-b:wektor-str"} <= ids
    _r, one = fetch(anonymous, "/ogcapi/collections/gmina-a:dzialki")
    lon0, lat0, lon1, lat1 = one["extent"]["spatial"]["bbox"][0]
    assert 22 < lon0 < lon1 < 24 and 53 < lat0 < lat1 < 55


def test_items_with_bbox_in_wgs84_and_in_2180_northing_first(world, anonymous):
    lon, lat = Transformer.from_crs(2180, 4326, always_xy=True).transform(751300, 598230)
    d = 0.0002
    _r, doc = fetch(
        anonymous,
        "/ogcapi/collections/gmina-a:dzialki/items",
        bbox=f"{lon - d},{lat - d},{lon + d},{lat + d}",
    )
    assert [f["properties"]["numer"] for f in doc["features"]] == ["12/3"]
    _r, doc = fetch(
        anonymous,
        "/ogcapi/collections/dzialki/items",
        bbox="598190,751240,598270,751360",
        **{"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/2180"},
    )
    assert [f["properties"]["numer"] for f in doc["features"]] == ["12/3"]


def test_items_in_a_chosen_crs_use_its_axis_order(world, anonymous):
    response, doc = fetch(
        anonymous,
        "/ogcapi/collections/gmina-a:dzialki/items",
        crs="http://www.opengis.net/def/crs/EPSG/0/2180",
        sortby="+id_dzialki",
    )
    assert response["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/2180>"
    first = doc["features"][0]["geometry"]["coordinates"][0][0][0]
    assert first == [598200, 751250]  # northing, easting as EPSG:2180 defines
    _r, doc = fetch(anonymous, "/ogcapi/collections/gmina-a:dzialki/items", sortby="+id_dzialki")
    lon, lat = doc["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 22 < lon < 24 and 53 < lat < 55  # CRS84 by default


def test_items_page_with_limit_and_offset(world, anonymous):
    _r, page1 = fetch(
        anonymous, "/ogcapi/collections/wektor-str/items", limit=4, sortby="oznaczenie"
    )
    assert page1["numberReturned"] == 4 and page1["numberMatched"] == 6
    next_link = next(link["href"] for link in page1["links"] if link["rel"] == "next")
    assert "offset=4" in next_link
    _r, page2 = fetch(
        anonymous, "/ogcapi/collections/wektor-str/items", limit=4, offset=4, sortby="oznaczenie"
    )
    assert page2["numberReturned"] == 2
    assert "9MW" not in {
        f["properties"]["oznaczenie"] for f in page1["features"] + page2["features"]
    }


def test_one_item_and_its_404s(world, anonymous, planner_b):
    pk = world.parcel_a.pk
    response, doc = fetch(anonymous, f"/ogcapi/collections/gmina-a:dzialki/items/dzialki.{pk}")
    assert response.status_code == 200 and doc["properties"]["numer"] == "12/3"
    response, _doc = fetch(anonymous, f"/ogcapi/collections/gmina-b:dzialki/items/dzialki.{pk}")
    assert response.status_code == 404  # gmina A's parcel is not in gmina B's collection
    draft_zone = world.draft_b.zones.get().pk
    response, _doc = fetch(
        anonymous, f"/ogcapi/collections/gmina-b:wektor-str/items/wektor-str.{draft_zone}"
    )
    assert response.status_code == 404
    response, _doc = fetch(
        client_for(planner_b), f"/ogcapi/collections/gmina-b:wektor-str/items/{draft_zone}"
    )
    assert response.status_code == 200
    response, _doc = fetch(anonymous, "/ogcapi/collections/nope/items")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "1,2,3"},
        {"bbox": "a,b,c,d"},
        {"bbox": "5,5,1,1"},
        {"limit": "many"},
        {"limit": "0"},
        {"offset": "-3"},
        {"crs": "http://www.opengis.net/def/crs/EPSG/0/32633"},
        {"crs": "nonsense"},
        {"sortby": "haslo"},
        {"f": "shapefile"},
        {"haslo": "1"},
    ],
)
def test_bad_item_parameters_are_a_400_with_a_reason(world, anonymous, params):
    response, doc = fetch(anonymous, "/ogcapi/collections/dzialki/items", **params)
    assert (
        response.status_code == 400
        and doc["code"] == "InvalidParameterValue"
        and doc["description"]
    )


def test_a_bbox_outside_the_crs_is_a_400(world, anonymous):
    response, doc = fetch(anonymous, "/ogcapi/collections/dzialki/items", bbox="0,0,1e300,1e300")
    assert response.status_code == 400 and doc["code"] == "InvalidParameterValue"


def test_a_collection_is_found_by_its_gminas_prefix_only(world, anonymous):
    """The lookup reads the named gmina's layers only (issue 17), with the same answers: a gmina
    whose slug starts with a digit has the prefix "g" + slug, an inactive gmina has no collections."""
    digit = create_municipality(teryt="209903_2", name="Gmina 7", slug="7-gmina")
    assert fetch(anonymous, "/ogcapi/collections/g7-gmina:dzialki/items")[0].status_code == 200
    assert fetch(anonymous, "/ogcapi/collections/7-gmina:dzialki/items")[0].status_code == 404
    digit.is_active = False
    digit.save()
    assert fetch(anonymous, "/ogcapi/collections/g7-gmina:dzialki/items")[0].status_code == 404
    assert fetch(anonymous, "/ogcapi/collections/gmina-a:brak/items")[0].status_code == 404
    assert fetch(anonymous, "/ogcapi/collections/:dzialki/items")[0].status_code == 404
    response, doc = fetch(anonymous, "/ogcapi/collections/gmina-a:dzialki/items")
    assert response.status_code == 200 and doc["numberReturned"] == world.gmina_a.parcels.count()


def test_the_platform_wfs_finds_a_prefixed_type_among_its_gminas_layers_only(world, anonymous):
    """/ows GetFeature with gmina-prefixed type names reads those gminy's layers (issue 17), with the
    same answers as against the whole catalogue: found, an unknown prefix refused, a client's own
    NAMESPACES still honoured."""
    base = {"SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature"}
    json_out = {**base, "OUTPUTFORMAT": "application/json"}

    def identifiers(params: dict) -> set[str]:
        response = anonymous.get("/ows", params)
        assert response.status_code == 200
        doc = json.loads(b"".join(response.streaming_content))
        return {f["properties"]["id_dzialki"] for f in doc["features"]}

    in_a = set(world.gmina_a.parcels.values_list("identifier", flat=True))
    in_b = set(world.gmina_b.parcels.values_list("identifier", flat=True))
    assert identifiers({**json_out, "TYPENAMES": "gmina-a:dzialki"}) == in_a
    assert identifiers({**json_out, "TYPENAMES": "gmina-a:dzialki,gmina-b:dzialki"}) == in_a | in_b
    refused = anonymous.get("/ows", {**base, "TYPENAMES": "nie-ma:dzialki"})
    assert refused.status_code == 400 and b"InvalidParameterValue" in refused.content
    ns = "xmlns(x,http://plan-portal.pl/wfs/gmina-b)"
    assert identifiers({**json_out, "TYPENAMES": "x:dzialki", "NAMESPACES": ns}) == in_b
