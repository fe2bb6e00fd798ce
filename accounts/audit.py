"""Writing to the audit log: one call per action, inside the action's own transaction."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

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
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        municipality=municipality,
        action=action,
        target=str(target)[:300],
        details=details or {},
        ip=ip,
    )
