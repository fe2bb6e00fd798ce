"""Platform-wide OGC endpoint /ows: WMS here, WFS dispatched to wms.wfs (see wms/ows/entry.py)."""

from django.urls import path

from wms.ows import entry

urlpatterns = [path("", entry.ows, name="ows")]
