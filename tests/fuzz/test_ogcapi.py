"""OGC API Features (/ogcapi/) under hostile paths and query parameters, against gunicorn (issue 20):
collections, items with bbox, bbox-crs, crs, limit, offset, sortby, f; one item."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.known import skip_known
from tests.fuzz.stack import Probe
from tests.fuzz.strategies import (
    bbox,
    hostile_bbox,
    hostile_int,
    junk,
    mutate,
    spoiled_pairs,
)

pytestmark = pytest.mark.django_db

COLLECTIONS = ("dzialki", "granice", "obreby", "wektor-pow", "wektor-str", "gmina-a:dzialki",
               "gmina-b:granice", "gmina-b:wektor-str", "nope")  # fmt: skip
CRS_URIS = st.sampled_from(
    [
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "http://www.opengis.net/def/crs/EPSG/0/2180",
        "http://www.opengis.net/def/crs/EPSG/0/4326",
        "http://www.opengis.net/def/crs/EPSG/0/3857",
    ]
)
SORT = st.sampled_from(["numer", "-numer", "+oznaczenie", "nope", "numer,-oznaczenie", ""])
collection = st.sampled_from(COLLECTIONS) | junk


@st.composite
def items_pairs(draw) -> list[tuple[str, str]]:
    fields = [
        ("bbox", bbox, hostile_bbox),
        ("bbox-crs", CRS_URIS, junk),
        ("crs", CRS_URIS, junk),
        ("limit", st.integers(1, 100).map(str), hostile_int),
        ("offset", st.integers(0, 10).map(str), hostile_int),
        ("sortby", SORT, junk),
        ("f", st.sampled_from(["json", "geojson"]), st.sampled_from(["html", "xml"]) | junk),
    ]
    chosen = draw(st.lists(st.sampled_from(fields), max_size=len(fields), unique_by=lambda f: f[0]))
    return draw(spoiled_pairs(chosen))


@st.composite
def ogcapi_probe(draw) -> Probe:
    name = quote(draw(collection), safe=":")
    path = draw(
        st.sampled_from(
            [
                "/ogcapi/",
                "/ogcapi/conformance",
                "/ogcapi/collections",
                f"/ogcapi/collections/{name}",
                f"/ogcapi/collections/{name}/items",
                f"/ogcapi/collections/{name}/items/",
            ]
        )
    )
    if path.endswith("/items/"):
        path += quote(
            draw(st.sampled_from(["1", "dzialki.1", "-1", "99999999999999999999"]) | junk)
        )
    pairs = (
        draw(items_pairs())
        if "/items" in path
        else draw(st.lists(st.tuples(junk, junk), max_size=2))
    )
    return Probe("GET", path, mutate(draw, pairs))


def test_ogcapi_features_survives_hostile_requests(stack, budget):
    @budget
    @given(probe=ogcapi_probe().map(skip_known))
    def fuzz(probe):
        stack.send(probe)

    fuzz()
