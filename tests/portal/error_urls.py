"""The portal's URLs plus one view that fails: for the 500 page test (tests/portal/test_error_pages.py)."""

from __future__ import annotations

from django.urls import path

from gis_portal.urls import urlpatterns as portal_urlpatterns


def fail(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [path("test-failure/", fail), *portal_urlpatterns]
