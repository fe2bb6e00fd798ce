"""Sign-in, registration and staff management under /konto/ (filled in by its issue)."""

urlpatterns: list = []
