"""Audit entries for sign-ins and failed sign-ins.

Django's ``user_logged_in`` / ``user_login_failed`` signals *are* these events (sent by
``django.contrib.auth.login`` and ``authenticate``, whatever the channel), so listening to them is
the one place where a receiver is the right tool. Nothing else in the portal uses signals.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts.audit import record


@receiver(user_logged_in, dispatch_uid="accounts.audit_sign_in")
def audit_sign_in(sender, request, user, **kwargs) -> None:
    record(action="auth.login", actor=user, target=user.get_username(), request=request)


@receiver(user_login_failed, dispatch_uid="accounts.audit_sign_in_failure")
def audit_sign_in_failure(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    locked = bool(getattr(request, "axes_locked_out", False))
    record(
        action="auth.login_failed",
        target=username,
        details={"username": username, "locked_out": locked},
        request=request,
    )
