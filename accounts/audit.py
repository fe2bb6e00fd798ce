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
    """Append one event, e.g. ``record(action="plan.import", actor=u, municipality=m, target=plan)``."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
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
