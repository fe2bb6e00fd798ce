"""Per-gmina public pages: mounted under /<gmina>/ by gis_portal/urls.py."""

from django.urls import path

from portal import views

urlpatterns = [
    path("", views.municipality_page, name="municipality"),
    path("mapa.geojson", views.municipality_features, name="municipality-features"),
    path("legenda.json", views.legend_json, name="map-legend"),
    path("szukaj/", views.search_page, name="search"),
    path("szukaj.json", views.search_json, name="search-json"),
    path("panel/", views.panel, name="parcel-panel"),
    path("dzialki/<parcel_id:identifier>/", views.parcel_page, name="parcel"),
]
