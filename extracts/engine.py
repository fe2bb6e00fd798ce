"""The extract engine: for parcels and a date, the plans in force over them and each zone's share.

Areas are computed by PostGIS in EPSG:2180 (the storage SRID, metres). Slivers (parts of a zone
smaller than ``settings.EXTRACT_SLIVER_M2``) are left out and listed separately so the document can
say so together with the threshold. Only published plans in legal force on the date are stated.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from layers.identifiers import IdentifierError, parse_parcel_id
from layers.models import Municipality, Parcel
from plans.models import Plan, PlanZone, Regulation


@dataclass(frozen=True)
class ZoneShare:
    zone: PlanZone
    area_m2: float
    share: float  # 0…1 of the parcel's area

    @property
    def percent(self) -> float:
        return self.share * 100


@dataclass(frozen=True)
class RegulationShare:
    regulation: Regulation
    area_m2: float
    share: float


@dataclass
class PlanSection:
    plan: Plan
    zones: list[ZoneShare] = field(default_factory=list)
    regulations: list[RegulationShare] = field(default_factory=list)
    slivers: list[ZoneShare] = field(default_factory=list)


@dataclass
class ParcelSection:
    parcel: Parcel
    area_m2: float
    plans: list[PlanSection] = field(default_factory=list)

    @property
    def has_plan(self) -> bool:
        return bool(self.plans)


@dataclass
class ExtractContent:
    municipality: Municipality
    on: dt.date
    sliver_m2: float
    parcels: list[ParcelSection]

    @property
    def plans(self) -> list[Plan]:
        """The plans stated anywhere in the extract, each once, in a stable order."""
        seen: dict[int, Plan] = {}
        for section in self.parcels:
            for plan_section in section.plans:
                seen.setdefault(plan_section.plan.pk, plan_section.plan)
        return list(seen.values())

    @property
    def zones(self) -> list[PlanZone]:
        """The zones stated anywhere (for the verbatim provisions), each once."""
        seen: dict[int, PlanZone] = {}
        for section in self.parcels:
            for plan_section in section.plans:
                for share in plan_section.zones:
                    seen.setdefault(share.zone.pk, share.zone)
        return sorted(seen.values(), key=lambda z: (z.plan_id, z.number or 0, z.designation))


class ParcelProblem(ValueError):
    """Parcel identifiers that cannot be used; ``problems`` names each one and why."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def resolve_parcels(*, identifiers: list[str]) -> dict[Municipality, list[Parcel]]:
    """Current parcels by gmina for the typed identifiers, or ParcelProblem naming every bad one."""
    problems: list[str] = []
    wanted: list[str] = []
    for raw in identifiers:
        try:
            ident = str(parse_parcel_id(raw))
        except IdentifierError as exc:
            problems.append(str(exc))
            continue
        if ident not in wanted:
            wanted.append(ident)
    current = {
        p.identifier: p
        for p in Parcel.objects.current()
        .filter(identifier__in=wanted, municipality__is_active=True)
        .select_related("municipality", "precinct")
    }
    missing = [ident for ident in wanted if ident not in current]
    retired = dict(
        Parcel.objects.filter(identifier__in=missing, valid_to__isnull=False)
        .order_by("identifier", "valid_to")
        .values_list("identifier", "valid_to")
    )
    for ident in missing:
        if ident in retired:
            problems.append(
                _("%(id)s: the parcel was retired from the register on %(date)s")
                % {"id": ident, "date": retired[ident].date().isoformat()}
            )
        else:
            problems.append(_("%(id)s: no such parcel in the register") % {"id": ident})
    if problems:
        raise ParcelProblem(problems)
    by_gmina: dict[Municipality, list[Parcel]] = defaultdict(list)
    for ident in wanted:
        parcel = current[ident]
        by_gmina[parcel.municipality].append(parcel)
    return dict(by_gmina)


_ZONE_SQL = """
SELECT z.id, ST_Area(ST_Intersection(z.geom, p.geom)) AS part
FROM plans_planzone z JOIN layers_parcel p ON ST_Intersects(z.geom, p.geom)
WHERE p.id = %s AND z.plan_id = ANY(%s)
"""
_REGULATION_SQL = """
SELECT r.id, ST_Area(ST_Intersection(r.geom, p.geom)) AS part
FROM plans_regulation r JOIN layers_parcel p ON ST_Intersects(r.geom, p.geom)
WHERE p.id = %s AND r.plan_id = ANY(%s)
"""


def _parts(sql: str, parcel_id: int, plan_ids: list[int]) -> dict[int, float]:
    with connection.cursor() as cursor:
        cursor.execute(sql, [parcel_id, plan_ids])
        return {row[0]: float(row[1]) for row in cursor.fetchall()}


def _parcel_area(parcel_id: int) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Area(geom) FROM layers_parcel WHERE id = %s", [parcel_id])
        return float(cursor.fetchone()[0])


def plans_in_force(*, municipality: Municipality, on: dt.date, parcels: list[Parcel]):
    """Published plans of the gmina in force on ``on`` whose boundary or zones touch the parcels."""
    qs = Plan.objects.for_municipality(municipality).published().in_force(on)
    plan_ids: set[int] = set()
    for parcel in parcels:
        plan_ids |= set(
            qs.filter(boundary__intersects=parcel.geom).values_list("pk", flat=True)
        ) | set(
            PlanZone.objects.filter(plan__in=qs, geom__intersects=parcel.geom).values_list(
                "plan_id", flat=True
            )
        )
    return list(qs.filter(pk__in=plan_ids).order_by("kind", "-resolution_date", "pk"))


def compute_extract(
    *,
    municipality: Municipality,
    parcels: list[Parcel],
    on: dt.date | None = None,
    sliver_m2: float | None = None,
) -> ExtractContent:
    """Everything an extract states for ``parcels`` (all of ``municipality``) on date ``on``."""
    on = on or dt.date.today()
    sliver = settings.EXTRACT_SLIVER_M2 if sliver_m2 is None else sliver_m2
    foreign = [p.identifier for p in parcels if p.municipality_id != municipality.pk]
    if foreign:
        raise ParcelProblem([_("%(id)s: not in this gmina") % {"id": i} for i in foreign])
    plans = plans_in_force(municipality=municipality, on=on, parcels=parcels)
    plan_ids = [p.pk for p in plans]
    zones = {z.pk: z for z in PlanZone.objects.filter(plan_id__in=plan_ids)}
    regulations = {r.pk: r for r in Regulation.objects.filter(plan_id__in=plan_ids)}
    sections = []
    for parcel in parcels:
        area = _parcel_area(parcel.pk)
        section = ParcelSection(parcel=parcel, area_m2=area)
        zone_parts = _parts(_ZONE_SQL, parcel.pk, plan_ids)
        reg_parts = _parts(_REGULATION_SQL, parcel.pk, plan_ids)
        for plan in plans:
            plan_section = PlanSection(plan=plan)
            for zone_id, part in zone_parts.items():
                zone = zones[zone_id]
                if zone.plan_id != plan.pk or part <= 0:
                    continue
                share = ZoneShare(zone=zone, area_m2=part, share=part / area)
                (plan_section.zones if part >= sliver else plan_section.slivers).append(share)
            for reg_id, part in reg_parts.items():
                regulation = regulations[reg_id]
                if regulation.plan_id == plan.pk and part >= sliver:
                    plan_section.regulations.append(
                        RegulationShare(regulation=regulation, area_m2=part, share=part / area)
                    )
            if plan_section.zones or plan_section.regulations:
                plan_section.zones.sort(key=lambda s: (-s.area_m2, s.zone.designation))
                section.plans.append(plan_section)
        sections.append(section)
    return ExtractContent(municipality=municipality, on=on, sliver_m2=sliver, parcels=sections)
