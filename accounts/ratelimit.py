"""Rate limits for HTML and OGC views (search, extracts, sign-up), on Django's cache.

The REST API uses DRF's throttles instead (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``: ``anon``,
``user`` and the scope ``extracts`` for ``ScopedRateThrottle``). For any other view::

    from accounts.ratelimit import ratelimit

    @ratelimit("search")            # rate from settings.RATELIMITS["search"], e.g. "60/minute"
    def search(request, gmina): ...

    @ratelimit("extract", methods={"POST"})   # only POSTs count
    def request_extract(request, gmina): ...

or, inside a view that answers in its own format (e.g. an OGC exception report)::

    state = hit(request, "search")
    if not state.allowed:
        return my_error(429, retry_after=state.retry_after)

Each client (the signed-in user, otherwise the client address; see accounts/clients.py) gets
``count`` requests per fixed window of ``period``. With the default local-memory cache the count is
per process; configure REDIS_URL in production so that all web processes share it. An exceeded limit
answers 429 with ``Retry-After``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from accounts.clients import client_ip

PERIODS = {
    "s": 1,
    "second": 1,
    "m": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


@dataclass(frozen=True)
class RateState:
    allowed: bool
    retry_after: int  # seconds until the window ends (0 when allowed)


def parse_rate(text: str) -> Rate:
    """``"60/minute"`` -> Rate(60, 60); also ``"5/h"``, ``"100/day"``."""
    count, _, period = (text or "").partition("/")
    try:
        return Rate(int(count), PERIODS[period.strip().lower()])
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"rate {text!r} is not COUNT/PERIOD with PERIOD one of second, minute, hour, day"
        ) from exc


def rate_for(scope: str) -> Rate:
    rates = getattr(settings, "RATELIMITS", {})
    if scope not in rates:
        raise ImproperlyConfigured(f"no rate for scope {scope!r} in settings.RATELIMITS")
    return parse_rate(rates[scope])


def client_key(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return f"ip{client_ip(request) or 'unknown'}"


def hit(request: HttpRequest, scope: str, *, rate: Rate | None = None) -> RateState:
    """Count one request of this client in ``scope``; say whether it is still within the rate."""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return RateState(True, 0)
    rate = rate or rate_for(scope)
    now = time.time()
    window = int(now // rate.seconds)
    key = f"ratelimit:{scope}:{client_key(request)}:{window}"
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=rate.seconds + 1)
        used = 1
    if used <= rate.count:
        return RateState(True, 0)
    return RateState(False, max(1, int((window + 1) * rate.seconds - now)))


def too_many_requests(request: HttpRequest, state: RateState) -> HttpResponse:
    body = render_to_string(
        "accounts/rate_limited.html", {"retry_after": state.retry_after}, request=request
    )
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(state.retry_after)
    return response


def ratelimit(scope: str, *, methods: Iterable[str] | None = None) -> Callable:
    """Decorate a view: at most settings.RATELIMITS[scope] requests per client (429 beyond)."""
    counted = {m.upper() for m in methods} if methods else None

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if counted is None or request.method in counted:
                state = hit(request, scope)
                if not state.allowed:
                    return too_many_requests(request, state)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
