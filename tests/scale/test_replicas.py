"""Reads on a real hot standby (gis_portal/routing.py, layers/replicas.py), driven through WSGI."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.test.utils import CaptureQueriesContext

from gis_portal.routing import ReplicaReads, ReplicaRouter
from layers.models import Layer
from layers.replicas import choose_read_alias, read_alias
from tests.conftest import client_for
from tests.scale.conftest import ALIAS, pause_replay, resume_replay, wait_for_replay
from tests.wms.conftest import MW_RGB, close, getmap_url, rgb_at
from tests.wms.front import call
from tests.wms.test_front_cache import draft_url
from wms.core.generation import read_generation
from wms.ows.front_cache import FrontCache, PublicOwsHandler

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


@pytest.fixture
def app(on_standby):
    return ReplicaReads(FrontCache(get_wsgi_application(), public_app=PublicOwsHandler()))


def queries_on_each(app, url: str, **headers) -> tuple[str, int, int]:
    """(status, queries on the primary, queries on the standby) of one request."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[ALIAS]) as standby,
    ):
        status, _headers, _body = call(app, url, **headers)
    return status, len(primary), len(standby)


def test_anonymous_reads_go_to_the_standby(app):
    for url in ("/gmina-a/", "/gmina-a/szukaj.json?q=1", getmap_url(WIDTH=301)):
        status, on_primary, on_standby = queries_on_each(app, url)
        assert (status, on_primary) == ("200 OK", 0), url
        assert on_standby > 0, url
    assert read_alias.get() == "default"  # outside a request: the primary


def test_writes_signed_in_users_and_certified_extracts_go_to_the_primary(app, planner_a):
    client = client_for(planner_a)
    session = client.cookies["sessionid"].value
    for url, headers in (
        ("/gmina-a/", {"cookie": f"sessionid={session}"}),
        ("/konto/logowanie/", {}),
        ("/weryfikacja/", {}),
    ):
        _status, _on_primary, on_standby = queries_on_each(app, url, **headers)
        assert on_standby == 0, url
    router = ReplicaRouter()
    token = read_alias.set(ALIAS)
    try:
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(Layer) == ALIAS
        assert router.db_for_write(Layer) == "default"
    finally:
        read_alias.reset(token)


def test_a_writer_reads_his_own_writes_on_the_primary(app, settings):
    _status, headers, _body = call_post(app, "/i18n/setlang/", b"language=pl&next=/")
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"{settings.REPLICA_STICKY_COOKIE}=1;")
    assert f"Max-Age={settings.REPLICA_READ_YOUR_WRITES_SECONDS}" in cookie
    _status, on_primary, on_standby = queries_on_each(
        app, "/gmina-a/", cookie=f"{settings.REPLICA_STICKY_COOKIE}=1"
    )
    assert on_primary > 0 and on_standby == 0


def call_post(app, path: str, body: bytes):
    import io
    from wsgiref.util import setup_testing_defaults

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    result = app(environ, start_response)
    b"".join(result)
    result.close()
    return answer["status"], answer["headers"], b""


def test_a_cached_map_follows_what_the_standby_has_replayed(app, on_standby, world, settings):
    url = draft_url(DIM_STATUS="elaboration")
    _status, headers, before = call(app, url)
    assert rgb_at(before, (150, 150)) == (255, 255, 255)  # the draft is not public yet
    pause_replay(on_standby)
    world.draft_b.is_published = True
    world.draft_b.save()  # committed on the primary, not replayed on the standby yet
    _status, headers, still = call(app, url)
    assert headers["X-Cache"] == "HIT-FRONT" and still == before  # what the standby serves
    _status, headers, drawn = call(app, url.replace("WIDTH=500", "WIDTH=499"))
    assert rgb_at(drawn, (150, 150)) == (255, 255, 255)  # Mapnik draws from the standby too
    cookie = f"{settings.REPLICA_STICKY_COOKIE}=1"
    own_url = url.replace("WIDTH=500", "WIDTH=498")
    _status, headers, own = call(app, own_url, cookie=cookie)  # the writer: the primary
    assert headers["X-Cache"] != "HIT-FRONT" and close(rgb_at(own, (150, 150)), MW_RGB)
    resume_replay(on_standby)
    wait_for_replay(on_standby)
    # dropped by the very next request once the change replayed (wait_for_replay waits for the
    # commit itself, not only for the WAL written so far: the test cluster commits asynchronously)
    _status, headers, after = call(app, url)
    assert headers["X-Cache"] != "HIT-FRONT"
    assert close(rgb_at(after, (150, 150)), MW_RGB)
    # the writer's map, drawn on the primary at the generation the standby now has: the same data
    _status, headers, _body = call(app, own_url)
    assert headers["X-Cache"] == "HIT-FRONT"


def test_waiting_for_replay_covers_the_commit_just_made(on_standby, world):
    """The tests' wait is exact: the test cluster commits asynchronously, and a wait for
    ``pg_current_wal_lsn()`` alone returned before the commit was replayed (39 times in 40)."""
    for _ in range(10):
        world.draft_b.is_published = not world.draft_b.is_published
        world.draft_b.save()
        wait_for_replay(on_standby)
        assert read_generation(using=ALIAS) == read_generation()


def test_a_lagging_standby_is_skipped_and_comes_back_by_itself(on_standby, world, settings):
    assert chosen_within(ALIAS, seconds=5)
    settings.REPLICA_MAX_LAG_SECONDS = 0.5
    pause_replay(on_standby)
    time.sleep(0.6)
    Layer.bump(municipality=world.gmina_a, kinds=[Layer.Kind.PLAN_ZONES])
    time.sleep(0.6)
    assert chosen_within("default", seconds=5)
    resume_replay(on_standby)
    wait_for_replay(on_standby)
    assert chosen_within(ALIAS, seconds=5)  # back by itself


def chosen_within(alias: str, *, seconds: float) -> bool:
    """The read alias becomes ``alias`` within ``seconds`` (the shared cluster's WAL keeps moving)."""
    deadline = time.monotonic() + seconds
    while choose_read_alias() != alias:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_the_standby_stopped_mid_run_costs_no_failed_request(app, on_standby):
    urls = ["/gmina-a/", "/gmina-a/szukaj.json?q=1"]
    urls += [getmap_url(WIDTH=200 + n) for n in range(3)] + [getmap_url(WIDTH=200)]
    answers = []
    for n in range(12):
        if n == 4:
            on_standby.stop()
        status, _headers, _body = call(app, urls[n % len(urls)])
        answers.append(status)
    try:
        assert answers == ["200 OK"] * 12
        assert choose_read_alias() == "default"
    finally:
        on_standby.start()
    wait_for_replay(on_standby)
    assert chosen_within(ALIAS, seconds=5)  # back by itself
