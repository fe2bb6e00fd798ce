"""Reads of anonymous visitors on hot standbys, everything else on the primary (docs/deploy.md).

``ReplicaReads`` wraps the WSGI application (outside the front cache) and decides per request,
from the request alone, before anything reads the database:

- a standby (``layers.replicas.choose_read_alias``: a healthy one, else the primary) for a GET or
  HEAD without a session cookie, an Authorization header or the read-your-writes cookie, to a path
  not matched by ``REPLICA_PRIMARY_PATHS`` (sign-in and accounts, the admin, certified extracts
  and their verification, the REST API, imports, the health check): OGC services, public pages,
  search, informational PDFs;
- the primary for everything else. Signed-in users (staff, surveyors) always have a session
  cookie, so they always read the primary: they are the ones who write, and they read their own
  writes with no delay. Anyone who sent a write (POST, PUT, PATCH, DELETE) gets the cookie
  ``REPLICA_STICKY_COOKIE`` for ``REPLICA_READ_YOUR_WRITES_SECONDS`` (by default the largest lag
  a standby in use may have plus the interval of its checks): until then his reads stay on the
  primary, and after it any standby still in use has replayed his write.

``ReplicaRouter`` sends every write, and every read of the models that only the primary may answer
(sessions, users, sign-in lock-outs, second factors, jobs, accounts, certified extracts and their
numbering), to the primary; other reads to the request's read database. Nothing migrates a standby.

A request that failed on a standby (a 5xx answer: the standby stopped, a Mapnik connection lost)
makes the standby be checked again at once; if it is no longer healthy the request is answered
again on the primary, so a standby going down costs no failed request (GET and HEAD only; a
streamed answer that already started cannot be repeated).
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.http.cookie import parse_cookie

from layers.replicas import PRIMARY, choose_read_alias, read_alias, recheck, replica_aliases

logger = logging.getLogger(__name__)

PRIMARY_APPS = frozenset(
    {
        "sessions",
        "auth",
        "admin",
        "axes",
        "django_otp",
        "otp_totp",
        "procrastinate",
        "accounts",
        "extracts",
    }
)
SAFE_METHODS = frozenset({"GET", "HEAD"})


class ReplicaRouter:
    """Django's database router (``DATABASE_ROUTERS``); see the module docstring."""

    def db_for_read(self, model, **hints) -> str:
        if model._meta.app_label in PRIMARY_APPS:
            return PRIMARY
        return read_alias.get()

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the standbys hold the primary's data

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY


def may_read_from_standby(environ: dict) -> bool:
    """An anonymous read that has written nothing lately (see the module docstring)."""
    if environ.get("REQUEST_METHOD") not in SAFE_METHODS or environ.get("HTTP_AUTHORIZATION"):
        return False
    if _primary_paths().search(environ.get("PATH_INFO", "")):
        return False
    raw = environ.get("HTTP_COOKIE", "")
    if raw:
        cookies = parse_cookie(raw)
        if settings.SESSION_COOKIE_NAME in cookies or settings.REPLICA_STICKY_COOKIE in cookies:
            return False
    return True


def _primary_paths() -> re.Pattern:
    pattern = settings.REPLICA_PRIMARY_PATHS
    compiled = _compiled.get(pattern)
    if compiled is None:
        compiled = _compiled[pattern] = re.compile(pattern)
    return compiled


_compiled: dict[str, re.Pattern] = {}


def sticky_cookie() -> tuple[str, str]:
    name, seconds = settings.REPLICA_STICKY_COOKIE, int(settings.REPLICA_READ_YOUR_WRITES_SECONDS)
    secure = "; Secure" if settings.SESSION_COOKIE_SECURE else ""
    return ("Set-Cookie", f"{name}=1; Max-Age={seconds}; Path=/; HttpOnly; SameSite=Lax{secure}")


class _Reset:
    """The answer's iterable; closing it (the server's last step) puts the reads back on the primary."""

    def __init__(self, result) -> None:
        self.result = result

    def __iter__(self):
        return iter(self.result)

    def close(self) -> None:
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            read_alias.set(PRIMARY)


def run_reading_from(alias: str, app, environ: dict, start_response):
    """``app`` with its reads on ``alias`` until its answer is closed."""
    read_alias.set(alias)
    try:
        return _Reset(app(environ, start_response))
    except BaseException:
        read_alias.set(PRIMARY)
        raise


class ReplicaReads:
    """WSGI middleware: ``application = ReplicaReads(FrontCache(django_application))``."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        if not replica_aliases():
            return self.app(environ, start_response)
        if environ.get("REQUEST_METHOD") not in SAFE_METHODS:
            return run_reading_from(PRIMARY, self.app, environ, _sticky(start_response))
        alias = choose_read_alias() if may_read_from_standby(environ) else PRIMARY
        if alias == PRIMARY:
            return run_reading_from(PRIMARY, self.app, environ, start_response)
        return self._on_standby(alias, environ, start_response)

    def _on_standby(self, alias: str, environ: dict, start_response):
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return _no_write

        result = run_reading_from(alias, self.app, environ, capture)
        if captured.get("status", "500").startswith("5") and not recheck(alias):
            logger.warning(
                "%s failed on standby %s: answered by the primary", environ["PATH_INFO"], alias
            )
            result.close()
            return run_reading_from(PRIMARY, self.app, environ, start_response)
        start_response(captured["status"], captured["headers"])
        return result


def _sticky(start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, sticky_cookie()], exc_info)

    return start


def _no_write(data: bytes) -> None:
    raise RuntimeError("the application must return its body, not write() it")
