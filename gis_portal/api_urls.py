"""REST API under /api/ (schema at /api/schema/) (filled in by its issue)."""

urlpatterns: list = []
