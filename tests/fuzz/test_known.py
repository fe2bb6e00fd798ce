"""The hostile requests of issue 20, sent through the fuzzers' checks against the live stack.

Each killed a worker or answered 500 before its fix (the harness saw ``stack smashing detected``
and a replaced worker, and a RecursionError 500): regression tests of items 1 and 3.
"""

from __future__ import annotations

import base64

import pytest

from tests.fuzz.stack import Probe

pytestmark = pytest.mark.django_db

FEATURE_INFO = [
    ("SERVICE", "WMS"), ("VERSION", "1.3.0"), ("REQUEST", "GetFeatureInfo"),
    ("LAYERS", "wektor-str,dzialki"), ("QUERY_LAYERS", "wektor-str,dzialki"), ("STYLES", ""),
    ("INFO_FORMAT", "text/plain"), ("FEATURE_COUNT", "50"), ("WIDTH", "2"), ("HEIGHT", "2"),
    ("I", "0"), ("J", "0"),
]  # fmt: skip


@pytest.mark.parametrize(
    "crs_bbox",
    [
        [("CRS", "EPSG:2180"), ("BBOX", "-1e300,-1e300,1e300,1e300")],
        [("CRS", "EPSG:2180"), ("BBOX", "0,0,1e160,1e160")],
        [("CRS", "EPSG:4326"), ("BBOX", "0,0,1e200,1e200")],
    ],
    ids=["huge", "1e160", "wgs84"],
)
def test_a_far_bbox_in_getfeatureinfo_leaves_the_worker_alive(stack, crs_bbox):
    stack.send(Probe("GET", "/gmina-a/ows", FEATURE_INFO + crs_bbox))


def test_a_wrong_basic_password_on_the_api_is_not_a_5xx(stack):
    credentials = base64.b64encode(b"nobody:bad").decode()
    answer = stack.send(
        Probe("GET", "/api/extracts/1/", headers={"Authorization": f"Basic {credentials}"})
    )
    assert answer.status == 401
