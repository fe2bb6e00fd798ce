"""A cache of rendered maps in front of Django: repeated anonymous GetMap requests skip the framework.

The WSGI wrapper ``FrontCache`` sees a request before Django does. An anonymous (no session cookie,
no Authorization header) ``GET …/ows?…REQUEST=GetMap…`` whose canonical query (parameter names
upper-cased, sorted) was answered before is served from this worker's memory, with the headers Django
sent the first time, if the catalogue generation (``wms.core.generation``, moved by database triggers in
the same transaction as any change of a layer, its ``data_version``, a gmina or a plan) is still the
one read before that first answer and the day is the same (plans in force change at midnight). So an
import, a publication or a status change invalidates every entry at once and nothing stale is
served; the check is an empty round trip on a LISTENing connection.

Behind standbys (layers/replicas.py, docs/deploy.md) the generation is read from the server that
draws the map (a query of the standby itself: its generation row replays with the data), and an
answer is kept only if that generation did not move while it was drawn. An answer is served only to
a request whose server has that same generation: never older than the data that server serves, and
dropped as soon as it replays a change. The generation numbers the same data on every server, so
one entry serves the primary and every standby at that generation.

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
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import parse_qsl

from csp.constants import HEADER as CSP_HEADER
from csp.constants import HEADER_REPORT_ONLY as CSP_HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIHandler
from django.db import DatabaseError
from django.http.request import split_domain_port, validate_host
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject

from layers.metrics import FRONT_CACHE_HIT, FRONT_CACHE_MISS
from wms.core.extra_layers import catalogue_fingerprint
from wms.maps.image_cache import MAX_BYTES
from wms.ows import throttle

OWS_PATH = re.compile(r"^/(?:[-a-z0-9_]+/)?ows$")
OGC_PATH = re.compile(r"^/(?:(?:[-a-z0-9_]+/)?ows|ogcapi(?:/.*)?)$")
MAYBE_GETMAP = re.compile(r"(?:^|&)request=(?:getmap|map)(?:&|$)", re.IGNORECASE)
DROPPED_HEADERS = {"set-cookie", "content-language", "x-cache"}
MAX_QUERY = 4096  # longer queries are answered, not kept
MAX_ALIASES = 50_000


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
    "layers.metrics.RequestMetricsMiddleware",
    "layers.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wms.ows.front_cache.PublicCSPMiddleware",
    "wms.ows.front_cache.AnonymousUserMiddleware",  # where the session middleware is in the full stack
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


_PER_ANSWER = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


class PublicCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy of a plain answer built once, not per answer.

    An answer without a nonce and without a policy of its own (``_csp_update`` and the like) gets
    the policy of the settings; building that string took a tenth of a GetFeatureInfo. It is built
    again when the settings objects change; anything else goes to django-csp itself.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self._built: tuple | None = None

    def process_response(self, request, response):
        plain = getattr(request, "_csp_nonce", None) is None and all(
            getattr(response, name, None) is None for name in _PER_ANSWER
        )
        if not plain or settings.DEBUG:
            return super().process_response(request, response)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        built = self._built
        if built is None or built[0] is not policy or built[1] is not report_only:
            built = (policy, report_only, build_policy(), build_policy(report_only=True))
            self._built = built
        for header, value, config, exempt in (
            (CSP_HEADER, built[2], policy, "_csp_exempt"),
            (CSP_HEADER_REPORT_ONLY, built[3], report_only, "_csp_exempt_ro"),
        ):
            prefixes = tuple((config or {}).get("EXCLUDE_URL_PREFIXES") or ())
            if (
                value
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = value
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


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


def raw_key(environ: dict) -> str | None:
    """Path and query as sent, when the query may be a GetMap (cheap: no parsing)."""
    query = environ.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY or not MAYBE_GETMAP.search(query):
        return None
    return environ["PATH_INFO"] + "?" + query


def canonical_key(path: str, query: str) -> str | None:
    """The cache key of a GetMap: parameter names upper-cased and sorted (the same map asked with
    names in another case or order is the same entry); None when REQUEST is not GetMap, or when a
    name comes twice with different values (the view refuses that: nothing to keep)."""
    try:  # as the view reads it; a query not in UTF-8 is not kept (the view reads it as Latin-1)
        pairs = parse_qsl(query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return None
    params = sorted({(k.upper(), v) for k, v in pairs})
    named = dict(params)
    if len(named) != len(params) or named.get("REQUEST", "").lower() not in ("getmap", "map"):
        return None
    return path + "?" + "&".join(f"{k}={v}" for k, v in params)


def _host_allowed(environ: dict) -> bool:
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    allowed = tuple(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        allowed = (".localhost", "127.0.0.1", "[::1]")
    key = (host, allowed)
    known = _hosts_seen.get(key)
    if known is None:
        domain, _port = split_domain_port(host)
        known = bool(domain) and validate_host(domain, allowed)
        if len(_hosts_seen) > 256:
            _hosts_seen.clear()  # a flood of made-up Host headers cannot grow it
        _hosts_seen[key] = known
    return known


_hosts_seen: dict[tuple, bool] = {}


def _secure_enough(environ: dict) -> bool:
    if not settings.SECURE_SSL_REDIRECT or environ.get("wsgi.url_scheme") == "https":
        return True
    header = settings.SECURE_PROXY_SSL_HEADER
    return bool(header) and environ.get(header[0]) == header[1]


def current_fingerprint() -> tuple | None:
    """The catalogue fingerprint now, or None when the database cannot be asked (then: no cache).

    The generation, and the last moment passed at which an extra layer changed with no write (a
    consultation's start: wms/core/extra_layers.py ``time_epoch``): an answer drawn before such a
    moment is not served after it."""
    try:
        return catalogue_fingerprint()
    except DatabaseError:
        return None


class _Today:
    """``timezone.localdate()``, computed again only after the next local midnight."""

    def __init__(self) -> None:
        self.day: dt.date | None = None
        self.until = 0.0

    def __call__(self) -> dt.date:
        now = time.time()
        if self.day is None or now >= self.until:
            local = timezone.localtime()
            self.day = local.date()
            midnight = (local + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0)
            self.until = min(now + 3600.0, midnight.replace(microsecond=0).timestamp())
        return self.day


today = _Today()


class FrontCache:
    """WSGI middleware; ``application = FrontCache(get_wsgi_application())``."""

    def __init__(self, app, *, public_app=None, max_bytes: int | None = None):
        self.app = app
        self.public_app = public_app if public_app is not None else PublicOwsHandler()
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.aliases: dict[str, str] = {}  # query as sent -> canonical key
        self.size = 0
        self.lock = threading.Lock()
        self.throttle = throttle.Throttle()

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
            self.aliases.clear()
            self.size = 0

    def __call__(self, environ, start_response):
        if not is_public_ows(environ):
            if OGC_PATH.match(environ.get("PATH_INFO", "")):
                return self._throttled(self.app, environ, start_response)
            return self.app(environ, start_response)
        key = None
        if environ.get("REQUEST_METHOD") == "GET" and self._seconds() > 0:
            key = self._key(environ)
        if key is None:
            return self._throttled(self.public_app, environ, start_response)
        fingerprint = current_fingerprint()
        if fingerprint is None:
            return self._throttled(self.public_app, environ, start_response)
        day = today()
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
        if entry is not None and self._fresh(entry, fingerprint, day):
            FRONT_CACHE_HIT.inc()
            return self._serve(entry, environ, start_response)
        FRONT_CACHE_MISS.inc()
        return self._throttled(
            lambda env, start: self._fill(key, fingerprint, day, env, start),
            environ,
            start_response,
        )

    def _throttled(self, app, environ, start_response):
        """``app`` within the client's rate and concurrency limits (wms/ows/throttle.py)."""
        if not throttle.enabled():
            return app(environ, start_response)
        refused = self.throttle.admit(environ)
        if refused is not None:
            return throttle.too_many(environ, start_response, refused[1])
        try:
            result = app(environ, start_response)
        except BaseException:
            self.throttle.release(environ)
            raise
        return throttle.Released(result, lambda: self.throttle.release(environ))

    def _key(self, environ: dict) -> str | None:
        """``canonical_key``, remembered for the query as sent (clients repeat their queries)."""
        raw = raw_key(environ)
        if raw is None:
            return None
        key = self.aliases.get(raw)
        if key is None:
            key = canonical_key(environ["PATH_INFO"], environ.get("QUERY_STRING", ""))
            if key is not None:
                with self.lock:
                    if len(self.aliases) >= MAX_ALIASES:
                        self.aliases.clear()
                    self.aliases[raw] = key
        return key

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
        # kept only when the generation did not move while drawing (a commit, or a standby's
        # replay, in between): the answer then shows exactly the data of ``fingerprint``
        if len(body) <= MAX_BYTES and "etag" in headers and current_fingerprint() == fingerprint:
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
