"""The audit log: an append-only record of who did what, when, in which gmina."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from layers.models import TenantQuerySet


class AuditEvent(models.Model):
    """One action. Rows are never updated or deleted: a database trigger refuses it.

    The foreign keys carry no database constraint, so that deleting a user or a gmina never touches
    the log; ``actor_name`` keeps who it was.
    """

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_name = models.CharField(_("who (as recorded)"), max_length=150, blank=True)
    municipality = models.ForeignKey(
        "layers.Municipality",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    target = models.CharField(_("object"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target}"


class SurveyorProfile(models.Model):
    """A surveyor's (geodeta's) application and its decision.

    Until approved the account acts as a resident. The application is filed with one gmina, whose
    admins (or a platform admin) check the licence number and decide.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="surveyor_profile",
        verbose_name=_("user"),
    )
    licence_number = models.CharField(
        _("professional licence number"),
        max_length=40,
        help_text=_("Numer uprawnień zawodowych, e.g. 12345 or GK-I-7341/2014"),
    )
    company = models.CharField(_("company"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "layers.Municipality",
        on_delete=models.PROTECT,
        related_name="surveyor_applications",
        verbose_name=_("municipality that decides"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("surveyor profile")
        verbose_name_plural = _("surveyor profiles")
        ordering = ["-applied_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "rejected"]),
                name="surveyorprofile_status",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.licence_number}, {self.get_status_display()})"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class StaffProfile(models.Model):
    """What a member of staff signs with: full name and position (stanowisko), never a login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(
        _("position"), max_length=150, blank=True, help_text=_("e.g. inspektor ds. planowania")
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return self.full_name or str(self.user)


def signatory_of(user) -> tuple[str, str]:
    """(full name, position) a document signed by ``user`` prints; empty strings when unknown.

    The full name comes from the staff profile, else from the account's first and last name; the
    login is never used (it may be an e-mail address or ``urzednik-wierzbno``).
    """
    profile = StaffProfile.objects.filter(user=user).first()
    name = (profile.full_name if profile else "").strip() or user.get_full_name().strip()
    return name, (profile.position.strip() if profile else "")
