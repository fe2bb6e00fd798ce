"""Per-client rate and concurrency limits on the OGC endpoints, before Django (issue 20).

``FrontCache`` (wms/ows/front_cache.py) asks ``Throttle.admit`` for every request to ``/ows``,
``/<gmina>/ows`` and ``/ogcapi/…`` that it does not answer from its memory (a front-cache hit costs
nothing and is not counted). Each client address (accounts/clients.py: ``AXES_PROXY_COUNT``
proxies trusted) has a token bucket of ``OGC_RATE_BURST`` requests refilled at
``OGC_RATE_PER_SECOND``, and at most ``OGC_CONCURRENCY_PER_CLIENT`` requests in progress. The counts
are per worker process, in memory: no round trip. A client over a limit gets 429 with
``Retry-After``, as an OGC exception report (WMS, WFS) or a JSON problem (OGC API).

QGIS loading tiles asks a few dozen maps a second over at most a handful of connections; OWSLib pages
one request after the other: neither comes near the defaults. ``RATELIMIT_ENABLED=0`` turns the limits
off with the portal's other rate limits (the benchmark does).
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from django.conf import settings

from accounts.clients import client_ip

MAX_CLIENTS = 10_000


@dataclass
class Bucket:
    tokens: float
    stamp: float
    running: int = 0


class Throttle:
    def __init__(self) -> None:
        self.buckets: dict[str, Bucket] = {}
        self.lock = threading.Lock()

    def admit(self, environ: dict) -> tuple[str, float] | None:
        """None when the request may run (then ``release`` it), else (client, seconds to wait)."""
        rate = float(settings.OGC_RATE_PER_SECOND)
        burst = float(settings.OGC_RATE_BURST)
        concurrency = int(settings.OGC_CONCURRENCY_PER_CLIENT)
        client = client_ip(SimpleNamespace(META=environ)) or "unknown"
        now = time.monotonic()
        with self.lock:
            bucket = self.buckets.get(client)
            if bucket is None:
                if len(self.buckets) >= MAX_CLIENTS:
                    self.buckets.clear()  # a flood of addresses cannot grow it
                bucket = self.buckets[client] = Bucket(tokens=burst, stamp=now)
            if rate > 0:
                bucket.tokens = min(burst, bucket.tokens + (now - bucket.stamp) * rate)
                bucket.stamp = now
                if bucket.tokens < 1:
                    return client, (1 - bucket.tokens) / rate
            if concurrency > 0 and bucket.running >= concurrency:
                return client, 1.0
            if rate > 0:
                bucket.tokens -= 1
            bucket.running += 1
        environ["wms.throttle.client"] = client
        return None

    def release(self, environ: dict) -> None:
        client = environ.pop("wms.throttle.client", None)
        with self.lock:
            bucket = self.buckets.get(client) if client else None
            if bucket is not None and bucket.running > 0:
                bucket.running -= 1


def enabled() -> bool:
    return bool(getattr(settings, "RATELIMIT_ENABLED", True))


class Released:
    """The answer's body, passed through; the client's slot is released when the server closes it."""

    def __init__(self, result, on_close):
        self.result, self.on_close = result, on_close

    def __iter__(self):
        return iter(self.result)

    def close(self) -> None:
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            self.on_close()


def too_many(environ: dict, start_response, wait: float):
    """429 with Retry-After, in the format of the endpoint asked."""
    seconds = max(1, math.ceil(wait))
    text = f"Too many requests from this client; retry after {seconds} s."
    if environ.get("PATH_INFO", "").startswith("/ogcapi"):
        body = json.dumps({"code": "TooManyRequests", "description": text}).encode()
        content_type = "application/problem+json"
    elif _service(environ) == "WFS":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">'
            '<ows:Exception exceptionCode="NoApplicableCode">'
            f"<ows:ExceptionText>{escape(text)}</ows:ExceptionText></ows:Exception>"
            "</ows:ExceptionReport>"
        ).encode()
        content_type = "application/xml; charset=utf-8"
    else:
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<ServiceExceptionReport version="1.3.0" xmlns="http://www.opengis.net/ogc">'
            f'<ServiceException code="TooManyRequests">{escape(text)}</ServiceException>'
            "</ServiceExceptionReport>\n"
        ).encode()
        content_type = "text/xml; charset=utf-8"
    start_response(
        "429 Too Many Requests",
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Retry-After", str(seconds)),
        ],
    )
    return [body]


def _service(environ: dict) -> str:
    query = environ.get("QUERY_STRING", "")[:4096]
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name.upper() == "SERVICE":
            return value.strip().upper()
    return ""
