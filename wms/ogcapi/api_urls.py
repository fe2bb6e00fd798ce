"""OGC API Features at /ogcapi/ (landing, conformance, collections, items, one item)."""

from django.urls import path

from wms.ogcapi import views

urlpatterns = [
    path("", views.landing, name="ogcapi-landing"),
    path("conformance", views.conformance, name="ogcapi-conformance"),
    path("collections", views.collections, name="ogcapi-collections"),
    path("collections/<str:collection_id>", views.collection, name="ogcapi-collection"),
    path("collections/<str:collection_id>/items", views.items, name="ogcapi-items"),
    path(
        "collections/<str:collection_id>/items/<str:feature_id>",
        views.item,
        name="ogcapi-item",
    ),
]
