"""Per-gmina OGC endpoint /<gmina>/ows (the gmina slug arrives as the ``gmina`` argument)."""

from django.urls import path

from wms.ows import entry

urlpatterns = [path("", entry.ows, name="gmina-ows")]
