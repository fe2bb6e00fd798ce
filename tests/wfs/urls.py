"""Test-only URLconf: the project's URLs with /ows and /<gmina>/ows answering WFS through handle_wfs.

Used until (and independently of) the WMS view that dispatches SERVICE=WFS to ``handle_wfs``.
"""

from __future__ import annotations

from django.urls import include, path

from layers.models import Municipality
from layers.tenancy import get_for_municipality_or_404  # noqa: F401  (documents the tenant rule)
from wms.wfs.service import handle_wfs


def platform_ows(request):
    return handle_wfs(request, municipality=None)


def gmina_ows(request, gmina: str):
    from django.shortcuts import get_object_or_404

    municipality = get_object_or_404(Municipality, slug=gmina, is_active=True)
    return handle_wfs(request, municipality=municipality)


urlpatterns = [
    path("wfs-test/ows", platform_ows),
    path("wfs-test/<slug:gmina>/ows", gmina_ows),
    path("", include("gis_portal.urls")),
]
