"""URL contract of DESIGN.md §4. Fixed prefixes first; `/<gmina>/…` last."""

from django.contrib import admin
from django.urls import include, path, register_converter

from layers.converters import ParcelIdConverter
from monitoring import operations
from portal import views as portal_views

register_converter(ParcelIdConverter, "parcel_id")

GMINA = "<slug:gmina>/"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", portal_views.healthz, name="healthz"),
    path("readyz", operations.readyz, name="readyz"),
    path("metrics", operations.metrics, name="metrics"),
    path("ows", include("wms.urls")),
    path("ogcapi/", include("wms.ogcapi.api_urls")),
    path("api/", include("gis_portal.api_urls")),
    path("wypisy/", include("extracts.urls")),
    path("weryfikacja/", include("extracts.verify_urls")),
    path("konto/", include("accounts.urls")),
    path("szukaj/", portal_views.search_page, name="platform-search"),
    path("szukaj.json", portal_views.platform_search_json, name="platform-search-json"),
    path("", include("monitoring.urls")),
    path("", portal_views.home, name="home"),
    path(GMINA, include("portal.urls")),
    path(GMINA + "ows", include("wms.gmina_urls")),
    path(GMINA + "import/", include("plans.import_urls")),
    path(GMINA + "plany/", include("plans.urls")),
    path(GMINA + "konsultacje/", include("consultation.urls")),
    path(GMINA, include("extracts.gmina_urls")),
    path(GMINA, include("monitoring.gmina_urls")),
]
# MEDIA_ROOT is never served as such, not even in DEBUG: plan documents go through
# plans.views.plan_document (permissions), issued extracts through their own views.
