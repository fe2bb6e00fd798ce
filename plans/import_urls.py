"""Planners' web upload under /<gmina>/import/ (the ingest issue fills it in)."""

urlpatterns: list = []
