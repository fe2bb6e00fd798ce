"""The real stack for the fuzzers (issue 20): gunicorn with two sync workers serving the test database.

One server per package run: the personas' data (tests/conftest.py ``build_world``, an approved
surveyor with a signed-in session) is committed to the test database, gunicorn is started on a socket
bound to a free port of 127.0.0.1, and the database is flushed afterwards. Every fuzz example goes
through ``stack.send(probe)``, which fails on a 5xx, on no answer within ``FUZZ_TIMEOUT`` seconds and
on a dead master or a replaced worker, printing the exact request.

Budgets: the tests run with the Hypothesis profile ``HYPOTHESIS_PROFILE`` (default ``fuzz``: a few
examples per test, derandomized); the ``fuzz_long`` variants use the profile ``nightly`` (random,
``FUZZ_LONG_EXAMPLES`` per test). ``pytest -m fuzz_long tests/fuzz`` runs only the long ones.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.fuzz.stack import Stack

_COMMON = {
    "deadline": None,
    "database": None,
    "print_blob": True,
    "suppress_health_check": list(HealthCheck),
}
hypothesis_settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "12")), derandomize=True, **_COMMON
)
hypothesis_settings.register_profile(
    "nightly", max_examples=int(os.environ.get("FUZZ_LONG_EXAMPLES", "300")), **_COMMON
)

SURVEYOR_PASSWORD = "fuzz-pass-123"


@pytest.fixture(params=["short", pytest.param("long", marks=pytest.mark.fuzz_long)])
def budget(request) -> hypothesis_settings:
    """Hypothesis settings of this run: the make-test budget, or the nightly one under fuzz_long."""
    if request.param == "long":
        return hypothesis_settings.get_profile("nightly")
    return hypothesis_settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))


@pytest.fixture(scope="package")
def stack(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Stack]:
    secret = secrets.token_urlsafe(48)
    with django_db_blocker.unblock():
        try:
            session = _populate(secret)
            with _gunicorn(tmp_path_factory.mktemp("gunicorn"), secret) as server:
                server.surveyor_session = session
                yield server
        finally:
            call_command("flush", interactive=False, verbosity=0)


def _populate(secret: str) -> str:
    """The personas' data, committed; the surveyor's session id (signed with the server's key)."""
    from django.contrib.auth import get_user_model

    from accounts.models import SurveyorProfile
    from extracts.models import ExtractBatch
    from tests.conftest import build_world

    world = build_world()
    user = get_user_model().objects.create_user(username="surveyor", password=SURVEYOR_PASSWORD)
    SurveyorProfile.objects.create(
        user=user,
        licence_number="12345",
        municipality=world.gmina_a,
        status=SurveyorProfile.Status.APPROVED,
    )
    ExtractBatch.objects.create(
        owner=user, parcel_ids=[world.parcel_a.identifier], as_of=world.plan_a.in_force_from
    )
    with override_settings(SECRET_KEY=secret):
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value


def _server_env(secret: str) -> dict[str, str]:
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DEBUG": "0",  # as in production: no debug pages, no /media/
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "RATELIMIT_ENABLED": "0",  # the fuzzers are one busy client by design
        "API_RATE_ANON": "100000/minute",
        "API_RATE_USER": "100000/minute",
        "API_RATE_EXTRACTS": "100000/minute",
        "LOG_LEVEL": "WARNING",
    }


class _gunicorn:
    """Context manager: gunicorn on a pre-bound socket (no port race), stopped on exit."""

    def __init__(self, folder: Path, secret: str):
        self.folder, self.secret = folder, secret

    def __enter__(self) -> Stack:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        port = listener.getsockname()[1]
        log = self.folder / "gunicorn.log"
        command = [sys.executable, "-m", "gunicorn", "gis_portal.wsgi"]
        command += ["--bind", f"fd://{listener.fileno()}", "--workers", "2", "--timeout", "120"]
        command += ["--error-logfile", str(log), "--log-level", "info", "--capture-output"]
        self.process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=_server_env(self.secret),
            pass_fds=(listener.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        listener.close()
        stack = Stack(url=f"http://127.0.0.1:{port}", process=self.process, log=log)
        try:
            stack.wait_ready(timeout=90)
        except BaseException:
            self.__exit__()
            raise
        return stack

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        time.sleep(0.2)  # workers close their database connections before the flush
