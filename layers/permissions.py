"""The one place that answers "may user U do action A on object O" (issue: accounts and roles).

Views, the REST API, the OGC services, PDFs and search all ask here; no other module encodes rules.
Objects are a Municipality or anything with a ``municipality`` attribute; a Plan also has
``is_published``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from layers.models import Membership, Municipality

# action -> roles of the object's gmina that may do it (platform admins may do everything)
ROLE_ACTIONS: dict[str, set[str]] = {
    "plan.view_unpublished": {
        Membership.Role.PLANNER,
        Membership.Role.ADMIN,
        Membership.Role.CLERK,
    },
    "plan.import": {Membership.Role.PLANNER, Membership.Role.ADMIN},
    "plan.publish": {Membership.Role.PLANNER, Membership.Role.ADMIN},
    "plan.change_status": {Membership.Role.PLANNER, Membership.Role.ADMIN},
    "parcel.import": {Membership.Role.PLANNER, Membership.Role.ADMIN},
    "extract.view_queue": {Membership.Role.CLERK, Membership.Role.ADMIN},
    "extract.issue": {Membership.Role.CLERK},
    "extract.reject": {Membership.Role.CLERK},
    "staff.manage": {Membership.Role.ADMIN},
    "audit.view": {Membership.Role.ADMIN},
}
# actions anybody may do, signed in or not
PUBLIC_ACTIONS = {
    "plan.view_published",
    "parcel.view",
    "extract.informational",
    "municipality.view",
}


def is_platform_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def municipality_of(obj: Any) -> Municipality | None:
    if isinstance(obj, Municipality):
        return obj
    return getattr(obj, "municipality", None)


def roles_in(user, municipality: Municipality | None) -> set[str]:
    if not (user and user.is_authenticated and user.is_active and municipality is not None):
        return set()
    cache = getattr(user, "_portal_roles", None)
    if cache is None:
        cache = {}
        for muni_id, role in Membership.objects.filter(user=user).values_list(
            "municipality_id", "role"
        ):
            cache.setdefault(muni_id, set()).add(role)
        user._portal_roles = cache
    return cache.get(municipality.pk, set())


def can(user, action: str, obj: Any = None) -> bool:
    """May ``user`` (possibly anonymous) do ``action`` on ``obj`` (a gmina or a gmina-owned object)?"""
    if action in PUBLIC_ACTIONS:
        if (
            action == "plan.view_published"
            and obj is not None
            and not getattr(obj, "is_published", True)
        ):
            return can(user, "plan.view_unpublished", obj)
        return True
    if action not in ROLE_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if is_platform_admin(user):
        return True
    return bool(roles_in(user, municipality_of(obj)) & ROLE_ACTIONS[action])


def municipalities_where(user, action: str) -> QuerySet[Municipality]:
    """The gminy in which ``user`` may do ``action``."""
    if is_platform_admin(user):
        return Municipality.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return Municipality.objects.none()
    return Municipality.objects.filter(
        memberships__user=user, memberships__role__in=ROLE_ACTIONS[action]
    ).distinct()


def visible_plans_filter(user, *, prefix: str = "") -> Q:
    """A Q for Plan (or, with ``prefix="plan__"``, for zones/documents) limiting to what U may see."""
    published = Q(**{f"{prefix}is_published": True})
    if is_platform_admin(user):
        return Q()
    if not (user and user.is_authenticated):
        return published
    own = municipalities_where(user, "plan.view_unpublished").values("pk")
    return published | Q(**{f"{prefix}municipality__in": own})
