"""Extract requests and the clerk's queue under /wypisy/ (filled in by its issue)."""

urlpatterns: list = []
