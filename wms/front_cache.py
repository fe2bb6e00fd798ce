"""A cache of rendered maps in front of Django: repeated anonymous GetMap requests skip the framework.

The WSGI wrapper ``FrontCache`` sees a request before Django does. An anonymous (no session cookie,
no Authorization header) ``GET …/ows?…REQUEST=GetMap…`` whose canonical query (parameter names
upper-cased, sorted) was answered before is served from this worker's memory, with the headers Django
sent the first time, if the catalogue generation (``wms.catalog.FINGERPRINT_SQL``, moved by database
triggers in the same transaction as any change of a layer, its ``data_version``, a gmina or a plan)
is still the one read before that first answer and the day is the same (plans in force change at
midnight). So an import, a publication or a status change invalidates every entry at once and
nothing stale is served; the check is one primary-key read.

Only anonymous requests are cached: a signed-in user may see unpublished plans, so his maps never
enter this cache and he is never served from it. Error answers (ServiceExceptionReports) and
anything but a 200 image are not kept. Memory is bounded (``WMS_FRONT_CACHE_MB`` per worker, least
recently used out first); ``WMS_CACHE_SECONDS`` = 0 turns it off with the image cache.

Every other anonymous GET or HEAD to an OGC endpoint (GetFeatureInfo, WFS, capabilities, a GetMap
not cached yet) goes through ``PublicOwsHandler``: Django with only the middleware such a request
needs (security headers and HTTPS redirect, CSP, host check, language, X-Frame-Options). Sessions,
CSRF, authentication, 2FA, messages and sign-in lock-out have nothing to do for it; the user is
anonymous and the answer says ``Vary: Cookie`` as the full stack's does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIHandler
from django.db import DatabaseError, connection
from django.http.request import split_domain_port, validate_host
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject

from wms.cache import MAX_BYTES
from wms.catalog import FINGERPRINT_SQL

OWS_PATH = re.compile(r"^/(?:[-a-z0-9_]+/)?ows$")
MAYBE_GETMAP = re.compile(r"(?:^|&)request=(?:getmap|map)(?:&|$)", re.IGNORECASE)
DROPPED_HEADERS = {"set-cookie", "content-language", "x-cache"}


@dataclass(frozen=True)
class Entry:
    fingerprint: tuple
    day: dt.date
    stored: float
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str


PUBLIC_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "wms.front_cache.AnonymousUserMiddleware",  # where the session middleware is in the full stack
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


class AnonymousUserMiddleware:
    """``request.user`` for a request without credentials.

    As with the full stack, an answer that looked at the user varies on Cookie (a signed-in user may
    see more), one that did not (capabilities, say) does not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        looked = []

        def user():
            looked.append(True)
            return AnonymousUser()

        request.user = SimpleLazyObject(user)
        response = self.get_response(request)
        if looked:
            patch_vary_headers(response, ("Cookie",))
        return response


class PublicOwsHandler(WSGIHandler):
    """Django's WSGI handler with ``PUBLIC_MIDDLEWARE`` instead of ``settings.MIDDLEWARE``."""

    def load_middleware(self, is_async=False):
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = PUBLIC_MIDDLEWARE  # read only by load_middleware, once, at start-up
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


def is_public_ows(environ: dict) -> bool:
    """An anonymous GET/HEAD to ``/ows`` or ``/<gmina>/ows`` that Django would not redirect."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    if not OWS_PATH.match(environ.get("PATH_INFO", "")) or environ.get("HTTP_AUTHORIZATION"):
        return False
    cookie = environ.get("HTTP_COOKIE", "")
    if cookie and settings.SESSION_COOKIE_NAME in cookie:
        return False
    return _host_allowed(environ) and _secure_enough(environ)


def request_key(environ: dict) -> str | None:
    """The cache key of an anonymous GetMap GET, or None when the request is not one."""
    if environ.get("REQUEST_METHOD") != "GET" or not is_public_ows(environ):
        return None
    if not MAYBE_GETMAP.search(environ.get("QUERY_STRING", "")):
        return None  # cheap: most other requests are not parsed twice
    params = sorted((k.upper(), v) for k, v in parse_qsl(environ.get("QUERY_STRING", "")))
    if dict(params).get("REQUEST", "").lower() not in ("getmap", "map"):
        return None
    raw = environ["PATH_INFO"] + "?" + "&".join(f"{k}={v}" for k, v in params)
    return hashlib.sha256(raw.encode()).hexdigest()


def _host_allowed(environ: dict) -> bool:
    domain, _port = split_domain_port(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""))
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)


def _secure_enough(environ: dict) -> bool:
    if not settings.SECURE_SSL_REDIRECT or environ.get("wsgi.url_scheme") == "https":
        return True
    header = settings.SECURE_PROXY_SSL_HEADER
    return bool(header) and environ.get(header[0]) == header[1]


def current_fingerprint() -> tuple | None:
    """The catalogue fingerprint now, or None when the database cannot be asked (then: no cache)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(FINGERPRINT_SQL)
            return tuple(cursor.fetchone())
    except DatabaseError:
        connection.close()  # Django opens a new connection for the request that follows
        return None


class FrontCache:
    """WSGI middleware; ``application = FrontCache(get_wsgi_application())``."""

    def __init__(self, app, *, public_app=None, max_bytes: int | None = None):
        self.app = app
        self.public_app = public_app if public_app is not None else PublicOwsHandler()
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def _limit(self) -> int:
        if self.max_bytes is not None:
            return self.max_bytes
        return int(getattr(settings, "WMS_FRONT_CACHE_MB", 64)) * 1024 * 1024

    @staticmethod
    def _seconds() -> int:
        return int(getattr(settings, "WMS_CACHE_SECONDS", 86400))

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0

    def __call__(self, environ, start_response):
        if not is_public_ows(environ):
            return self.app(environ, start_response)
        key = request_key(environ) if self._seconds() > 0 else None
        if key is None:
            return self.public_app(environ, start_response)
        fingerprint = current_fingerprint()
        if fingerprint is None:
            return self.public_app(environ, start_response)
        day = timezone.localdate()
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
        if entry is not None and self._fresh(entry, fingerprint, day):
            return self._serve(entry, environ, start_response)
        return self._fill(key, fingerprint, day, environ, start_response)

    def _fresh(self, entry: Entry, fingerprint: tuple, day: dt.date) -> bool:
        return (
            entry.fingerprint == fingerprint
            and entry.day == day
            and time.monotonic() - entry.stored < self._seconds()
        )

    @staticmethod
    def _serve(entry: Entry, environ, start_response):
        if environ.get("HTTP_IF_NONE_MATCH") == entry.etag:
            start_response("304 Not Modified", [("ETag", entry.etag)])
            return [b""]
        start_response(entry.status, [*entry.headers, ("X-Cache", "HIT-FRONT")])
        return [entry.body]

    def _fill(self, key: str, fingerprint: tuple, day: dt.date, environ, start_response):
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.public_app(environ, capture)
        headers = {name.lower(): value for name, value in captured.get("headers", [])}
        if not captured.get("status", "").startswith("200") or not headers.get(
            "content-type", ""
        ).startswith("image/"):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        if len(body) <= MAX_BYTES and "etag" in headers:
            kept = tuple(
                (name, value)
                for name, value in captured["headers"]
                if name.lower() not in DROPPED_HEADERS
            )
            self._store(
                key,
                Entry(
                    fingerprint=fingerprint,
                    day=day,
                    stored=time.monotonic(),
                    status=captured["status"],
                    headers=kept,
                    body=body,
                    etag=headers["etag"],
                ),
            )
        return [body]

    def _store(self, key: str, entry: Entry) -> None:
        limit = self._limit()
        if len(entry.body) > limit:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self.entries[key] = entry
            self.size += len(entry.body)
            while self.size > limit:
                _key, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped.body)
