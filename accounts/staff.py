"""A gmina's staff: invitations, role changes and removals, each written to the audit log.

A gmina admin (or a platform admin) calls these; the views check ``staff.manage`` first.
Every function works inside one transaction, so the membership change and its audit entry are
written together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.audit import record
from layers.models import Membership, Municipality
from layers.permissions import forget_roles, is_platform_admin


class StaffError(Exception):
    """A refused staff change; the message says why (shown to the gmina admin)."""


@dataclass(frozen=True)
class Invitation:
    membership: Membership
    new_account: bool


def set_password_url(user) -> str:
    """The one-time link (Django's password-reset token) where a new account sets its password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


def invite_staff(
    *, municipality: Municipality, email: str, role: str, by, request=None
) -> Invitation:
    """Give ``email`` the ``role`` in ``municipality``; create the account if there is none.

    A new account has no usable password: the e-mail carries a link to set one.
    """
    if role not in Membership.Role.values:
        raise StaffError(_("Unknown role: %(role)s") % {"role": role})
    users = get_user_model().objects
    with transaction.atomic():
        user = users.filter(email__iexact=email).order_by("pk").first()
        new_account = user is None
        if new_account:
            if users.filter(username=email).exists():
                raise StaffError(_("The user name %(email)s is taken.") % {"email": email})
            user = users.create_user(username=email, email=email)  # unusable password
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    user=user, municipality=municipality, role=role
                )
        except IntegrityError as exc:
            raise StaffError(
                _("%(email)s already has this role in %(gmina)s.")
                % {"email": email, "gmina": municipality.name}
            ) from exc
        record(
            action="staff.invite",
            actor=by,
            municipality=municipality,
            target=user.get_username(),
            details={"role": role, "new_account": new_account},
            request=request,
        )
        context = {
            "municipality": municipality,
            "role": membership.get_role_display(),
            "new_account": new_account,
            "user": user,
            "set_password_url": set_password_url(user) if new_account else "",
            "site_url": settings.SITE_URL,
        }
        transaction.on_commit(
            lambda: send_mail(
                subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
                message=render_to_string("accounts/email/invitation.txt", context),
                from_email=None,
                recipient_list=[email],
            )
        )
    return Invitation(membership=membership, new_account=new_account)


def _check_keeps_an_admin(membership: Membership, *, by) -> None:
    """A gmina admin may not leave the gmina without any admin (a platform admin may)."""
    if membership.role != Membership.Role.ADMIN or is_platform_admin(by):
        return
    others = (
        Membership.objects.for_municipality(membership.municipality)
        .filter(role=Membership.Role.ADMIN)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise StaffError(_("The gmina would have no administrator left."))


def change_role(*, membership: Membership, role: str, by, request=None) -> Membership:
    if role not in Membership.Role.values:
        raise StaffError(_("Unknown role: %(role)s") % {"role": role})
    old = membership.role
    if role == old:
        return membership
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _check_keeps_an_admin(membership, by=by)
        if Membership.objects.filter(
            user=membership.user, municipality=membership.municipality, role=role
        ).exists():
            raise StaffError(_("This person already holds that role here."))
        membership.role = role
        membership.save(update_fields=["role"])
        record(
            action="staff.role_change",
            actor=by,
            municipality=membership.municipality,
            target=membership.user.get_username(),
            details={"from": old, "to": role},
            request=request,
        )
    forget_roles(membership.user)
    return membership


def remove_member(*, membership: Membership, by, request=None) -> None:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _check_keeps_an_admin(membership, by=by)
        record(
            action="staff.remove",
            actor=by,
            municipality=membership.municipality,
            target=membership.user.get_username(),
            details={"role": membership.role},
            request=request,
        )
        membership.delete()
    forget_roles(membership.user)


def team_of(municipality: Municipality) -> list[Membership]:
    return list(
        Membership.objects.for_municipality(municipality)
        .select_related("user")
        .order_by("user__username", "role")
    )
