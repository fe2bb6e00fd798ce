"""The tenant (Municipality), its people (Membership), the cadastre (Precinct, Parcel), the layers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layers.identifiers import IdentifierError, validate_terc
from layers.payments import DEFAULT_TITLE, validate_nrb

SRID = 2180


class TenantQuerySet(models.QuerySet):
    """Queryset of a model with a ``municipality`` foreign key (lookups: layers/tenancy.py)."""

    def for_municipality(self, municipality: Municipality) -> TenantQuerySet:
        return self.filter(municipality=municipality)


# Paths that sit at the top of the URL space and so cannot be a gmina's slug.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "ows",
        "ogcapi",
        "static",
        "media",
        "wypisy",
        "weryfikacja",
        "i18n",
        "konto",
        "accounts",
        "login",
        "logout",
        "healthz",
        "readyz",
        "metrics",
        "centrum-wsparcia",
        "ankieta",
        "deklaracja-dostepnosci",
        "szukaj",
        "search",
        "favicon.ico",
        "robots.txt",
    }
)


def validate_terc_field(value: str) -> None:
    try:
        validate_terc(value)
    except IdentifierError as exc:
        raise ValidationError(str(exc)) from exc


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("%(slug)s is reserved for the portal's own pages"), params={"slug": value}
        )


class GeometryValidationMixin:
    """Skip the database-side geometry checks for empty geometries during model validation.

    ``full_clean`` evaluates CheckConstraints such as ``Q(geom__isvalid=True)`` through SQL; Django
    cannot build ``ST_IsValid(NULL)`` for a missing geometry, which is valid anyway.
    """

    def validate_constraints(self, exclude=None):
        exclude = set(exclude or ())
        exclude |= {
            f.name
            for f in self._meta.concrete_fields
            if isinstance(f, models.GeometryField) and getattr(self, f.attname) is None
        }
        super().validate_constraints(exclude=exclude)


INVALID_GEOMETRY = _("The geometry is not valid (self-intersection, unclosed ring or similar).")


class Municipality(GeometryValidationMixin, models.Model):
    """A partner gmina: the tenant that owns plans, parcels and extracts."""

    PL2000_ZONES = [
        (5, "5 (EPSG:2176)"),
        (6, "6 (EPSG:2177)"),
        (7, "7 (EPSG:2178)"),
        (8, "8 (EPSG:2179)"),
    ]

    teryt = models.CharField(
        _("TERYT code"),
        max_length=8,
        unique=True,
        validators=[validate_terc_field],
        help_text=_("TERC code with the kind digit, e.g. 200211_2"),
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=60, unique=True, validators=[validate_slug_not_reserved]
    )
    boundary = models.MultiPolygonField(_("boundary"), srid=SRID, null=True, blank=True)
    pl2000_zone = models.PositiveSmallIntegerField(
        _("PL-2000 zone"), choices=PL2000_ZONES, null=True, blank=True
    )
    abstract = models.TextField(_("description"), blank=True)
    contact_organization = models.CharField(_("contact organisation"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("office address"), max_length=300, blank=True)
    authority_genitive = models.CharField(
        _("executive body (genitive)"),
        max_length=200,
        blank=True,
        help_text=_("As signed 'z up.': e.g. Wójta Gminy Wierzbno, Burmistrza Miasta i Gminy …"),
    )
    payee_name = models.CharField(_("payee"), max_length=200, blank=True)
    bank_account = models.CharField(
        _("bank account (NRB)"),
        max_length=40,
        blank=True,
        validators=[validate_nrb],
        help_text=_("26 digits, e.g. 61 1090 1014 0000 0712 1981 2874"),
    )
    payment_title_pattern = models.CharField(
        _("title of payment"),
        max_length=200,
        default=DEFAULT_TITLE,
        help_text=_("{rodzaj} becomes the kind of document, {nr} the request number"),
    )
    # the accessibility statement (deklaracja dostępności) names who takes accessibility requests
    accessibility_contact = models.CharField(
        _("accessibility contact person"), max_length=200, blank=True
    )
    accessibility_email = models.EmailField(_("accessibility contact e-mail"), blank=True)
    accessibility_phone = models.CharField(
        _("accessibility contact phone"), max_length=40, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(teryt__regex=r"^\d{6}_[1-9]$"), name="municipality_teryt_format"
            ),
            models.CheckConstraint(
                condition=Q(boundary__isvalid=True),
                name="municipality_boundary_valid",
                violation_error_message=INVALID_GEOMETRY,
            ),
            models.CheckConstraint(
                condition=Q(pl2000_zone__isnull=True) | Q(pl2000_zone__range=(5, 8)),
                name="municipality_pl2000_zone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.teryt})"

    @property
    def voivodeship_code(self) -> str:
        return self.teryt[:2]

    def registration_units(self) -> set[str]:
        from layers.identifiers import units_of

        return units_of(self.teryt)

    def pl2000_srid(self) -> int | None:
        return 2171 + self.pl2000_zone if self.pl2000_zone else None

    @property
    def takes_payments(self) -> bool:
        """Whether the gmina has given the account the opłata skarbowa is paid to."""
        return bool(self.bank_account)


class Membership(models.Model):
    """A user's role in one gmina. One user may hold roles in several gminy."""

    class Role(models.TextChoices):
        PLANNER = "planner", _("planner")
        CLERK = "clerk", _("clerk")
        ADMIN = "admin", _("gmina administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("municipality"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["planner", "clerk", "admin"]), name="membership_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.municipality.name}"


class Precinct(GeometryValidationMixin, models.Model):
    """An obręb ewidencyjny: ``WWPPGG_R.OOOO``."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="precincts",
        verbose_name=_("municipality"),
    )
    unit = models.CharField(
        _("registration unit"),
        max_length=8,
        help_text=_("WWPPGG_R; _4/_5 within a gmina miejsko-wiejska"),
    )
    number = models.CharField(_("number"), max_length=4, validators=[RegexValidator(r"^\d{4}$")])
    name = models.CharField(_("name"), max_length=120, blank=True)
    geom = models.MultiPolygonField(_("geometry"), srid=SRID, null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("precinct")
        verbose_name_plural = _("precincts")
        ordering = ["unit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="precinct_unique_identifier"),
            models.CheckConstraint(
                condition=Q(number__regex=r"^\d{4}$"), name="precinct_number_format"
            ),
            models.CheckConstraint(
                condition=Q(unit__regex=r"^\d{6}_[1-9]$"), name="precinct_unit_format"
            ),
            models.CheckConstraint(
                condition=Q(geom__isvalid=True),
                name="precinct_geom_valid",
                violation_error_message=INVALID_GEOMETRY,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.identifier} {self.name}".strip()

    @property
    def identifier(self) -> str:
        return f"{self.unit}.{self.number}"


class ParcelQuerySet(TenantQuerySet):
    def current(self) -> ParcelQuerySet:
        return self.filter(valid_to__isnull=True)

    def as_of(self, moment: dt.datetime) -> ParcelQuerySet:
        return self.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=moment), valid_from__lte=moment
        )


class Parcel(GeometryValidationMixin, models.Model):
    """A działka ewidencyjna. Re-imports close the current row (valid_to) and add a new one."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="parcels",
        verbose_name=_("municipality"),
    )
    precinct = models.ForeignKey(
        Precinct, on_delete=models.PROTECT, related_name="parcels", verbose_name=_("precinct")
    )
    identifier = models.CharField(_("identifier"), max_length=48, db_index=True)
    number = models.CharField(_("number"), max_length=16)
    geom = models.MultiPolygonField(_("geometry"), srid=SRID)
    registered_area_ha = models.DecimalField(
        _("registered area [ha]"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    area_m2 = models.FloatField(_("computed area [m²]"))
    valid_from = models.DateTimeField(_("valid from"), default=timezone.now)
    valid_to = models.DateTimeField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = ParcelQuerySet.as_manager()

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ["identifier", "-valid_from"]
        indexes = [
            models.Index(fields=["municipality", "number"], name="parcel_muni_number"),
            # A gmina's current parcels in the two orders its WFS / OGC API pages come in (by
            # id_dzialki, by id): a page is an index-only scan to its STARTINDEX, not a sort of
            # the whole gmina (issue 17: 179 ms -> 14 ms for a 150,000-parcel gmina's last page).
            models.Index(
                fields=["municipality", "identifier"],
                include=["id"],
                condition=Q(valid_to__isnull=True),
                name="parcel_current_muni_ident",
            ),
            models.Index(
                fields=["municipality", "id"],
                condition=Q(valid_to__isnull=True),
                name="parcel_current_muni_id",
            ),
            # the search as typed: numbers starting with what was typed, within a gmina (a LIKE
            # prefix needs the pattern operator class; 21 ms -> 0.3 ms in a 150,000-parcel gmina)
            models.Index(
                fields=["municipality", "number"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                condition=Q(valid_to__isnull=True),
                name="parcel_current_number_prefix",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier"],
                condition=Q(valid_to__isnull=True),
                name="parcel_unique_current_id",
            ),
            models.CheckConstraint(
                condition=Q(
                    identifier__regex=r"^\d{6}_[1-9]\.\d{4}\.(AR_[1-9]\d{0,3}\.)?[1-9]\d{0,5}(/[1-9]\d{0,4})?$"
                ),
                name="parcel_identifier_format",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="parcel_history_order",
            ),
            models.CheckConstraint(
                condition=Q(geom__isvalid=True),
                name="parcel_geom_valid",
                violation_error_message=INVALID_GEOMETRY,
            ),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="parcel_area_positive"),
        ]

    def __str__(self) -> str:
        return self.identifier

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class Address(models.Model):
    """An address point (punkt adresowy) of the national register (PRG / EMUiA) in one gmina."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="addresses",
        verbose_name=_("municipality"),
    )
    locality = models.CharField(_("locality"), max_length=120)
    street = models.CharField(_("street"), max_length=120, blank=True)
    number = models.CharField(_("house number"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    point = models.PointField(_("position"), srid=SRID)
    local_id = models.CharField(_("identifier in the register"), max_length=80, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("address point")
        verbose_name_plural = _("address points")
        ordering = ["locality", "street", "number"]
        indexes = [models.Index(fields=["municipality", "street", "number"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """``Polna 5, Wierzbno``; a village without streets: ``Wierzbno 12``."""
        if self.street:
            return f"{self.street} {self.number}, {self.locality}"
        return f"{self.locality} {self.number}"


class Layer(models.Model):
    """A published layer of the catalogue; its data version bumps on every import (cache keys)."""

    class Kind(models.TextChoices):
        PARCELS = "parcels", _("parcels")
        PRECINCTS = "precincts", _("precincts")
        PLAN_BOUNDARIES = "plan_boundaries", _("plan boundaries")
        PLAN_ZONES = "plan_zones", _("plan zones")
        REGULATIONS = "regulations", _("plan ogólny regulations")
        RASTER = "raster", _("plan drawings (raster)")
        BASEMAP = "basemap", _("base map")

    # The names the national MPZP aggregator (KIMPZP) expects per gmina, plus the cadastre.
    DEFAULT_NAMES = {
        Kind.PLAN_BOUNDARIES: "granice",
        Kind.PLAN_ZONES: "wektor-str",
        Kind.RASTER: "raster",
        Kind.REGULATIONS: "wektor-pow",
        Kind.PARCELS: "dzialki",
        Kind.PRECINCTS: "obreby",
        Kind.BASEMAP: "podklad",
    }
    # drawn from all the others (precincts, parcels, plan outlines, addresses): bumped with each
    BUILT_FROM_ALL = (Kind.BASEMAP,)
    GMINA_ONLY = (Kind.BASEMAP,)  # not among the platform-wide layers of ``/ows``

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="layers",
        null=True,
        blank=True,
        help_text=_("empty: a platform-wide layer"),
        verbose_name=_("municipality"),
    )
    name = models.SlugField(_("name"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    abstract = models.TextField(_("abstract"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    style = models.CharField(_("default style"), max_length=60, default="default")
    queryable = models.BooleanField(_("queryable"), default=True)
    min_scale = models.PositiveIntegerField(_("min scale denominator"), null=True, blank=True)
    max_scale = models.PositiveIntegerField(_("max scale denominator"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    data_version = models.PositiveBigIntegerField(_("data version"), default=1)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("layer")
        verbose_name_plural = _("layers")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], nulls_distinct=False, name="layer_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(min_scale__isnull=True)
                | Q(max_scale__isnull=True)
                | Q(min_scale__lt=F("max_scale")),
                name="layer_scale_range",
            ),
        ]

    def __str__(self) -> str:
        owner = self.municipality.slug if self.municipality_id else "*"
        return f"{owner}:{self.name}"

    @classmethod
    def bump(cls, *, municipality: Municipality, kinds: list[str]) -> int:
        """Advance the data version of the gmina's and the platform's layers of these kinds (and
        of the layers drawn from all kinds, such as the base map)."""
        return cls.objects.filter(
            Q(municipality=municipality) | Q(municipality__isnull=True),
            kind__in=[*kinds, *cls.BUILT_FROM_ALL],
        ).update(data_version=F("data_version") + 1)

    @classmethod
    def ensure_defaults(cls, *, municipality: Municipality | None) -> list[Layer]:
        """Create the standard layers of a gmina (or the platform-wide ones) that are missing."""
        where = f" – {municipality.name}" if municipality else ""
        layers = []
        for kind, name in cls.DEFAULT_NAMES.items():
            if municipality is None and kind in cls.GMINA_ONLY:
                continue
            layer, _created = cls.objects.get_or_create(
                municipality=municipality,
                name=name,
                defaults={
                    "title": f"{cls.Kind(kind).label}{where}",
                    "kind": kind,
                    "queryable": kind not in (cls.Kind.RASTER, cls.Kind.BASEMAP),
                },
            )
            layers.append(layer)
        return layers
