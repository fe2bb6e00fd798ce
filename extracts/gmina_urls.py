"""Per-gmina extract URLs (e.g. dzialki/<id>/wypis.pdf) (filled in by its issue)."""

urlpatterns: list = []
