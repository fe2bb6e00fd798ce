"""Per-gmina OGC endpoint /<gmina>/ows (the WMS issue fills in the dispatcher)."""

urlpatterns: list = []
