"""The one place that answers "may user U do action A on object O" (issue: accounts and roles).

Views, the REST API, the OGC services, PDFs and search all ask here; no other module encodes rules.
Objects are a Municipality or anything with a ``municipality`` attribute; a Plan also has
``is_published``.

Three kinds of action:
- ``PUBLIC_ACTIONS``: anybody, signed in or not (a published plan, a parcel, an informational extract);
- ``ROLE_ACTIONS``: a role in the object's gmina (planner, clerk, gmina admin);
- ``USER_ACTIONS``: a property of the account itself (an approved surveyor; a platform admin).
Platform admins (active superusers) may do everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from layers.models import Membership, Municipality

PLANNER = Membership.Role.PLANNER
CLERK = Membership.Role.CLERK
ADMIN = Membership.Role.ADMIN

# action -> roles of the object's gmina that may do it (platform admins may do everything)
ROLE_ACTIONS: dict[str, set[str]] = {
    "plan.view_unpublished": {PLANNER, ADMIN, CLERK},
    "plan.import": {PLANNER, ADMIN},
    "plan.publish": {PLANNER, ADMIN},
    "plan.change_status": {PLANNER, ADMIN},
    "parcel.import": {PLANNER, ADMIN},
    "extract.view_queue": {CLERK, ADMIN},
    "extract.issue": {CLERK},
    "extract.reject": {CLERK},
    "staff.manage": {ADMIN},
    # public consultations (u.p.z.p. art. 8e–8m): open, consider comments, see personal data
    "consultation.manage": {PLANNER, ADMIN},
    "audit.view": {ADMIN},
    "monitoring.view": {ADMIN},  # the support centre's dashboard of the gmina
    # a surveyor's request to be approved is filed with one gmina; its admins decide
    "surveyor.approve": {ADMIN},
}
# actions anybody may do, signed in or not
PUBLIC_ACTIONS = {
    "plan.view_published",
    "parcel.view",
    "extract.informational",
    "municipality.view",
}
# actions that depend on the account, not on a gmina (see _USER_RULES below)
USER_ACTIONS = {
    "extract.request",  # request certified extracts (UI and API): approved surveyors
    "extract.request_batch",  # many parcels in one request: approved surveyors
    "surveyor.register",  # file a surveyor application: any signed-in account without one
    "otp.setup",  # a second factor: gmina staff and platform admins
    "audit.view_all",  # the platform-wide audit log
    "municipality.manage",  # create and configure gminy
}


def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def second_factor_missing(user) -> bool:
    """Switched two-step sign-in on, but this session did not pass it: no staff powers then.

    The one second-factor check: every staff power (roles, drafts, the platform admin) goes
    through ``has_staff_powers``, which asks here.

    ``is_verified`` comes from django-otp's middleware on ``request.user``; a user object without
    it (a job, a management command) is trusted as its caller made it.
    """
    verified = getattr(user, "is_verified", None)
    if verified is None or verified():
        return False
    missing = getattr(user, "_portal_otp_missing", None)
    if missing is None:
        from django_otp import user_has_device  # the library itself: accounts sits above layers

        missing = user._portal_otp_missing = user_has_device(user, confirmed=True)
    return missing


def has_staff_powers(user) -> bool:
    return is_active_user(user) and not second_factor_missing(user)


def is_platform_admin(user) -> bool:
    return bool(has_staff_powers(user) and user.is_superuser)


def surveyor_profile_of(user):
    """The user's SurveyorProfile or None (the reverse one-to-one raises an AttributeError)."""
    return getattr(user, "surveyor_profile", None) if is_active_user(user) else None


def is_approved_surveyor(user) -> bool:
    """A surveyor whose licence a gmina admin or a platform admin has approved."""
    profile = surveyor_profile_of(user)
    return bool(profile and profile.is_approved)


def is_staff_member(user) -> bool:
    """Holds any role in any gmina (or is a platform admin)."""
    if is_platform_admin(user):
        return True
    if not has_staff_powers(user):
        return False
    roles_in(user, None)  # fills the cache
    return any(user._portal_roles.values())


def _may_register_as_surveyor(user) -> bool:
    return is_active_user(user) and surveyor_profile_of(user) is None


_USER_RULES = {
    "extract.request": is_approved_surveyor,
    "extract.request_batch": is_approved_surveyor,
    "surveyor.register": _may_register_as_surveyor,
    "otp.setup": is_staff_member,
    "audit.view_all": is_platform_admin,
    "municipality.manage": is_platform_admin,
}


def municipality_of(obj: Any) -> Municipality | None:
    if isinstance(obj, Municipality):
        return obj
    return getattr(obj, "municipality", None)


def roles_in(user, municipality: Municipality | None) -> set[str]:
    """The roles ``user`` holds in ``municipality`` (cached per user object for the request)."""
    if not has_staff_powers(user):
        return set()
    cache = getattr(user, "_portal_roles", None)
    if cache is None:
        cache = {}
        for muni_id, role in Membership.objects.filter(user=user).values_list(
            "municipality_id", "role"
        ):
            cache.setdefault(muni_id, set()).add(role)
        user._portal_roles = cache
    if municipality is None:
        return set()
    return cache.get(municipality.pk, set())


def forget_roles(user) -> None:
    """Drop the cached roles after a membership change within the same request."""
    if hasattr(user, "_portal_roles"):
        del user._portal_roles


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
    if action in USER_ACTIONS:
        return is_platform_admin(user) or _USER_RULES[action](user)
    if action not in ROLE_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if is_platform_admin(user):
        return True
    return bool(roles_in(user, municipality_of(obj)) & ROLE_ACTIONS[action])


def may_read_survey_comments(user, municipality: Municipality) -> bool:
    """Free-text survey answers: only the gmina's own admins (not the platform's, not the public)."""
    return has_staff_powers(user) and ADMIN in roles_in(user, municipality)


def municipalities_where(user, action: str) -> QuerySet[Municipality]:
    """The gminy in which ``user`` may do ``action`` (a role action)."""
    if action not in ROLE_ACTIONS:
        raise ValueError(f"{action!r} is not a per-gmina action")
    if is_platform_admin(user):
        return Municipality.objects.all()
    if not has_staff_powers(user):
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


def denial_status(user, action: str, obj: Any = None) -> int | None:
    """None if allowed; otherwise the HTTP answer a view should give.

    401 for anonymous users (views redirect to sign-in), 404 for somebody with no role in the
    object's gmina (another gmina's pages do not exist for them), 403 for the rest.
    """
    if can(user, action, obj):
        return None
    if not (user and user.is_authenticated):
        return 401
    if action in ROLE_ACTIONS and not roles_in(user, municipality_of(obj)):
        return 404
    return 403


def is_admin_account(user) -> bool:
    """A platform admin or the admin of any gmina, whether or not this session has passed its
    second factor: the accounts that must use two-step sign-in (accounts/two_step.py)."""
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role=ADMIN).exists()


def may_open_admin_site(user) -> bool:
    """The Django admin's own rule (an active staff account), with the second factor passed."""
    return has_staff_powers(user) and user.is_staff
