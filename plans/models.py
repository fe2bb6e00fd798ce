"""Planning acts (APP AktPlanowaniaPrzestrzennego), their documents, zones and POG regulations."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layers.models import (
    INVALID_GEOMETRY,
    SRID,
    GeometryValidationMixin,
    Municipality,
    TenantQuerySet,
)

APP_NS = "https://www.gov.pl/static/zagospodarowanieprzestrzenne/schemas/app"
NAMESPACE_RE = r"^PL\.ZIPPZP\.[0-9]+/[0-9]{6}-(MPZP|SUIKZP|POG|PZPW|MPR|ZPI)$"
VERSION_ID_RE = r"^[0-9]{8}T[0-9]{6}$"


class PlanQuerySet(TenantQuerySet):
    def published(self) -> PlanQuerySet:
        return self.filter(is_published=True)

    def in_force(self, on: dt.date | None = None) -> PlanQuerySet:
        """Plans in legal force on a date (default today), by status and by dates."""
        on = on or timezone.localdate()
        return self.filter(
            Q(in_force_to__isnull=True) | Q(in_force_to__gt=on),
            status=Plan.Status.LEGAL_FORCE,
            in_force_from__lte=on,
        )

    def by_reference(self, reference: str) -> Plan | None:
        """A plan named by its id in the portal or its APP lokalnyId (the newest version)."""
        reference = reference.strip()
        if reference.isdigit() and (plan := self.filter(pk=int(reference)).first()):
            return plan
        return self.filter(local_id=reference).order_by("-created_at", "-pk").first()

    def current_pog_draft(self) -> Plan | None:
        """The gmina's plan ogólny being drawn up (the newest one in elaboration)."""
        return (
            self.filter(kind=Plan.Kind.POG, status=Plan.Status.ELABORATION)
            .order_by("-created_at", "-pk")
            .first()
        )


class Plan(GeometryValidationMixin, models.Model):
    """A planning act: MPZP, plan ogólny (POG), studium (SUIKZP), … One row per version."""

    class Kind(models.TextChoices):
        MPZP = "MPZP", _("local spatial development plan (MPZP)")
        POG = "POG", _("general plan of the gmina (plan ogólny)")
        SUIKZP = "SUIKZP", _("study of conditions (studium)")
        MPR = "MPR", _("local revitalisation plan")
        ZPI = "ZPI", _("integrated investment plan")

    class Status(models.TextChoices):
        # INSPIRE ProcessStepGeneralValue, used by APP: the codelist value is the key.
        ELABORATION = "elaboration", _("in preparation")
        ADOPTION = "adoption", _("adopted")
        LEGAL_FORCE = "legalForce", _("in force")
        OBSOLETE = "obsolete", _("repealed / expired")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="plans", verbose_name=_("municipality")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    resolution_number = models.CharField(_("resolution number"), max_length=80, blank=True)
    resolution_date = models.DateField(_("resolution date"), null=True, blank=True)
    publication = models.CharField(
        _("publication in the Dziennik Urzędowy"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Dz. Urz. Woj. Podl. z 2024 r. poz. 1712"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ELABORATION
    )
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    in_force_to = models.DateField(_("in force to"), null=True, blank=True)
    namespace = models.CharField(_("przestrzenNazw"), max_length=60, blank=True)
    local_id = models.CharField(_("lokalnyId"), max_length=120, blank=True)
    version_id = models.CharField(_("wersjaId"), max_length=15, blank=True)
    boundary = models.MultiPolygonField(_("boundary"), srid=SRID, null=True, blank=True)
    drawing_scale = models.PositiveIntegerField(_("drawing scale 1:"), null=True, blank=True)
    general_provisions = models.TextField(_("general provisions"), blank=True)
    previous_version = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("visible to the public and in the OGC services")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["municipality__name", "-resolution_date", "title"]
        indexes = [models.Index(fields=["municipality", "status"], name="plan_muni_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["MPZP", "POG", "SUIKZP", "MPR", "ZPI"]), name="plan_kind"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["elaboration", "adoption", "legalForce", "obsolete"]),
                name="plan_status",
            ),
            models.CheckConstraint(
                condition=Q(in_force_to__isnull=True)
                | Q(in_force_from__isnull=True)
                | Q(in_force_to__gte=F("in_force_from")),
                name="plan_in_force_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="legalForce") | Q(in_force_from__isnull=False),
                name="plan_in_force_has_start",
            ),
            models.CheckConstraint(
                condition=Q(namespace="") | Q(namespace__regex=NAMESPACE_RE),
                name="plan_namespace_format",
            ),
            models.CheckConstraint(
                condition=Q(version_id="") | Q(version_id__regex=VERSION_ID_RE),
                name="plan_version_id_format",
            ),
            models.UniqueConstraint(
                fields=["namespace", "local_id", "version_id"],
                condition=~Q(local_id=""),
                name="plan_unique_app_version",
            ),
            models.CheckConstraint(
                condition=Q(boundary__isvalid=True),
                name="plan_boundary_valid",
                violation_error_message=INVALID_GEOMETRY,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_in_force(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            self.status == self.Status.LEGAL_FORCE
            and self.in_force_from is not None
            and self.in_force_from <= on
            and (self.in_force_to is None or self.in_force_to > on)
        )


class PlanDocument(models.Model):
    """A document of a plan: the resolution, the drawing (PDF or GeoTIFF), justification, …"""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", _("resolution (uchwała)")
        DRAWING = "drawing", _("plan drawing")
        DRAWING_RASTER = "drawing_raster", _("georeferenced drawing (GeoTIFF)")
        JUSTIFICATION = "justification", _("justification (uzasadnienie)")
        FORECAST = "forecast", _("environmental forecast")
        OTHER = "other", _("other")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="plan_documents",
        verbose_name=_("municipality"),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="documents", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    local_id = models.CharField(_("lokalnyId"), max_length=120, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="plans/%Y/", blank=True)
    url = models.URLField(_("address"), blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan document")
        verbose_name_plural = _("plan documents")
        ordering = ["plan", "kind", "title"]

    def __str__(self) -> str:
        return self.title


class PlanZone(GeometryValidationMixin, models.Model):
    """An MPZP teren or a POG strefa planistyczna, with its provisions and geometry."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="plan_zones",
        verbose_name=_("municipality"),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="zones", verbose_name=_("plan")
    )
    designation = models.CharField(
        _("designation"), max_length=40, help_text=_("as written, e.g. 12MN/U")
    )
    symbol = models.CharField(_("symbol"), max_length=40, blank=True)
    number = models.PositiveIntegerField(_("sequence number"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=300, blank=True)
    zone_kind = models.CharField(
        _("POG zone kind"),
        max_length=4,
        blank=True,
        help_text=_("SW, SJ, SZ, SU, SH, SP, SR, SI, SN, SC, SG, SO, SK"),
    )
    profile = ArrayField(
        models.CharField(max_length=12), default=list, blank=True, verbose_name=_("profile codes")
    )
    max_building_intensity = models.FloatField(
        _("max above-ground building intensity"), null=True, blank=True
    )
    max_building_coverage_pct = models.FloatField(
        _("max built-up share [%]"), null=True, blank=True
    )
    max_height_m = models.FloatField(_("max building height [m]"), null=True, blank=True)
    min_biologically_active_pct = models.FloatField(
        _("min biologically active share [%]"), null=True, blank=True
    )
    provisions = models.TextField(_("provisions"), blank=True)
    local_id = models.CharField(_("lokalnyId"), max_length=120, blank=True)
    geom = models.MultiPolygonField(_("geometry"), srid=SRID)
    area_m2 = models.FloatField(_("area [m²]"))

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan zone")
        verbose_name_plural = _("plan zones")
        ordering = ["plan", "number", "designation"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "designation"], name="zone_unique_designation"),
            models.UniqueConstraint(
                fields=["plan", "local_id"], condition=~Q(local_id=""), name="zone_unique_local_id"
            ),
            models.CheckConstraint(
                condition=Q(geom__isvalid=True),
                name="zone_geom_valid",
                violation_error_message=INVALID_GEOMETRY,
            ),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="zone_area_positive"),
            models.CheckConstraint(
                condition=Q(max_building_coverage_pct__isnull=True)
                | Q(max_building_coverage_pct__range=(0, 100)),
                name="zone_coverage_pct",
            ),
            models.CheckConstraint(
                condition=Q(min_biologically_active_pct__isnull=True)
                | Q(min_biologically_active_pct__range=(0, 100)),
                name="zone_bio_pct",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.designation} {self.name}".strip()


class Regulation(GeometryValidationMixin, models.Model):
    """A POG regulation overlay: OUZ, OZS or OSD (ObszarUzupelnieniaZabudowy, …)."""

    class Kind(models.TextChoices):
        OUZ = "OUZ", _("infill development area (OUZ)")
        OZS = "OZS", _("downtown development area (OZS)")
        OSD = "OSD", _("social infrastructure access standards area (OSD)")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="regulations",
        verbose_name=_("municipality"),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="regulations", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=300, blank=True)
    designation = models.CharField(_("designation"), max_length=40, blank=True)
    local_id = models.CharField(_("lokalnyId"), max_length=120, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    geom = models.MultiPolygonField(_("geometry"), srid=SRID)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["OUZ", "OZS", "OSD"]), name="regulation_kind"
            ),
            models.CheckConstraint(
                condition=Q(geom__isvalid=True),
                name="regulation_geom_valid",
                violation_error_message=INVALID_GEOMETRY,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.designation}".strip()


class ImportJob(models.Model):
    """A planner's upload: validated in the background, written only after the planner confirms."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("plan")
        PARCELS = "parcels", _("parcels")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for validation")
        VALIDATING = "validating", _("validating")
        VALID = "valid", _("valid – awaiting confirmation")
        REJECTED = "rejected", _("rejected")
        WRITING = "writing", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    folder = models.CharField(_("upload folder"), max_length=200)
    files = models.JSONField(_("files"), default=list)
    options = models.JSONField(_("options"), default=dict, blank=True)
    stage = models.CharField(_("stage"), max_length=80, blank=True)
    progress_done = models.PositiveIntegerField(default=0, verbose_name=_("progress: done"))
    progress_total = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("progress: total")
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    plan = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("plan"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["plan", "parcels"]), name="import_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.VALIDATING, self.Status.WRITING}

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, int(100 * self.progress_done / self.progress_total))


class HarvestSource(models.Model):
    """Where a gmina's acts were harvested from (a WFS 2.0 with APP GML); ``sync``: keep them in step.

    Written by ``harvest_plans`` after a harvest that was not a dry run; read by the periodic
    ``plans.sync_harvested`` job (``HARVEST_SYNC_HOURS``, 0 = off) and the import page's button.
    """

    class Kind(models.TextChoices):
        POG = "pog", _("plan ogólny")
        MPZP = "mpzp", _("MPZP")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="harvest_sources",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices, default=Kind.POG)
    url = models.URLField(_("WFS address"), max_length=500)
    sync = models.BooleanField(_("keep in sync"), default=False)
    last_harvest_at = models.DateTimeField(_("last harvest"), null=True, blank=True)
    last_result = models.CharField(_("last result"), max_length=500, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind"], name="harvest_source_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.kind}: {self.url}"
