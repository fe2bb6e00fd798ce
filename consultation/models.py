"""Consultations of draft plans, their other forms (meetings, walks, points) and the comments.

Rules and the articles they implement (u.p.z.p. = ustawa o planowaniu i zagospodarowaniu
przestrzennym, rozdział 1a): see consultation/rules.py and docs/consultation.md.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layers.models import SRID, GeometryValidationMixin, Municipality, TenantQuerySet
from plans.models import Plan


class ConsultationQuerySet(TenantQuerySet):
    def started(self, now: dt.datetime | None = None) -> ConsultationQuerySet:
        """Public from the start (art. 8h ust. 1: announced no later than on the first day)."""
        return self.filter(starts_at__lte=now or timezone.now())

    def collecting(self, now: dt.datetime | None = None) -> ConsultationQuerySet:
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now)


class Consultation(models.Model):
    """Konsultacje społeczne of one draft plan (art. 8h, 8i u.p.z.p.)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="consultations",
        verbose_name=_("municipality"),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("draft plan")
    )
    title = models.CharField(_("title"), max_length=300)
    announcement = models.TextField(_("announcement"), blank=True)
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("deadline for comments"))
    report_summary = models.TextField(_("summary of the consultation"), blank=True)
    report_published_at = models.DateTimeField(_("report published"), null=True, blank=True)
    # the report as published (consultation/report.py ``live_report``), written in the same
    # transaction as ``report_published_at``: the public report never changes afterwards
    report_snapshot = models.JSONField(_("published report"), null=True, blank=True, editable=False)
    next_number = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="consultation_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def is_collecting(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at

    @property
    def last_second(self) -> dt.datetime:
        """The last moment a comment is on time (the deadline is exclusive)."""
        return self.ends_at - dt.timedelta(seconds=1)

    @property
    def report_is_published(self) -> bool:
        return self.report_published_at is not None


class ConsultationEvent(models.Model):
    """A dated form of the consultation besides comments (art. 8i ust. 1 pkt 2, 3 and 5)."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("open meeting")  # pkt 2: spotkanie otwarte, panel, warsztaty
        WALK = "walk", _("study walk")  # pkt 3: spotkanie plenerowe, spacer studyjny
        POINT = "point", _("consultation point")  # pkt 5: punkt konsultacyjny, dyżur projektanta
        OTHER = "other", _("other form")  # ust. 3: other forms are allowed

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("form"), max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("consultation event")
        verbose_name_plural = _("consultation events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class Comment(GeometryValidationMixin, models.Model):
    """A comment (uwaga, art. 8i ust. 1 pkt 1) on the statutory form (art. 8g ust. 1–2,
    Dz.U. 2023 poz. 2509)."""

    class Submitter(models.TextChoices):
        PERSON = "person", _("natural person")
        ORGANISATION = "organisation", _("organisation")

    class Right(models.TextChoices):
        # art. 8g ust. 2: whether the submitter owns or holds perpetual usufruct of the property
        OWNER = "owner", _("owner or perpetual usufructuary")
        NONE = "none", _("no right to the property")

    class Topic(models.TextChoices):
        # a short fixed list so that the planner can sort the comments (issue 16: filter by topic)
        LAND_USE = "land_use", _("land use")
        BUILDING = "building", _("building parameters (height, intensity)")
        TRANSPORT = "transport", _("transport and roads")
        GREENERY = "greenery", _("greenery and environment")
        INFRASTRUCTURE = "infrastructure", _("infrastructure")
        OTHER = "other", pgettext_lazy("comment topic", "other")

    class Position(models.TextChoices):
        PENDING = "", _("not considered yet")
        ACCEPTED = "accepted", _("accepted")
        PARTLY = "partly", _("partly accepted")
        REJECTED = "rejected", _("not accepted")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    number = models.PositiveIntegerField(_("number"))
    submitter_kind = models.CharField(_("submitted by"), max_length=12, choices=Submitter.choices)
    name = models.CharField(_("name or organisation"), max_length=200)
    address = models.CharField(_("address of residence or seat"), max_length=300)
    email = models.EmailField(_("e-mail"), blank=True)
    topic = models.CharField(
        _("topic"), max_length=16, choices=Topic.choices, default=Topic.OTHER, blank=True
    )
    content = models.TextField(_("content of the comment"))
    justification = models.TextField(_("justification"), blank=True)
    property_right = models.CharField(
        _("right to the property"), max_length=8, choices=Right.choices
    )
    geom = models.GeometryField(_("place on the map"), srid=SRID, null=True, blank=True)
    parcel_identifiers = models.CharField(_("parcels"), max_length=500, blank=True)
    zone_designation = models.CharField(_("zone"), max_length=40, blank=True)
    submitted_at = models.DateTimeField(_("submitted"))
    form_opened_at = models.DateTimeField(_("form opened"), null=True, blank=True)
    in_grace_period = models.BooleanField(_("accepted in the grace period"), default=False)
    position = models.CharField(
        _("position"), max_length=10, choices=Position.choices, default="", blank=True
    )
    reason = models.TextField(_("reason for the position"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "number"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="comment_unique_number"
            ),
            models.CheckConstraint(condition=Q(geom__isvalid=True), name="comment_geom_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.number}"

    @property
    def public_author(self) -> str:
        """Art. 8a ust. 1 / RODO: a natural person's name is never public; an organisation's is."""
        if self.submitter_kind == self.Submitter.ORGANISATION:
            return self.name
        return str(_("natural person"))


def attachment_path(instance: CommentAttachment, filename: str) -> str:
    comment = instance.comment
    return f"consultation/{comment.municipality_id}/{comment.consultation_id}/{comment.number}-{filename}"


class CommentAttachment(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
