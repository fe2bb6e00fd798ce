"""OGC API Features at /ogcapi/ (the WFS issue fills it in)."""

urlpatterns: list = []
