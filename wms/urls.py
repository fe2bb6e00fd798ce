"""Platform-wide OGC endpoint /ows (the WMS issue fills in the dispatcher)."""

urlpatterns: list = []
