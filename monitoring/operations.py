"""For operators and load balancers: /metrics (Prometheus, not public) and /readyz.

/metrics answers only a request with ``Authorization: Bearer <METRICS_TOKEN>`` or from an address in
``METRICS_ALLOWED_NETWORKS``; with neither setting it does not exist (404), otherwise a stranger gets
403. /readyz: 200 when the database answers and every migration is applied, else 503.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from accounts.clients import client_ip
from monitoring.collectors import DatabaseCollector

_migrations_applied = threading.Event()  # once true, true until the process restarts (a deploy)


def metrics_allowed(request: HttpRequest) -> bool:
    """True for the scraper; Http404 when /metrics is not configured at all."""
    token = settings.METRICS_TOKEN
    networks = settings.METRICS_ALLOWED_NETWORKS
    if not token and not networks:
        raise Http404("metrics are not configured")
    sent = request.META.get("HTTP_AUTHORIZATION", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    address = client_ip(request)
    if address is None or not networks:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(net, strict=False) for net in networks)


def exposition() -> bytes:
    """All families: the workers' (summed over processes in multiprocess mode), then the database's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    database = CollectorRegistry()
    database.register(DatabaseCollector())
    return body + generate_latest(database)


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


def migrations_applied() -> bool:
    if _migrations_applied.is_set():
        return True
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    _migrations_applied.set()
    return True


@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        ready = migrations_applied()
    except DatabaseError:
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    if not ready:
        return HttpResponse("migrations pending\n", status=503, content_type="text/plain")
    return HttpResponse("ready\n", content_type="text/plain")
