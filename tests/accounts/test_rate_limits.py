"""Rate limits: the cache-based decorator for HTML/OGC views and DRF's throttles for the API."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from accounts.ratelimit import Rate, hit, parse_rate, ratelimit
from tests.conftest import client_for


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """The limits count per fixed window: a test's requests straddling a minute's end (a PDF takes
    a second) would be counted in two windows. The clock stands still mid-window here."""
    monkeypatch.setattr("accounts.ratelimit.time", SimpleNamespace(time=lambda: 1_800_030.0))


@ratelimit("search")
def search_view(request):
    return HttpResponse("ok")


@ratelimit("extract", methods={"POST"})
def extract_view(request):
    return HttpResponse("ok")


def anonymous_request(ip: str = "192.0.2.1", method: str = "get"):
    from django.contrib.auth.models import AnonymousUser

    request = getattr(RequestFactory(), method)("/x", REMOTE_ADDR=ip)
    request.user = AnonymousUser()
    return request


@override_settings(RATELIMITS={"search": "3/minute", "extract": "1/hour"})
def test_it_answers_429_with_retry_after_beyond_the_rate(db):
    answers = [search_view(anonymous_request()).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = search_view(anonymous_request())
    assert 1 <= int(limited["Retry-After"]) <= 60


@override_settings(RATELIMITS={"search": "2/minute"})
def test_each_client_has_its_own_count(db, surveyor, planner_a):
    for _ in range(2):
        search_view(anonymous_request("192.0.2.1"))
    assert search_view(anonymous_request("192.0.2.1")).status_code == 429
    assert search_view(anonymous_request("192.0.2.2")).status_code == 200
    # signed-in users are counted per account, wherever they come from
    for user, expected in ((surveyor, [200, 200, 429]), (planner_a, [200])):
        got = []
        for _ in expected:
            request = anonymous_request("192.0.2.1")
            request.user = user
            got.append(search_view(request).status_code)
        assert got == expected


@override_settings(RATELIMITS={"extract": "1/hour"})
def test_only_the_named_methods_count(db):
    assert [extract_view(anonymous_request()).status_code for _ in range(3)] == [200] * 3
    assert extract_view(anonymous_request(method="post")).status_code == 200
    assert extract_view(anonymous_request(method="post")).status_code == 429


@override_settings(RATELIMITS={"search": "1/minute"}, RATELIMIT_ENABLED=False)
def test_it_can_be_switched_off(db):
    assert [search_view(anonymous_request()).status_code for _ in range(3)] == [200] * 3


def test_rates_are_parsed_and_bad_ones_refused():
    assert parse_rate("60/minute") == Rate(60, 60)
    assert parse_rate("5/h") == Rate(5, 3600)
    assert parse_rate("100/day") == Rate(100, 86400)
    for bad in ("", "60", "x/minute", "10/fortnight"):
        with pytest.raises(ImproperlyConfigured):
            parse_rate(bad)
    with pytest.raises(ImproperlyConfigured, match="nope"):
        hit(anonymous_request(), "nope")


@override_settings(RATELIMITS={"password_reset": "2/hour"})
def test_password_reset_requests_are_rate_limited(world):
    client = Client()
    codes = [
        client.post("/konto/haslo/reset/", {"email": "kto@example.org"}).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]


@override_settings(RATELIMITS={"signup": "1/hour"})
def test_surveyor_sign_ups_are_rate_limited(world):
    client = Client()
    assert client.post("/konto/geodeta/rejestracja/", {"email": "bad"}).status_code == 200
    assert client.post("/konto/geodeta/rejestracja/", {"email": "bad"}).status_code == 429
    assert client.get("/konto/geodeta/rejestracja/").status_code == 200  # reading is free


def test_the_api_throttles_signed_in_users(surveyor, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    client = client_for(surveyor)
    codes = [client.get("/api/extracts/999999/").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    assert "Retry-After" in client.get("/api/extracts/999999/")


def test_the_api_throttles_anonymous_clients(world, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    client = Client()
    codes = [client.get("/api/schema/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_client_address_comes_from_trusted_proxies_only(settings):
    from accounts.clients import client_ip

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"  # no proxy configured: the header is ignored
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # the address our one proxy saw, not the forged one
    request.META["HTTP_X_FORWARDED_FOR"] = "not-an-address"
    assert client_ip(request) is None


def test_extract_endpoints_are_rate_limited(world, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "extract": "1/minute"}
    client = Client()
    url = f"/gmina-a/dzialki/{world.parcel_a.identifier}/wypis.pdf"
    assert [client.get(url).status_code for _ in range(2)] == [200, 429]
    # the request form: looking is free, each submission counts
    requester = Client(REMOTE_ADDR="10.9.8.7")
    assert [requester.get("/wypisy/").status_code for _ in range(3)] == [200, 200, 200]
    assert [requester.post("/wypisy/", {}).status_code for _ in range(2)][1] == 429
