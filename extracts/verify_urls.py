"""Public verification under /weryfikacja/ (filled in by its issue)."""

urlpatterns: list = []
