"""The header menu: every page a person's roles give them, one click away (issue 19, point 1).

``menu_for(user, gmina=…)`` builds the groups; ``header_menu`` is the context processor that puts
them on every page rendered with a request. Which links a role gets is asked of
layers/permissions.py, never decided here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from layers.models import Membership, Municipality
from layers.permissions import (
    can,
    has_staff_powers,
    is_platform_admin,
    may_open_admin_site,
    surveyor_profile_of,
)


@dataclass
class MenuLink:
    label: str
    url: str


@dataclass
class MenuGroup:
    title: str
    links: list[MenuLink] = field(default_factory=list)


def public_links(*, gmina: Municipality | None) -> list[MenuLink]:
    """What a resident uses: the map, search, a gmina's plans, requesting and verifying extracts."""
    links = [
        MenuLink(_("Map"), reverse("home")),
        MenuLink(_("Search"), reverse("platform-search")),
    ]
    if gmina is not None:
        links.append(MenuLink(_("Plans"), reverse("plan-list", args=[gmina.slug])))
    links.append(MenuLink(_("Verify an extract"), reverse("extract-verify-form")))
    return links


def _gmina_links(user, municipality: Municipality) -> list[MenuLink]:
    slug = municipality.slug
    rules = (
        ("extract.view_queue", _("Extract queue"), "extract-queue", [slug]),
        ("plan.import", _("Import"), "import-upload", [slug]),
        ("plan.view_unpublished", _("Plans"), "plan-list", [slug]),
        ("consultation.manage", _("Consultations"), "consultation:manage", [slug]),
        ("staff.manage", _("Staff"), "accounts:team", [slug]),
        ("staff.manage", _("Payments and signature"), "accounts:payment_details", [slug]),
        ("audit.view", _("Audit log"), "accounts:audit_gmina", [slug]),
        ("monitoring.view", _("Support centre"), "monitoring-gmina-dashboard", [slug]),
        ("surveyor.approve", _("Surveyor applications"), "accounts:surveyor_list", []),
    )
    links = [
        MenuLink(label, reverse(name, args=args))
        for action, label, name, args in rules
        if can(user, action, municipality)
    ]
    if may_open_admin_site(user) and can(user, "staff.manage", municipality):
        links.append(MenuLink(_("Django admin"), reverse("admin:index")))
    return links


def _gmina_groups(user) -> list[MenuGroup]:
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("municipality")
        .order_by("municipality__name", "role")
    )
    roles: dict[Municipality, list[str]] = {}
    for membership in memberships:
        roles.setdefault(membership.municipality, []).append(membership.get_role_display())
    return [
        MenuGroup(f"{municipality.name} ({', '.join(names)})", _gmina_links(user, municipality))
        for municipality, names in roles.items()
    ]


def _platform_group() -> MenuGroup:
    return MenuGroup(
        _("Platform administrator"),
        [
            MenuLink(_("All municipalities"), reverse("admin:layers_municipality_changelist")),
            MenuLink(_("Surveyor applications"), reverse("accounts:surveyor_list")),
            MenuLink(_("Audit log of the platform"), reverse("accounts:audit_all")),
            MenuLink(_("Support centre"), reverse("monitoring-dashboard")),
            MenuLink(_("Django admin"), reverse("admin:index")),
        ],
    )


def _surveyor_group() -> MenuGroup:
    return MenuGroup(
        _("Surveyor"),
        [
            MenuLink(_("New extract request"), reverse("extract-request")),
            MenuLink(_("My requests"), reverse("extract-mine")),
            MenuLink(_("API documentation"), reverse("api-docs")),
        ],
    )


def menu_for(user, *, gmina: Municipality | None = None) -> list[MenuGroup]:
    """The groups of the header menu: public links first, then one group per role (a link that an
    earlier group has already is not repeated)."""
    groups = [MenuGroup(_("Portal"), public_links(gmina=gmina))]
    if not (user and user.is_authenticated):
        return groups
    profile = surveyor_profile_of(user)
    if profile is not None and profile.is_approved:
        groups.append(_surveyor_group())
    if has_staff_powers(user):
        if is_platform_admin(user):
            groups.append(_platform_group())
        groups += _gmina_groups(user)
    seen: set[str] = set()
    for group in groups:
        group.links = [link for link in group.links if link.url not in seen]
        seen.update(link.url for link in group.links)
    return [group for group in groups if group.links]


def _gmina_of(request: HttpRequest) -> Municipality | None:
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("gmina") if match else None
    if not slug:
        return None
    return Municipality.objects.filter(slug=slug, is_active=True).first()


def header_menu(request: HttpRequest) -> dict[str, object]:
    """Context processor: ``menu`` (the groups) for templates/base.html. A request refused before
    the authentication middleware ran (a 400 for a bad Host header) has no user: public links."""
    return {"menu": menu_for(getattr(request, "user", None), gmina=_gmina_of(request))}
