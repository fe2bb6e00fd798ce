"""A request that found the database unreachable answers 503 at once (a restart, a failover).

Django opens a new connection for the next request by itself (``CONN_HEALTH_CHECKS``), Mapnik draws
again on a fresh one (wms/maps/render.py): no worker has to be restarted. While the database is
down, a view that needed it raises ``OperationalError`` (connection refused, the server shutting
down, too many connections) or ``InterfaceError`` (a connection already closed); this middleware
turns that into "503 Service Unavailable" with ``Retry-After``, instead of the 500 of a bug. The page
is rendered without the request, as Django's 500 page is: its context processors would ask the
database again.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

# errors of the database being unreachable or refusing work now, not of the request
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def is_unavailable(exc: BaseException) -> bool:
    return isinstance(exc, UNAVAILABLE)


def unavailable_response() -> HttpResponse:
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """503 for a view that raised ``UNAVAILABLE``; anything else goes on as before."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_unavailable(exception):
            return None
        logger.error("database unavailable: %s %s: %s", request.method, request.path, exception)
        return unavailable_response()
