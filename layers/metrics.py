"""The portal's Prometheus metric families, defined once; ``monitoring`` serves them on /metrics.

Every app may count here (this is the base layer). Label values are bounded: view names from the
URLconf, OGC service and request names from a fixed list, gmina slugs only of answered requests (at
most ``MAX_GMINA_LABELS``), status classes. Never a parcel id, a query or free text.

With gunicorn's several workers set ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, emptied at
each start) before the workers import this module: prometheus-client then writes each worker's
values to files there and /metrics sums them (docs/operations.md).
"""

from __future__ import annotations

import re
import time
from urllib.parse import unquote_plus

from prometheus_client import Counter, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
JOB_BUCKETS = (0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)
MAX_GMINA_LABELS = 200
OGC_SERVICES = frozenset({"WMS", "WFS", "OGCAPI"})
OGC_REQUESTS = frozenset(
    {
        "getmap",
        "getcapabilities",
        "getfeatureinfo",
        "getlegendgraphic",
        "getfeature",
        "describefeaturetype",
        "getpropertyvalue",
        "liststoredqueries",
        "describestoredqueries",
        "map",
        "capabilities",
        "feature_info",
    }
)
SLUG = re.compile(r"^[-a-z0-9_]{1,60}$")

HTTP_REQUESTS = Counter(
    "portal_http_requests",
    "Answered HTTP requests by URL name, gmina (slug or other) and status class",
    ["view", "gmina", "status"],
)
HTTP_LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time from the first middleware to the answer, by URL name",
    ["view"],
    buckets=LATENCY_BUCKETS,
)
OGC_REQUESTS_TOTAL = Counter(
    "portal_ogc_requests",
    "OGC requests by service (WMS, WFS, OGCAPI), request type, gmina and status class",
    ["service", "request", "gmina", "status"],
)
OGC_LATENCY = Histogram(
    "portal_ogc_request_duration_seconds",
    "OGC request time by service and request type (front-cache hits excluded)",
    ["service", "request"],
    buckets=LATENCY_BUCKETS,
)
FRONT_CACHE = Counter(
    "portal_wms_front_cache", "Anonymous GetMap requests seen by the front cache", ["result"]
)
FRONT_CACHE_HIT = FRONT_CACHE.labels("hit")
FRONT_CACHE_MISS = FRONT_CACHE.labels("miss")
IMAGE_CACHE = Counter("portal_wms_image_cache", "Rendered-image cache look-ups", ["result"])
IMAGE_CACHE_HIT = IMAGE_CACHE.labels("hit")
IMAGE_CACHE_MISS = IMAGE_CACHE.labels("miss")
IMPORT_DURATION = Histogram(
    "portal_plan_import_duration_seconds",
    "Duration of an import step (validate, apply) by kind and outcome",
    ["step", "kind", "outcome"],
    buckets=JOB_BUCKETS,
)
EXTRACT_DURATION = Histogram(
    "portal_extract_render_duration_seconds",
    "Time to compute and render an extract PDF (certified issue or informational)",
    ["document"],
    buckets=LATENCY_BUCKETS,
)

_gmina_labels: set[str] = set()


def gmina_label(slug: str | None, status: int) -> str:
    """The slug as a label when the view answered it (< 400: the gmina exists), else ``other``."""
    if not slug or status >= 400 or not SLUG.match(slug):
        return "other" if slug else "-"
    if slug not in _gmina_labels:
        if len(_gmina_labels) >= MAX_GMINA_LABELS:
            return "other"
        _gmina_labels.add(slug)
    return slug


def status_class(status: int) -> str:
    return f"{status // 100}xx"


_KVP = re.compile(r"(?:^|&)(service|request)=([^&]*)", re.IGNORECASE)


def _service_and_request(query: str) -> dict[str, str]:
    """SERVICE and REQUEST of a query string, without building a QueryDict (the public OGC path is
    benchmarked; the view parsed and checked the whole query already). The last value wins."""
    return {name.upper(): unquote_plus(value)[:40] for name, value in _KVP.findall(query)}


def ogc_kind(request) -> tuple[str, str] | None:
    """(service, request type) of an OGC request, from bounded lists; None for other pages."""
    match = request.resolver_match
    if match is None:
        return None
    if match.url_name in ("ows", "gmina-ows"):
        params = _service_and_request(request.META.get("QUERY_STRING", ""))
        service = params.get("SERVICE", "WMS").strip().upper()
        kind = params.get("REQUEST", "post" if request.method == "POST" else "").strip().lower()
        service = service if service in OGC_SERVICES else "other"
        return service, kind if kind in OGC_REQUESTS or kind == "post" else "other"
    if (match.url_name or "").startswith("ogcapi-"):
        return "OGCAPI", match.url_name.removeprefix("ogcapi-")
    return None


class RequestMetricsMiddleware:
    """Counts and times every answer; first in MIDDLEWARE, so its time covers the whole stack."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        observe_request(request, response.status_code, time.perf_counter() - started)
        return response


def observe_request(request, status: int, seconds: float) -> None:
    match = getattr(request, "resolver_match", None)
    view = (match.view_name or match.route or "unnamed") if match is not None else "unresolved"
    slug = match.kwargs.get("gmina") if match is not None else None
    gmina = gmina_label(slug, status)
    ogc = ogc_kind(request) if match is not None else None
    if ogc is not None:
        OGC_REQUESTS_TOTAL.labels(ogc[0], ogc[1], gmina, status_class(status)).inc()
        OGC_LATENCY.labels(ogc[0], ogc[1]).observe(seconds)
        return
    HTTP_REQUESTS.labels(view, gmina, status_class(status)).inc()
    HTTP_LATENCY.labels(view).observe(seconds)
