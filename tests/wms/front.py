"""Driving the front cache (wms/ows/front_cache.py) through the real WSGI application, for the tests."""

from __future__ import annotations

import io
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults

from django.core.wsgi import get_wsgi_application

from wms.ows.front_cache import FrontCache, PublicOwsHandler


class Counting:
    """Django's full and public handlers, counting the requests that reach either."""

    def __init__(self):
        self.calls = 0

    def wrap(self, app):
        def counted(environ, start_response):
            self.calls += 1
            return app(environ, start_response)

        return counted


def make_front(**kwargs) -> tuple[FrontCache, Counting]:
    counter = Counting()
    app = FrontCache(
        counter.wrap(get_wsgi_application()), public_app=counter.wrap(PublicOwsHandler()), **kwargs
    )
    return app, counter


def call(app, url: str, **headers) -> tuple[str, dict[str, str], bytes]:
    parts = urlsplit(url)
    environ = {
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(),
    }
    environ.update({"HTTP_" + k.upper(): v for k, v in headers.items()})
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(response_headers)

    result = app(environ, start_response)
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return answer["status"], answer["headers"], body
