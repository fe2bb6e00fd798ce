"""The first authentication backend: django-axes' lock-out check.

Every sign-in through the web (the sign-in form, the admin, DRF's basic authentication) passes the
request, and axes refuses a locked-out username/address pair before any password is checked.
Authentication called without a request (the test client's ``login()``, management commands) has no
client address to lock; this backend then simply steps aside instead of raising.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class SignInGuardBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
