"""Surveyors (geodeci): applying with a licence number and the decision by a gmina or platform admin.

Until approved, a surveyor's account is an ordinary resident's one; approval enables the actions
``extract.request`` and ``extract.request_batch`` of layers/permissions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.models import SurveyorProfile
from layers.models import Municipality
from layers.permissions import municipalities_where


class SurveyorError(Exception):
    """A refused application or decision; the message says why."""


def apply(
    *, user, licence_number: str, municipality: Municipality, company: str = "", request=None
) -> SurveyorProfile:
    """File ``user``'s application with ``municipality`` (one application per account)."""
    with transaction.atomic():
        if SurveyorProfile.objects.filter(user=user).exists():
            raise SurveyorError(_("This account has already applied."))
        profile = SurveyorProfile.objects.create(
            user=user, licence_number=licence_number, company=company, municipality=municipality
        )
        record(
            action="surveyor.apply",
            actor=user,
            municipality=municipality,
            target=user.get_username(),
            details={"licence_number": licence_number},
            request=request,
        )
        if profile.user.email:
            transaction.on_commit(lambda: _mail_decision(profile))
    return profile


def sign_up(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    licence_number: str,
    municipality: Municipality,
    company: str = "",
    request=None,
) -> SurveyorProfile:
    """A new account (user name = e-mail) and its application, together."""
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=email,
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name,
        )
        return apply(
            user=user,
            licence_number=licence_number,
            municipality=municipality,
            company=company,
            request=request,
        )


def applications_for(user) -> QuerySet[SurveyorProfile]:
    """The applications ``user`` may decide on: those filed with gminy where they hold approve."""
    gminy = municipalities_where(user, "surveyor.approve")
    return (
        SurveyorProfile.objects.filter(municipality__in=gminy)
        .select_related("user", "municipality", "decided_by")
        .order_by("status", "-applied_at")
    )


def decide(
    *, profile: SurveyorProfile, decision: str, by, reason: str = "", request=None
) -> SurveyorProfile:
    """Approve or reject (a decision may be revised: an approval can be withdrawn later)."""
    if decision not in {SurveyorProfile.Status.APPROVED, SurveyorProfile.Status.REJECTED}:
        raise SurveyorError(_("Unknown decision: %(decision)s") % {"decision": decision})
    with transaction.atomic():
        profile = SurveyorProfile.objects.select_for_update().get(pk=profile.pk)
        previous = profile.status
        profile.status = decision
        profile.reason = reason
        profile.decided_by = by
        profile.decided_at = timezone.now()
        profile.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        action = (
            "surveyor.approve" if decision == SurveyorProfile.Status.APPROVED else "surveyor.reject"
        )
        record(
            action=action,
            actor=by,
            municipality=profile.municipality,
            target=profile.user.get_username(),
            details={
                "licence_number": profile.licence_number,
                "previous": previous,
                "reason": reason,
            },
            request=request,
        )
        if profile.user.email:
            transaction.on_commit(lambda: _mail_decision(profile))
    return profile


def _mail_decision(profile: SurveyorProfile) -> None:
    context = {"profile": profile, "site_url": settings.SITE_URL}
    send_mail(
        subject=render_to_string("accounts/email/surveyor_decision_subject.txt", context).strip(),
        message=render_to_string("accounts/email/surveyor_decision.txt", context),
        from_email=None,
        recipient_list=[profile.user.email],
    )
