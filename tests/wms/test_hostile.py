"""Hostile requests to the OGC services (issue 20): coordinates far outside the CRS, in a child.

A request that crashes GEOS aborts the process (``stack smashing detected``); it is sent by a
separate Python process against this test's (committed) database, so a regression kills that child,
not the test run, and the test sees it die.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.wms.conftest import getmap_url
from tests.wms.test_featureinfo import gfi_url
from tests.wms.test_front_cache import (  # noqa: F401  (the fixture keeps the test transaction)
    _keep_the_test_transaction,
    call,
    make_front,
)

pytestmark = pytest.mark.django_db(transaction=True)  # the child reads the committed world

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings")
import django
django.setup()
from django.db import connections
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
connections["default"].settings_dict["NAME"] = sys.argv[1]
client = Client()
for url in json.loads(sys.stdin.read()):
    response = client.get(url)
    print(json.dumps([response.status_code, response.content[:600].decode("utf-8", "replace")]))
    sys.stdout.flush()
"""

HUGE = [
    ("1.3.0", "EPSG:2180", "-1e300,-1e300,1e300,1e300"),
    ("1.3.0", "EPSG:2180", "0,0,1e160,1e160"),
    ("1.1.1", "EPSG:2180", "0,0,1e160,1e160"),
    ("1.3.0", "EPSG:4326", "0,0,1e200,1e200"),
    ("1.1.1", "EPSG:4326", "0,0,1e200,1e200"),
    ("1.3.0", "EPSG:3857", "0,0,1e30,1e30"),
    ("1.3.0", "EPSG:2177", "0,0,1e12,1e12"),
    ("1.3.0", "CRS:84", "-1000,-1000,1000,1000"),
]


def _crs(version: str, code: str, bbox: str) -> dict[str, str]:
    return {"CRS" if version == "1.3.0" else "SRS": code, "BBOX": bbox}


def answers_in_a_child(urls: list[str]) -> tuple[int, list[tuple[int, str]]]:
    """Send the URLs from a separate process; (its exit code, [(status, body start)])."""
    child = subprocess.run(
        [sys.executable, "-c", CHILD, connection.settings_dict["NAME"]],
        input=json.dumps(urls),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    lines = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("[")]
    return child.returncode, [tuple(line) for line in lines]


def test_a_bbox_far_outside_the_crs_is_refused_and_the_process_lives(world):
    urls = []
    for version, code, bbox in HUGE:
        crs = _crs(version, code, bbox)
        urls.append(
            gfi_url(
                version=version,
                layers="wektor-str,dzialki",
                fmt="text/plain",
                FEATURE_COUNT="50",
                WIDTH="2",
                HEIGHT="2",
                pixel=(0, 0),
                **crs,
            )
        )
        urls.append(getmap_url(version=version, WIDTH="2", HEIGHT="2", **crs))
    returncode, answers = answers_in_a_child(urls)
    assert returncode == 0, f"the child died ({returncode}) after {len(answers)} answers"
    assert len(answers) == len(urls)
    for url, (status, body) in zip(urls, answers, strict=True):
        assert status == 400, (url, body)
        assert 'code="InvalidParameterValue"' in body, (url, body)
        assert 'locator="BBOX"' in body or "1.1.1" in url, (url, body)
        assert "far outside" in body


# -- item 7: repeated parameters, through the front cache and the full stack ---------------------


@pytest.fixture
def front_app(world):
    return make_front()


def test_a_name_given_twice_is_refused_by_the_front_cache_and_by_django(front_app, anonymous):
    app, django_app = front_app
    base = getmap_url().replace("LAYERS=wektor-str", "LAYERS=dzialki")
    first = base + "&LAYERS=obreby"
    swapped = base.replace("LAYERS=dzialki", "LAYERS=obreby") + "&layers=dzialki"
    for url in (first, swapped, first, swapped):
        status, headers, body = call(app, url)
        assert status.startswith("400"), body[:300]
        assert b'code="InvalidParameterValue" locator="LAYERS"' in body
        assert headers.get("X-Cache") != "HIT-FRONT"
        django = anonymous.get(url)
        assert django.status_code == 400 and django.content == body
    assert django_app.calls == 4  # none answered from the cache
    # a name repeated with the same value is the same request
    status, _h, _b = call(app, base + "&LAYERS=dzialki")
    assert status == "200 OK"
    assert anonymous.get(base + "&LAYERS=dzialki").status_code == 200


def test_a_posted_form_is_read_as_a_query_is(anonymous):
    from urllib.parse import parse_qsl, urlsplit

    url = getmap_url()
    form = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    assert anonymous.post(urlsplit(url).path, form).status_code == 200
    body = urlsplit(url).query + "&LAYERS=dzialki"
    response = anonymous.post(
        urlsplit(url).path, body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400 and b'locator="LAYERS"' in response.content


# -- item 2: bounded work per request ------------------------------------------------------


def test_layers_query_layers_and_parameter_size_are_bounded(anonymous, settings):
    settings.WMS_MAX_LAYERS = 5
    many = ",".join(["dzialki"] * 6)
    for url in (
        getmap_url(LAYERS=many),
        gfi_url(layers="dzialki").replace("QUERY_LAYERS=dzialki", f"QUERY_LAYERS={many}"),
    ):
        response = anonymous.get(url)
        assert response.status_code == 400, response.content[:300]
        assert b"at most 5 per request" in response.content
    path, _q, query = getmap_url(LAYERS=many).partition("?")
    posted = anonymous.post(path, query, content_type="application/x-www-form-urlencoded")
    assert posted.status_code == 400 and b"at most 5 per request" in posted.content
    assert anonymous.get(getmap_url(LAYERS=",".join(["dzialki"] * 5))).status_code == 200
    settings.OGC_MAX_PARAMETER_CHARS = 100
    response = anonymous.get(getmap_url(BGCOLOR="0x" + "F" * 200))
    assert response.status_code == 400 and b"longer than 100 characters" in response.content


def test_a_huge_feature_count_is_the_service_maximum_not_a_500(anonymous):
    response = anonymous.get(gfi_url(layers="dzialki", FEATURE_COUNT="9" * 5000))
    assert response.status_code == 200, response.content[:300]


def test_the_130_capabilities_advertise_the_layer_limit(anonymous, settings):
    from tests.wms.conftest import assert_valid_130

    settings.WMS_MAX_LAYERS = 7
    response = anonymous.get("/gmina-a/ows?SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0")
    doc = assert_valid_130(response.content)
    ns = {"wms": "http://www.opengis.net/wms"}
    assert doc.xpath("string(//wms:Service/wms:LayerLimit)", namespaces=ns) == "7"
    assert doc.xpath("string(//wms:Service/wms:MaxWidth)", namespaces=ns) == "4096"


# -- item 2: per-client rate and concurrency limits (wms/ows/throttle.py, in FrontCache) -------------


def test_a_client_over_its_rate_gets_429_with_retry_after_in_each_services_format(
    front_app, settings
):
    app, _django = front_app
    settings.OGC_RATE_BURST, settings.OGC_RATE_PER_SECOND = 3, 0.01
    caps = "/gmina-a/ows?SERVICE=WMS&REQUEST=GetCapabilities"
    for _ in range(3):
        assert call(app, caps)[0] == "200 OK"
    status, headers, body = call(app, caps)
    assert status == "429 Too Many Requests" and int(headers["Retry-After"]) >= 1
    assert b'code="TooManyRequests"' in body
    status, headers, body = call(app, "/ows?SERVICE=WFS&REQUEST=GetCapabilities")
    assert status.startswith("429") and b"ows:ExceptionReport" in body
    status, headers, body = call(app, "/ogcapi/collections")
    assert status.startswith("429") and json.loads(body)["code"] == "TooManyRequests"
    assert "Retry-After" in headers
    # another client (behind the trusted proxy) is not held back
    settings.TRUSTED_PROXY_COUNT = 1
    assert call(app, caps)[0].startswith("429")
    assert call(app, caps, x_forwarded_for="10.1.2.3")[0] == "200 OK"


def test_front_cache_hits_are_not_counted_and_the_limit_can_be_turned_off(front_app, settings):
    app, _django_app = front_app
    settings.OGC_RATE_BURST, settings.OGC_RATE_PER_SECOND = 1, 0.01
    assert call(app, getmap_url())[0] == "200 OK"
    for _ in range(5):
        assert call(app, getmap_url())[1]["X-Cache"] == "HIT-FRONT"
    assert call(app, getmap_url(WIDTH=300))[0].startswith("429")
    settings.RATELIMIT_ENABLED = False
    assert call(app, getmap_url(WIDTH=300))[0] == "200 OK"


def test_a_client_has_at_most_its_concurrency_in_progress(settings):
    from wms.ows.throttle import Throttle

    settings.OGC_CONCURRENCY_PER_CLIENT = 2
    throttle = Throttle()
    first, second, third = ({"REMOTE_ADDR": "10.0.0.1"} for _ in range(3))
    assert throttle.admit(first) is None and throttle.admit(second) is None
    assert throttle.admit(third) is not None
    assert throttle.admit({"REMOTE_ADDR": "10.0.0.2"}) is None
    throttle.release(first)
    assert throttle.admit(third) is None
