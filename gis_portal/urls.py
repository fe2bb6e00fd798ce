"""URL contract of DESIGN.md §4. Fixed prefixes first; `/<gmina>/…` last."""

from django.contrib import admin
from django.urls import include, path

from layers import views as layer_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", layer_views.healthz, name="healthz"),
    path("ows", include("wms.urls")),
    path("ogcapi/", include("wms.ogcapi.urls")),
    path("api/", include("gis_portal.api_urls")),
    path("wypisy/", include("extracts.urls")),
    path("weryfikacja/", include("extracts.verify_urls")),
    path("konto/", include("accounts.urls")),
    path("szukaj/", layer_views.search_page, name="platform-search"),
    path("szukaj.json", layer_views.platform_search_json, name="platform-search-json"),
    path("", layer_views.home, name="home"),
    path("<slug:gmina>/", include("layers.urls")),
]
# MEDIA_ROOT is never served as such, not even in DEBUG: plan documents go through
# plans.views.plan_document (permissions), issued extracts through their own views.
