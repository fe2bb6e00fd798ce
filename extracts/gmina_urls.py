"""Per-gmina extract URLs, mounted under /<gmina>/ (the parcel_id converter: gis_portal/urls.py)."""

from django.urls import path

from extracts import views

urlpatterns = [
    path(
        "dzialki/<parcel_id:identifier>/wypis.pdf",
        views.informational_pdf,
        name="extract-informational",
    ),
]
