"""DRF permission classes that ask layers/permissions.py (no rules of their own).

    from accounts.drf import allows

    class BatchCreateView(APIView):
        permission_classes = [allows("extract.request_batch")]

For an account-level action (``USER_ACTIONS``: e.g. ``extract.request_batch`` for approved
surveyors) the request itself is checked; for a per-gmina action the object is, via
``has_object_permission`` (the view calls ``self.check_object_permissions(request, obj)``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import BasicScheme
from rest_framework.authentication import BasicAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission

from accounts.otp import has_second_factor
from layers.permissions import USER_ACTIONS, can


def allows(action: str) -> type[BasePermission]:
    class Allows(BasePermission):
        message = _("Your account may not do this (%(action)s).") % {"action": action}

        def has_permission(self, request, view) -> bool:
            if action in USER_ACTIONS:
                return can(request.user, action)
            return bool(request.user and request.user.is_authenticated)

        def has_object_permission(self, request, view, obj) -> bool:
            return can(request.user, action, obj)

    Allows.__name__ = Allows.__qualname__ = f"Allows[{action}]"
    return Allows


class PasswordOnlyBasicAuthentication(BasicAuthentication):
    """HTTP basic authentication for scripts, refused for accounts with two-step sign-in.

    A password alone must not open an account whose owner asked for a second factor; such users
    use the API through their signed-in browser session.
    """

    def authenticate_credentials(self, userid, password, request=None):
        user, auth = super().authenticate_credentials(userid, password, request)
        if has_second_factor(user):
            raise AuthenticationFailed(
                _("This account uses two-step sign-in: use the API from a signed-in session.")
            )
        return user, auth


class PasswordOnlyBasicScheme(BasicScheme):
    """The OpenAPI schema describes it as ordinary HTTP basic authentication."""

    target_class = "accounts.drf.PasswordOnlyBasicAuthentication"
    priority = 1
