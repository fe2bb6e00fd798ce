"""Per-gmina pages: mounted under /<gmina>/."""

from django.urls import include, path, register_converter

from layers import views
from layers.converters import ParcelIdConverter

register_converter(ParcelIdConverter, "parcel_id")

urlpatterns = [
    path("", views.municipality_page, name="municipality"),
    path("ows", include("wms.gmina_urls")),
    path("import/", include("plans.import_urls")),
    path("plany/", include("plans.urls")),
    path("", include("extracts.gmina_urls")),
    path("mapa.geojson", views.municipality_features, name="municipality-features"),
    path("szukaj/", views.search_page, name="search"),
    path("szukaj.json", views.search_json, name="search-json"),
    path("panel/", views.panel, name="parcel-panel"),
    path("dzialki/<parcel_id:identifier>/", views.parcel_page, name="parcel"),
]
