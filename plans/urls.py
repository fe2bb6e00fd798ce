"""Plan pages under /<gmina>/plany/ (filled in by its issue)."""

urlpatterns: list = []
