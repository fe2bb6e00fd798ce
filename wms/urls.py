"""Platform-wide OGC endpoint /ows: WMS here, WFS dispatched to wms.wfs (see wms/views.py)."""

from django.urls import path

from wms import views

urlpatterns = [path("", views.ows, name="ows")]
