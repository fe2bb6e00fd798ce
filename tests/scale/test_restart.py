"""The primary restarted costs no app restart: a real gunicorn over a real PostgreSQL that restarts.

The database server is a throwaway copy of the test cluster (``pg_basebackup`` without ``-R``: a
primary of its own that already holds the migrated test database and the committed test data), on a
free port; the shared cluster is never stopped. gunicorn serves the portal from it as production
does (DEBUG off, persistent connections with health checks, Mapnik's own pooled PostGIS connections,
the LISTENing catalogue connection), with the image caches off so every map is drawn. After a
``pg_ctl restart -m fast`` every kind of request answers again, from the same master and workers;
while the server is down they answer at once with a clean error.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qsl, urlencode

import pytest
from django.conf import settings
from django.db import connections

from tests.fuzz.stack import Answer, Probe, Stack
from tests.scale.conftest import (
    PGBIN,
    Server,
    as_postgres,
    configure,
    free_port,
    postgres_folder,
    require,
)
from tests.wms.conftest import MN_PIXEL, MN_RGB, close, getmap_url, rgb_at

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DOWN_TIMEOUT = 10.0  # an answer while the database is down comes at once, never after this


@pytest.fixture
def primary_copy(world) -> Iterator[Server]:
    """A running standalone copy of the test cluster (the world committed in it)."""
    require(PGBIN / "pg_basebackup", PGBIN / "pg_ctl")
    source = connections["default"].settings_dict
    folder = postgres_folder("primary")
    data = folder / "data"
    as_postgres(
        [
            str(PGBIN / "pg_basebackup"),
            *("-h", source["HOST"] or "127.0.0.1", "-p", str(source["PORT"] or 5432)),
            *("-U", source["USER"] or "postgres", "-D", str(data)),
            *("-X", "stream", "-c", "fast", "--no-sync"),
        ]
    )
    server = Server(data=data, port=free_port(), log=folder / "log")
    configure(data, port=server.port, socket_dir=folder)
    try:
        server.start()
        yield server
    finally:
        server.stop("immediate", missing_ok=True)
        # the whole cluster's copy takes seconds to delete: not waited for
        subprocess.Popen(["rm", "-rf", str(folder)], start_new_session=True)


def server_env(*, database_port: int, redis_url: str) -> dict[str, str]:
    """Production's settings (docker-compose, bench/serve.sh) over the throwaway primary."""
    db = connections["default"].settings_dict
    return {
        **os.environ,
        "LOCAL_ENV_FILE": "",
        "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{database_port}/{db['NAME']}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "REDIS_URL": redis_url,
        "DB_CONN_MAX_AGE": "600",
        "WMS_MAPNIK_PERSIST_CONNECTION": "1",
        "WMS_CACHE_SECONDS": "0",  # no image cache, no front cache: every GetMap is drawn
        "RATELIMIT_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def stack(primary_copy, redis_url, tmp_path) -> Iterator[Stack]:
    """gunicorn with two sync workers on a socket bound to a free port of 127.0.0.1."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "gis_portal.wsgi", "--workers", "2"]
    command += ["--bind", f"fd://{listener.fileno()}", "--timeout", "60"]
    command += ["--error-logfile", str(log), "--capture-output"]
    process = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=server_env(database_port=primary_copy.port, redis_url=redis_url),
        pass_fds=(listener.fileno(),),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    listener.close()
    server = Stack(url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        server.wait_ready(timeout=90)
        yield server
    finally:
        process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def ogc(path: str, **params: str) -> str:
    return f"{path}?{urlencode(params)}"


def requests_of_every_kind(world) -> dict[str, tuple[str, object]]:
    """name: (path, check of a 200 answer's body) — each one reads the database."""
    parcel = world.parcel_a.identifier

    def has_parcel(body: bytes) -> bool:
        doc = json.loads(body)
        return parcel in json.dumps(doc["features"], ensure_ascii=False)

    wfs = ogc(
        "/gmina-a/ows",
        SERVICE="WFS",
        VERSION="2.0.0",
        REQUEST="GetFeature",
        TYPENAMES="dzialki",
        OUTPUTFORMAT="application/json",
    )
    return {
        "page": ("/gmina-a/", lambda body: b"Gmina A" in body),
        "getmap": (getmap_url(), lambda body: close(rgb_at(body, MN_PIXEL), MN_RGB)),
        "wfs": (wfs, has_parcel),
        "ogcapi": ("/ogcapi/collections/gmina-a:dzialki/items?f=json", has_parcel),
    }


def send(stack: Stack, path: str, *, timeout: float = 30.0) -> Answer:
    route, _mark, query = path.partition("?")
    return stack.raw(Probe("GET", route, parse_qsl(query, keep_blank_values=True)), timeout=timeout)


def assert_all_answer(stack: Stack, kinds: dict[str, tuple[str, object]], *, when: str) -> None:
    """Every request, two at a time (both workers busy), twice: 200 and the right content."""
    __tracebackhide__ = True
    jobs = [(name, path, check) for name, (path, check) in kinds.items() for _ in range(4)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda job: (job, send(stack, job[1])), jobs))
    for (name, _path, check), answer in answers:
        assert answer.status == 200, (
            f"{when}: {name} answered {answer.status}: {answer.body[:600]!r}\n"
            f"server log:\n{stack.log_tail(30)}"
        )
        assert check(answer.body), f"{when}: {name} answered the wrong content"


def test_a_restart_of_the_primary_costs_no_app_restart(stack, primary_copy, world):
    kinds = requests_of_every_kind(world)
    assert_all_answer(stack, kinds, when="before the restart")
    master, workers = stack.process.pid, stack.worker_ids()
    assert len(workers) == 2

    primary_copy.restart()
    assert_all_answer(stack, kinds, when="after the restart")
    assert (stack.process.pid, stack.process.poll(), stack.worker_ids()) == (master, None, workers)

    # down for a while: every request answers 503 at once, then all come back by themselves
    primary_copy.stop("fast")
    for name, (path, _check) in kinds.items():
        started = time.monotonic()
        answer = send(stack, path, timeout=DOWN_TIMEOUT)
        assert time.monotonic() - started < DOWN_TIMEOUT
        assert answer.status == 503, f"{name} while down: {answer.status} {answer.body[:300]!r}"
        assert answer.headers.get("Retry-After")
    primary_copy.start()
    assert_all_answer(stack, kinds, when="after the outage")
    assert (stack.process.pid, stack.process.poll(), stack.worker_ids()) == (master, None, workers)
