"""The cache in front of Django (wms/ows/front_cache.py), driven through the real WSGI application."""

from __future__ import annotations

import re

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from layers.models import Layer
from tests.conftest import client_for
from tests.wms.conftest import DRAFT_BBOX, MW_RGB, close, getmap_url, rgb_at
from tests.wms.front import call, make_front

pytestmark = pytest.mark.django_db(transaction=True)  # Mapnik reads through its own connections


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """As Django's test client does: the handler must not close the connection of the test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def front(world):
    return make_front()


def draft_url(**extra) -> str:
    x0, y0, x1, y1 = DRAFT_BBOX
    box = f"{y0},{x0},{y1},{x1}"
    return getmap_url("/gmina-b/ows", BBOX=box, WIDTH=500, HEIGHT=500, **extra)


def test_a_repeated_anonymous_getmap_is_answered_before_django(front):
    app, django_app = front
    status, headers, first = call(app, getmap_url())
    assert (status, headers["X-Cache"], django_app.calls) == ("200 OK", "MISS", 1)
    # parameter names in another case and order are the same request
    url = getmap_url().replace("REQUEST=", "request=").replace("WIDTH=", "width=")
    status, again_headers, again = call(app, url)
    assert (status, again_headers["X-Cache"], django_app.calls) == ("200 OK", "HIT-FRONT", 1)
    assert again == first
    for name in ("Content-Type", "ETag", "X-Content-Type-Options", "Content-Security-Policy"):
        assert again_headers[name] == headers[name]
    assert "Set-Cookie" not in again_headers
    status, _headers, body = call(app, getmap_url(), if_none_match=headers["ETag"])
    assert (status, body, django_app.calls) == ("304 Not Modified", b"", 1)


def test_an_import_or_a_publication_invalidates_every_entry(front, world):
    app, django_app = front
    call(app, getmap_url())
    Layer.bump(municipality=world.gmina_a, kinds=[Layer.Kind.PLAN_ZONES])
    _status, headers, _body = call(app, getmap_url())
    assert headers["X-Cache"] == "MISS" and django_app.calls == 2

    url = draft_url(DIM_STATUS="elaboration")
    _status, _headers, before = call(app, url)
    assert rgb_at(before, (150, 150)) == (255, 255, 255)  # another gmina's draft: not public
    world.draft_b.is_published = True
    world.draft_b.save()
    _status, headers, after = call(app, url)
    assert headers["X-Cache"] == "MISS"
    assert close(rgb_at(after, (150, 150)), MW_RGB)


def test_a_signed_in_users_maps_never_enter_nor_leave_the_cache(front, planner_b, settings):
    app, django_app = front
    session = client_for(planner_b).cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    url = draft_url(DIM_STATUS="elaboration")
    for _ in range(2):
        _status, headers, body = call(app, url, cookie=cookie)
        assert headers["X-Cache"] != "HIT-FRONT"
        assert close(rgb_at(body, (150, 150)), MW_RGB)  # the planner sees his gmina's draft
    _status, headers, body = call(app, url)
    assert headers["X-Cache"] != "HIT-FRONT" and django_app.calls == 3
    assert rgb_at(body, (150, 150)) == (255, 255, 255)  # the public does not
    _status, headers, _body = call(app, url, cookie=cookie)
    assert headers["X-Cache"] != "HIT-FRONT" and django_app.calls == 4


def test_errors_other_requests_and_foreign_hosts_go_to_django(front):
    app, django_app = front
    bad = getmap_url(LAYERS="no-such-layer")
    for _ in range(2):
        status, _headers, body = call(app, bad)
        assert status.startswith("400") and b"LayerNotDefined" in body
    assert django_app.calls == 2
    caps = "/gmina-a/ows?SERVICE=WMS&REQUEST=GetCapabilities"
    call(app, caps)
    call(app, caps)
    assert django_app.calls == 4
    call(app, getmap_url())
    status, _headers, _body = call(app, getmap_url(), host="evil.example")
    assert status.startswith("400") and django_app.calls == 6


def test_memory_stays_within_its_limit_least_recently_used_out_first(world):
    app, _counter = make_front(max_bytes=1)
    call(app, getmap_url())
    assert app.size == 0 and not app.entries  # larger than the whole cache: not kept
    app, _counter = make_front()
    sizes = [len(call(app, getmap_url(WIDTH=w))[2]) for w in (300, 400, 500)]
    assert app.size == sum(sizes) and len(app.entries) == 3
    app.max_bytes = sizes[1] + sizes[2]
    call(app, getmap_url(WIDTH=300))  # served, and now the most recently used
    call(app, getmap_url(WIDTH=600))
    assert app.size <= app.max_bytes
    assert call(app, getmap_url(WIDTH=600))[1]["X-Cache"] == "HIT-FRONT"


def test_turning_the_image_cache_off_turns_this_one_off(front, settings):
    settings.WMS_CACHE_SECONDS = 0
    app, django_app = front
    call(app, getmap_url())
    call(app, getmap_url())
    assert django_app.calls == 2 and not app.entries


def test_every_catalogue_change_moves_the_generation(world):
    from wms.ows.front_cache import current_fingerprint

    seen = [current_fingerprint()]
    Layer.bump(municipality=world.gmina_a, kinds=[Layer.Kind.PARCELS])
    seen.append(current_fingerprint())
    world.plan_a.title += " (zmiana)"
    world.plan_a.save()
    seen.append(current_fingerprint())
    world.gmina_b.is_active = False
    world.gmina_b.save()
    seen.append(current_fingerprint())
    assert len(set(seen)) == 4 and seen == sorted(seen)


PUBLIC_REQUESTS = [
    "/gmina-a/ows?SERVICE=WMS&REQUEST=GetCapabilities",
    getmap_url(LAYERS="no-such-layer"),
    getmap_url(WIDTH=100000),
    getmap_url(
        REQUEST="GetFeatureInfo", QUERY_LAYERS="wektor-str", INFO_FORMAT="text/html", I=150, J=450
    ),
    getmap_url(
        "/ows",
        LAYERS="gmina-a:wektor-str",
        REQUEST="GetFeatureInfo",
        QUERY_LAYERS="gmina-a:wektor-str",
        INFO_FORMAT="application/json",
        I=150,
        J=450,
    ),
    "/gmina-a/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=dzialki"
    "&OUTPUTFORMAT=application/json",
    "/gmina-b/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=wektor-str&COUNT=50",
    "/no-such-gmina/ows?SERVICE=WMS&REQUEST=GetCapabilities",
]


TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")


CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def without_timestamps(body: bytes) -> bytes:
    """WFS answers carry their time (timeStamp): two calls may fall in different seconds; the
    HTML 404 page's language form carries a CSRF token masked anew on every render."""
    return CSRF_TOKEN.sub(b"<csrf>", TIMESTAMP.sub(b"<time>", body))


@pytest.mark.parametrize("url", PUBLIC_REQUESTS)
def test_the_public_handler_answers_as_the_full_stack_does(front, url):
    app, counter = front
    full = get_wsgi_application()
    status, headers, body = call(full, url)
    public_status, public_headers, public_body = call(app, url)
    assert counter.calls == 1  # through the public handler (no image cached for these)
    assert public_status == status
    assert without_timestamps(public_body) == without_timestamps(body)
    assert "Set-Cookie" not in public_headers
    headers.pop("X-Cache", None), public_headers.pop("X-Cache", None)
    if b"csrfmiddlewaretoken" in body:  # the full stack also hands the HTML page a CSRF cookie
        headers.pop("Set-Cookie", None)
        headers["Vary"] = ", ".join(v for v in headers["Vary"].split(", ") if v != "Cookie")
        if not headers["Vary"]:
            headers.pop("Vary")
    assert public_headers == headers


def test_requests_with_credentials_or_other_methods_take_the_full_stack(planner_b, settings):
    session = client_for(planner_b).cookies[settings.SESSION_COOKIE_NAME].value
    environ = {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session}"}
    from wms.ows.front_cache import is_public_ows

    assert not is_public_ows({**environ, "REQUEST_METHOD": "GET", "PATH_INFO": "/ows"})
    assert not is_public_ows(
        {"REQUEST_METHOD": "GET", "PATH_INFO": "/ows", "HTTP_AUTHORIZATION": "Basic eDp5"}
    )
    assert not is_public_ows({"REQUEST_METHOD": "POST", "PATH_INFO": "/ows"})
    assert not is_public_ows({"REQUEST_METHOD": "GET", "PATH_INFO": "/gmina-a/"})
    assert is_public_ows(
        {"REQUEST_METHOD": "GET", "PATH_INFO": "/gmina-a/ows", "HTTP_HOST": "testserver"}
    )
