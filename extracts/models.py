"""Extract requests, issued extracts (immutable), the per-gmina numbering, API batches (DESIGN.md §6)."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from layers.models import Municipality, TenantQuerySet


class ExtractKind(models.TextChoices):
    WYPIS = "wypis", _("wypis (text extract)")
    WYRYS = "wyrys", _("wyrys (map excerpt)")
    WYPIS_WYRYS = "wypis_wyrys", _("wypis i wyrys")
    ZASWIADCZENIE = "zaswiadczenie", _("zaświadczenie (art. 217 KPA)")


REQUEST_HEADINGS = {
    ExtractKind.WYPIS: _("Request for a wypis"),
    ExtractKind.WYRYS: _("Request for a wyrys"),
    ExtractKind.WYPIS_WYRYS: _("Request for a wypis i wyrys"),
    ExtractKind.ZASWIADCZENIE: _("Request for a zaświadczenie"),
}


KIND_WORDS = {  # as the title of a transfer says it: always Polish
    ExtractKind.WYPIS: "wypis",
    ExtractKind.WYRYS: "wyrys",
    ExtractKind.WYPIS_WYRYS: "wypis i wyrys",
    ExtractKind.ZASWIADCZENIE: "zaświadczenie",
}


def normalise_verification_code(value: str) -> str:
    """A code as typed (any case, with or without dashes or spaces) → ``K7QM-3XPA-9TRD``."""
    raw = "".join(ch for ch in (value or "").upper() if ch.isascii() and ch.isalnum())
    if len(raw) != 12:
        return raw[:40]
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def new_verification_code() -> str:
    """12 characters of an unambiguous alphabet, grouped for reading aloud: ``K7QM-3XPA-9TRD``."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class ExtractRequest(models.Model):
    """A request for a certified extract, for parcels of ONE gmina (several gminy: several requests)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for the clerk")
        ISSUED = "issued", _("issued")
        REJECTED = "rejected", _("rejected")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="extract_requests",
        verbose_name=_("municipality"),
    )
    token = models.UUIDField(_("status token"), default=uuid.uuid4, unique=True, editable=False)
    submission_key = models.CharField(
        _("submission key"), max_length=64, help_text=_("one per form; a double submit reuses it")
    )
    group = models.UUIDField(_("submission group"), help_text=_("requests split from one form"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="extract_requests",
        verbose_name=_("requester"),
    )
    requester_name = models.CharField(_("name or firm"), max_length=200)
    requester_address = models.CharField(_("address"), max_length=300)
    requester_email = models.EmailField(_("e-mail"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ExtractKind.choices)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    parcel_ids = ArrayField(models.CharField(max_length=48), verbose_name=_("parcels"))
    fee_quote = models.JSONField(_("fee quoted at filing"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    paid_on = models.DateField(_("fee paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    fee_exemption = models.CharField(_("ground of the fee exemption"), max_length=300, blank=True)
    payment_recorded_at = models.DateTimeField(_("payment recorded"), null=True, blank=True)
    payment_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment recorded by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("extract request")
        verbose_name_plural = _("extract requests")
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key", "municipality"], name="extract_request_once"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "issued", "rejected"]),
                name="extract_request_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
                name="extract_request_reject_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {', '.join(self.parcel_ids)}"

    @property
    def heading(self) -> str:
        """ "Wniosek o wypis i wyrys": the request named by its kind."""
        return str(REQUEST_HEADINGS.get(self.kind, _("Extract request")))

    def payment_instructions(self) -> dict | None:
        """Where and how to pay the fee: the gmina's account, payee and the title; None when the
        gmina has not given its account."""
        from layers.payments import format_nrb, payment_title

        gmina = self.municipality
        if not gmina.takes_payments:
            return None
        return {
            "account": format_nrb(gmina.bank_account),
            "payee": gmina.payee_name or gmina.name,
            "title": payment_title(
                pattern=gmina.payment_title_pattern,
                kind_label=KIND_WORDS.get(self.kind, self.kind),
                number=self.pk,
            ),
        }

    @property
    def fee_settled(self) -> bool:
        """The clerk recorded the payment (date or reference) or an exemption with its ground."""
        return bool(self.paid_on or self.payment_reference.strip() or self.fee_exemption.strip())


class ExtractCounter(models.Model):
    """The last number issued in a gmina in a year; locked FOR UPDATE by the issuing transaction."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    last_number = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        verbose_name = _("extract counter")
        verbose_name_plural = _("extract counters")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="extract_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.year}: {self.last_number}"


class Extract(models.Model):
    """An issued certified extract. Written once; a database trigger refuses any UPDATE."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="extracts",
        verbose_name=_("municipality"),
    )
    request = models.OneToOneField(
        ExtractRequest, on_delete=models.PROTECT, related_name="extract", verbose_name=_("request")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    reference = models.CharField(_("reference"), max_length=40)
    kind = models.CharField(_("kind"), max_length=16, choices=ExtractKind.choices)
    parcel_ids = ArrayField(models.CharField(max_length=48), verbose_name=_("parcels"))
    as_of = models.DateField(_("plans as of"))
    plans = models.JSONField(_("plans stated"), default=list)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_by_name = models.CharField(_("issued by"), max_length=200)
    verification_code = models.CharField(_("verification code"), max_length=14, unique=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pdf = models.BinaryField(_("PDF"))
    pages = models.PositiveSmallIntegerField(_("pages"))
    fee = models.JSONField(_("fee"), default=dict)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued extract")
        verbose_name_plural = _("issued extracts")
        ordering = ["municipality", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "number"], name="extract_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="extract_number_positive"),
        ]

    def __str__(self) -> str:
        return self.reference


class ExtractBatch(models.Model):
    """A surveyor's API batch: parcel ids → a background job → a zip of informational PDFs."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="extract_batches",
        verbose_name=_("owner"),
    )
    parcel_ids = ArrayField(models.CharField(max_length=48), verbose_name=_("parcels"))
    as_of = models.DateField(verbose_name=_("as of"))
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.QUEUED, verbose_name=_("status")
    )
    job_id = models.BigIntegerField(null=True, blank=True, verbose_name=_("job number"))
    zip_file = models.BinaryField(null=True, blank=True, verbose_name=_("ZIP file"))
    errors = models.JSONField(default=list, blank=True, verbose_name=_("errors"))
    failure = models.TextField(  # why it failed: an exception, or a known msgid
        blank=True, verbose_name=_("failure")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("extract batch")
        verbose_name_plural = _("extract batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"batch {self.pk} ({len(self.parcel_ids)} parcels, {self.status})"


class InformationalPdfDay(models.Model):
    """How many informational (uncertified) PDFs a gmina served on a day: one row, one upsert each."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("count"), default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("informational PDFs per day")
        verbose_name_plural = _("informational PDFs per day")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "day"], name="info_pdf_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.day}: {self.count}"
