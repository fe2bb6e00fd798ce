"""Writing to the audit log: one call per action, inside the action's own transaction."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.clients import client_ip
from accounts.models import AuditEvent


def record(
    *,
    action: str,
    actor=None,
    municipality=None,
    target: object = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event, e.g. ``record(action="plan.import", actor=u, municipality=m, target=plan)``.

    The actor is always given, never read from ``request.user``: a failed sign-in is recorded while
    the request is still being authenticated (DRF's ``Request.user`` would authenticate again, and
    again: each round one more failure counted by django-axes, until a RecursionError).
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    ip = client_ip(request) if request is not None else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        municipality=municipality,
        action=action,
        target=str(target)[:300],
        details=details or {},
        ip=ip,
    )
