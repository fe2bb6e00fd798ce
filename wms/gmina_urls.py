"""Per-gmina OGC endpoint /<gmina>/ows (the gmina slug arrives as the ``gmina`` argument)."""

from django.urls import path

from wms import views

urlpatterns = [path("", views.ows, name="gmina-ows")]
