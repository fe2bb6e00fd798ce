"""Golden answers of the OGC services: the same requests give the same bytes (volatile values masked).

Recorded from gmina A of tests/conftest.py; ``GOLDEN_UPDATE=1 pytest tests/wms/test_golden.py``
writes tests/wms/golden/ again (review the diff before committing it).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.wms.conftest import A_BBOX, MN_PIXEL, getmap_url

pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)

GOLDEN = Path(__file__).parent / "golden"
A = "/gmina-a/ows"
FES = 'xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"'
FILTER = (
    f"<fes:Filter {FES}><fes:And><fes:PropertyIsLike wildCard='*' singleChar='.' escapeChar='!'>"
    "<fes:ValueReference>symbol</fes:ValueReference><fes:Literal>M*</fes:Literal>"
    "</fes:PropertyIsLike><fes:Intersects><fes:ValueReference>geometria</fes:ValueReference>"
    "<gml:Polygon srsName='urn:ogc:def:crs:EPSG::2180'><gml:exterior><gml:LinearRing><gml:posList>"
    "598150 751150 598150 751250 598250 751250 598250 751150 598150 751150"
    "</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></fes:Intersects></fes:And>"
    "</fes:Filter>"
)
VOLATILE = [
    (re.compile(rb'timeStamp="[^"]*"'), b'timeStamp="T"'),
    (re.compile(rb'"timeStamp": ?"[^"]*"'), b'"timeStamp": "T"'),
    (re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), b"DATETIME"),
]


def _wms(**params) -> str:
    return f"{A}?{urlencode({'SERVICE': 'WMS', **params})}"


def _wfs(**params) -> str:
    return f"{A}?{urlencode({'SERVICE': 'WFS', 'VERSION': '2.0.0', **params})}"


def _gfi(info_format: str) -> str:
    x0, y0, x1, y1 = A_BBOX
    i, j = MN_PIXEL
    return _wms(
        VERSION="1.3.0", REQUEST="GetFeatureInfo", LAYERS="wektor-str,dzialki",
        QUERY_LAYERS="wektor-str,dzialki", STYLES="", CRS="EPSG:2180",
        BBOX=f"{y0},{x0},{y1},{x1}", WIDTH=600, HEIGHT=600, FORMAT="image/png",
        INFO_FORMAT=info_format, I=i, J=j, FEATURE_COUNT=5,
    )  # fmt: skip


REQUESTS = {
    "wms-capabilities-130": _wms(REQUEST="GetCapabilities", VERSION="1.3.0"),
    "wms-capabilities-111": _wms(REQUEST="GetCapabilities", VERSION="1.1.1"),
    "wms-getmap-png": getmap_url(),
    "wms-getmap-error": getmap_url(LAYERS="nope"),
    "wms-gfi-html": _gfi("text/html"),
    "wms-gfi-text": _gfi("text/plain"),
    "wms-gfi-json": _gfi("application/json"),
    "wms-gfi-geojson": _gfi("application/geo+json"),
    "wms-gfi-gml": _gfi("application/vnd.ogc.gml"),
    "wms-legend": _wms(REQUEST="GetLegendGraphic", LAYER="wektor-str", FORMAT="image/png"),
    "wfs-capabilities-20": _wfs(REQUEST="GetCapabilities"),
    "wfs-capabilities-11": _wfs(REQUEST="GetCapabilities", VERSION="1.1.0"),
    "wfs-describe": _wfs(REQUEST="DescribeFeatureType", TYPENAMES="dzialki,wektor-str"),
    "wfs-getfeature-gml": _wfs(
        REQUEST="GetFeature", TYPENAMES="wektor-str", FILTER=FILTER, SORTBY="oznaczenie"
    ),
    "wfs-getfeature-geojson": _wfs(
        REQUEST="GetFeature",
        TYPENAMES="wektor-str",
        FILTER=FILTER,
        SORTBY="oznaczenie",
        OUTPUTFORMAT="application/json",
    ),
    "wfs-getfeature-app": _wfs(REQUEST="GetFeature", TYPENAMES="wektor-str", COUNT=2),
    "wfs-parcels-11": _wfs(
        REQUEST="GetFeature",
        VERSION="1.1.0",
        TYPENAME="dzialki",
        MAXFEATURES=3,
        SORTBY="id_dzialki",
        SRSNAME="EPSG:4326",
    ),
    "wfs-storedquery": _wfs(REQUEST="DescribeStoredQueries"),
    "wfs-error": _wfs(REQUEST="GetFeature", TYPENAMES="nope"),
    "ogcapi-landing": "/ogcapi/",
    "ogcapi-conformance": "/ogcapi/conformance",
    "ogcapi-collections": "/ogcapi/collections",
    "ogcapi-items": "/ogcapi/collections/gmina-a:dzialki/items?limit=3&sortby=%2Bid_dzialki",
    "ogcapi-items-crs": "/ogcapi/collections/gmina-a:wektor-str/items?limit=2"
    "&crs=http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FEPSG%2F0%2F2180",
    "ogcapi-error": "/ogcapi/collections/nope/items",
}


def answer(client, url: str) -> bytes:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    head = f"{response.status_code} {response.get('Content-Type')}\n".encode()
    if not response.get("Content-Type", "").startswith(("text/", "application/")):
        return head + hashlib.sha256(body).hexdigest().encode() + b"\n"
    for pattern, replacement in VOLATILE:
        body = pattern.sub(replacement, body)
    return head + body


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_answer_is_the_recorded_one(anonymous, name):
    got = answer(anonymous, REQUESTS[name])
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("GOLDEN_UPDATE"):
        path.write_bytes(got)
    assert got == path.read_bytes()
