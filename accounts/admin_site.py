"""The Django admin behind the portal's own sign-in (so two-step sign-in cannot be bypassed).

The admin's login page would take a password alone; here it sends people to /konto/logowanie/,
and a session that has not passed its user's second factor is not let in.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from layers.permissions import second_factor_missing


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and not second_factor_missing(request.user)

    def login(self, request, extra_context=None):
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(target, login_url=reverse("accounts:login"))
