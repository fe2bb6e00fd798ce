"""What may be built on a parcel: the data of the map's side panel and of the parcel page.

The parcel with its precinct, and every zone of a visible, not repealed plan that covers it, with the
zone's share of the parcel in m² and % computed by PostGIS in EPSG:2180 (the storage SRID). A constant
number of queries whatever the number of zones, plans and documents (no N+1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.db.models.functions import AsGeoJSON, Intersection, Transform
from django.contrib.gis.geos import Point
from django.db.models import FloatField, Func, Prefetch
from django.http import Http404

from layers.identifiers import is_parcel_id, parse_parcel_id
from layers.models import Municipality, Parcel
from layers.permissions import visible_plans_filter
from plans.models import Plan, PlanDocument, PlanZone, Regulation


class PointError(ValueError):
    """Coordinates that are not a longitude/latitude pair."""


class Area(Func):
    function = "ST_Area"
    output_field = FloatField()


@dataclass
class ZoneShare:
    zone: PlanZone
    area_m2: float
    share_pct: float


@dataclass
class RegulationShare:
    regulation: Regulation
    area_m2: float
    share_pct: float


@dataclass
class PlanShares:
    plan: Plan
    zones: list[ZoneShare] = field(default_factory=list)
    regulations: list[RegulationShare] = field(default_factory=list)  # POG overlays

    @property
    def documents(self) -> list[PlanDocument]:
        return list(self.plan.documents.all())

    @property
    def covered_pct(self) -> float:
        return round(sum(z.share_pct for z in self.zones), 1)


@dataclass
class ParcelPanel:
    municipality: Municipality
    parcel: Parcel
    area_m2: float  # computed by PostGIS in EPSG:2180
    geojson: str  # the outline in EPSG:4326, for the map's highlight
    plans: list[PlanShares]

    @property
    def zones(self) -> list[ZoneShare]:
        return [zone for plan in self.plans for zone in plan.zones]


def _parcels(municipality: Municipality):
    return (
        Parcel.objects.current()
        .for_municipality(municipality)
        .select_related("precinct")
        .annotate(area_db=Area("geom"), outline=AsGeoJSON(Transform("geom", 4326), precision=7))
    )


def parse_point(lon: str, lat: str) -> Point:
    """A WGS84 point from query parameters, as a point in EPSG:2180."""
    try:
        x, y = float(lon), float(lat)
    except (TypeError, ValueError) as exc:
        raise PointError("lon and lat must be numbers (degrees, EPSG:4326)") from exc
    if not (-180 <= x <= 180 and -90 <= y <= 90):
        raise PointError("lon must be within -180…180 and lat within -90…90")
    return Point(x, y, srid=4326).transform(settings.STORAGE_SRID, clone=True)


def find_parcel(
    *, municipality: Municipality, identifier: str | None = None, point: Point | None = None
) -> Parcel:
    """The gmina's current parcel with this identifier, or under this point; else Http404."""
    qs = _parcels(municipality)
    if identifier is not None:
        if not is_parcel_id(identifier):
            raise Http404("not a parcel identifier")
        qs = qs.filter(identifier=str(parse_parcel_id(identifier)))
    elif point is not None:
        qs = qs.filter(geom__intersects=point).order_by("area_m2")
    else:
        raise Http404("no parcel asked for")
    parcel = qs.first()
    if parcel is None:
        raise Http404("no current parcel here")
    return parcel


def _covering(model, *, municipality: Municipality, parcel: Parcel, user) -> list:
    """Zones or regulations of visible, not repealed plans overlapping the parcel (slivers out)."""
    documents = PlanDocument.objects.for_municipality(municipality).order_by("kind", "title")
    return list(
        model.objects.for_municipality(municipality)
        .filter(visible_plans_filter(user, prefix="plan__"), geom__intersects=parcel.geom)
        .exclude(plan__status=Plan.Status.OBSOLETE)
        .annotate(overlap_m2=Area(Intersection("geom", parcel.geom)))
        .filter(overlap_m2__gte=settings.EXTRACT_SLIVER_M2)
        .select_related("plan")
        .prefetch_related(Prefetch("plan__documents", queryset=documents))
        .order_by("plan__resolution_date", "plan_id", "-overlap_m2", "designation")
    )


def parcel_panel(*, municipality: Municipality, parcel: Parcel, user) -> ParcelPanel:
    """The panel of a parcel found by :func:`find_parcel` (which annotates its area and outline)."""
    area = parcel.area_db or parcel.area_m2
    plans: dict[int, PlanShares] = {}

    def share_of(item) -> tuple[float, float]:
        return round(item.overlap_m2, 1), round(100.0 * item.overlap_m2 / area if area else 0.0, 1)

    for zone in _covering(PlanZone, municipality=municipality, parcel=parcel, user=user):
        entry = plans.setdefault(zone.plan_id, PlanShares(plan=zone.plan))
        entry.zones.append(ZoneShare(zone, *share_of(zone)))
    for regulation in _covering(Regulation, municipality=municipality, parcel=parcel, user=user):
        entry = plans.setdefault(regulation.plan_id, PlanShares(plan=regulation.plan))
        entry.regulations.append(RegulationShare(regulation, *share_of(regulation)))
    return ParcelPanel(
        municipality=municipality,
        parcel=parcel,
        area_m2=round(area, 1),
        geojson=parcel.outline,
        plans=list(plans.values()),
    )


def zones_at(*, municipality: Municipality, point: Point, user) -> list[PlanZone]:
    """Zones of visible, not repealed plans at a point where no parcel lies (roads, water)."""
    return list(
        PlanZone.objects.for_municipality(municipality)
        .filter(visible_plans_filter(user, prefix="plan__"), geom__intersects=point)
        .exclude(plan__status=Plan.Status.OBSOLETE)
        .select_related("plan")
        .order_by("plan__resolution_date", "plan_id", "designation")[:20]
    )
