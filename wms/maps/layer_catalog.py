"""Which WMS layers exist (per gmina and platform-wide) and where their features come from.

Names: ``/<gmina>/ows`` offers the gmina's catalogue layers by their own names (``wektor-str``,
``dzialki``, …). ``/ows`` offers the platform-wide layers (all gminy) by the same names and every
gmina's layers prefixed with its slug: ``gmina-a:wektor-str``.

Plans drawn: those the user may see (``layers.permissions.visible_plans_filter``), in force today by
default, or of the statuses asked for with the ``DIM_STATUS`` dimension. The SQL handed to Mapnik
holds only integers computed here (gmina and plan ids), never request text.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from layers.models import Layer, Municipality
from layers.permissions import visible_plans_filter
from layers.readers import raster_srid
from plans.models import Plan, PlanDocument
from wms.core.extra_layers import get_extra, offered_at, offered_from, time_epoch
from wms.core.generation import current_generation
from wms.maps.map_errors import WmsError
from wms.maps.styles import palette, zone_class_sql

logger = logging.getLogger(__name__)
PREFIX_SEP = ":"
PLAN_KINDS = {
    Layer.Kind.PLAN_ZONES,
    Layer.Kind.PLAN_BOUNDARIES,
    Layer.Kind.REGULATIONS,
    Layer.Kind.RASTER,
}
# layer kind -> (SQL template, attribute names for GetFeatureInfo); {ids} = integer lists
SQL = {
    Layer.Kind.PARCELS: (
        "(SELECT p.id, p.geom, p.number, p.identifier FROM layers_parcel p "
        "WHERE p.valid_to IS NULL AND p.municipality_id = ANY('{{{gminy}}}'::int[]) "
        "AND p.geom && !bbox!) AS t"
    ),
    Layer.Kind.PRECINCTS: (
        "(SELECT o.id, o.geom, o.name, o.unit, o.number FROM layers_precinct o "
        "WHERE o.municipality_id = ANY('{{{gminy}}}'::int[]) AND o.geom && !bbox!) AS t"
    ),
    Layer.Kind.PLAN_ZONES: (
        "(SELECT z.id, z.geom, z.designation, {cls} AS cls FROM plans_planzone z{cls_joins} "
        "WHERE z.plan_id = ANY('{{{plans}}}'::bigint[]) AND z.geom && !bbox!) AS t"
    ),
    Layer.Kind.PLAN_BOUNDARIES: (
        "(SELECT pl.id, pl.boundary AS geom, pl.title FROM plans_plan pl "
        "WHERE pl.id = ANY('{{{plans}}}'::bigint[]) AND pl.boundary && !bbox!) AS t"
    ),
    Layer.Kind.REGULATIONS: (
        "(SELECT r.id, r.geom, r.kind AS cls, r.designation FROM plans_regulation r "
        "WHERE r.plan_id = ANY('{{{plans}}}'::bigint[]) AND r.geom && !bbox!) AS t"
    ),
    # the offline background, bottom to top; parcels and street names only at large scales
    # (Mapnik replaces !scale_denominator!); a street is named once, at its address point nearest
    # the middle of all its points, so every tile places it at the same spot
    Layer.Kind.BASEMAP: (
        "(SELECT geom, part, label FROM ("
        "SELECT 0 AS ord, 'gmina' AS part, m.boundary AS geom, m.name AS label "
        "FROM layers_municipality m WHERE m.id = ANY('{{{gminy}}}'::int[]) AND m.boundary && !bbox! "
        "UNION ALL SELECT 1, 'obreb', o.geom, o.name FROM layers_precinct o "
        "WHERE o.municipality_id = ANY('{{{gminy}}}'::int[]) AND o.geom && !bbox! "
        "UNION ALL SELECT 2, 'dzialka', p.geom, NULL FROM layers_parcel p "
        "WHERE !scale_denominator! <= {parcel_scale} AND p.valid_to IS NULL "
        "AND p.municipality_id = ANY('{{{gminy}}}'::int[]) AND p.geom && !bbox! "
        "UNION ALL SELECT 3, 'plan', pl.boundary, NULL FROM plans_plan pl "
        "WHERE pl.id = ANY('{{{plans}}}'::bigint[]) AND pl.boundary && !bbox! "
        "UNION ALL SELECT 4, 'ulica', ST_ClosestPoint(s.points, ST_Centroid(s.points)), s.street "
        "FROM (SELECT a.street, ST_Collect(a.point) AS points FROM layers_address a "
        "WHERE !scale_denominator! <= {street_scale} AND a.street <> '' "
        "AND a.municipality_id = ANY('{{{gminy}}}'::int[]) GROUP BY a.street) s "
        "WHERE s.points && !bbox!"
        ") u ORDER BY ord) AS t"
    ),
}


@dataclass(frozen=True)
class CatalogLayer:
    """A layer as one service offers it."""

    name: str
    layer: Layer
    owner: Municipality | None  # the gmina; None for a platform-wide layer over all gminy
    gmina_ids: tuple[int, ...] = field(default=())
    # extra layers only: the last moment passed at which their rows changed with no write
    # (wms/core/extra_layers.py ``time_epoch``); part of the image cache key with ``data_version``
    epoch: dt.datetime | None = None

    @property
    def kind(self) -> str:
        return self.layer.kind

    @property
    def queryable(self) -> bool:
        return bool(self.layer.queryable) and self.kind != Layer.Kind.RASTER

    @property
    def data_version(self) -> int:
        return int(self.layer.data_version)


@dataclass
class Snapshot:
    """The catalogue as of one fingerprint: active gminy by slug and the published layers."""

    fingerprint: tuple
    gminy: dict[str, Municipality]
    layers: list[Layer]
    public_plans: dict[tuple, tuple[int, ...]] = field(default_factory=dict)
    # (extra layer name, gmina id) -> when it is offered from (wms/core/extra_layers.py)
    extra_from: dict[tuple[str, int], dt.datetime] = field(default_factory=dict)


_snapshot: Snapshot | None = None
_checked = threading.local()
RECHECK_SECONDS = 1.0


def snapshot(*, force: bool = False) -> Snapshot:
    """The catalogue, re-read only when a layer, gmina or plan changed (one tiny query).

    The fingerprint is the catalogue generation (wms/core/generation.py), which moves in the same
    transaction as any change of a layer (``Layer.data_version`` is bumped on every import), a gmina
    or a plan, so nothing stale is ever used.
    """
    global _snapshot
    current = _snapshot
    last = getattr(_checked, "at", 0.0)
    if current is not None and not force and time.monotonic() - last < RECHECK_SECONDS:
        return current
    _checked.at = time.monotonic()
    fingerprint = (current_generation(),)
    current = _snapshot
    if current is not None and current.fingerprint == fingerprint:
        return current
    gminy = {m.slug: m for m in Municipality.objects.filter(is_active=True).defer("boundary")}
    by_id = {m.pk: m for m in gminy.values()}
    layers = []
    for row in Layer.objects.filter(is_published=True).order_by("name"):
        if row.municipality_id is None or row.municipality_id in by_id:
            row.municipality = by_id.get(row.municipality_id)
            layers.append(row)
    _snapshot = Snapshot(
        fingerprint=fingerprint, gminy=gminy, layers=layers, extra_from=offered_from()
    )
    return _snapshot


def find_municipality(slug: str | None) -> Municipality | None:
    """An active gmina by slug, or None; also refreshes the snapshot (call once per request)."""
    current = snapshot(force=True)
    return current.gminy.get(slug) if slug else None


def _active_gmina_ids() -> tuple[int, ...]:
    return tuple(sorted(m.pk for m in snapshot().gminy.values()))


def service_layers(*, municipality: Municipality | None) -> list[CatalogLayer]:
    """The layers of ``/<gmina>/ows`` (municipality given) or of the platform-wide ``/ows``."""
    rows = snapshot().layers
    if municipality is not None:
        own = [
            CatalogLayer(name=row.name, layer=row, owner=municipality, gmina_ids=(municipality.pk,))
            for row in rows
            if row.municipality_id == municipality.pk
        ]
        return own + extra_layers(municipality=municipality)
    everyone = _active_gmina_ids()
    out = [
        CatalogLayer(name=row.name, layer=row, owner=None, gmina_ids=everyone)
        for row in rows
        if row.municipality_id is None
    ]
    gminy = sorted(
        (r for r in rows if r.municipality_id), key=lambda r: (r.municipality.slug, r.name)
    )
    for row in gminy:
        out.append(
            CatalogLayer(
                name=f"{row.municipality.slug}{PREFIX_SEP}{row.name}",
                layer=row,
                owner=row.municipality,
                gmina_ids=(row.municipality_id,),
            )
        )
    return out


def extra_layers(*, municipality: Municipality) -> list[CatalogLayer]:
    """The gmina's extra layers (wms/core/extra_layers.py) offered now, as unsaved ``Layer`` rows.

    Their data version is the catalogue generation: the registering app's triggers move it with
    every write to the tables the layer reads, so map cache keys change with the data; their epoch
    moves when time passes a moment their rows change by themselves (a consultation's start).
    """
    current = snapshot()
    now = timezone.now()
    offered = offered_at(gmina_id=municipality.pk, since=current.extra_from, now=now)
    generation = int(current.fingerprint[0])
    epoch = time_epoch(generation=generation, now=now) if offered else None
    return [
        CatalogLayer(
            name=extra.name,
            layer=extra.as_layer(municipality=municipality, data_version=generation),
            owner=municipality,
            gmina_ids=(municipality.pk,),
            epoch=epoch,
        )
        for extra in offered
    ]


def get_layer(*, municipality: Municipality | None, name: str) -> CatalogLayer:
    """One layer of the service by its name; LayerNotDefined otherwise (also another gmina's)."""
    for cat in service_layers(municipality=municipality):
        if cat.name == name:
            return cat
    raise WmsError("LayerNotDefined", f"layer {name!r} is not offered here", locator="LAYERS")


def visible_plans(
    *, user, gmina_ids: tuple[int, ...], statuses: tuple[str, ...], on: dt.date | None = None
):
    """Plans of these gminy the user may see, of the statuses asked for ("legalForce" = in force)."""
    on = on or timezone.localdate()
    by_status = Q()
    if "legalForce" in statuses:
        by_status |= Q(
            Q(in_force_to__isnull=True) | Q(in_force_to__gt=on),
            status=Plan.Status.LEGAL_FORCE,
            in_force_from__lte=on,
        )
    others = [s for s in statuses if s != "legalForce"]
    if others:
        by_status |= Q(status__in=others)
    return Plan.objects.filter(visible_plans_filter(user), by_status, municipality_id__in=gmina_ids)


def visible_plan_ids(
    *, user, gmina_ids: tuple[int, ...], statuses: tuple[str, ...], on: dt.date | None = None
) -> tuple[int, ...]:
    """Ids of ``visible_plans``; for anonymous users kept with the catalogue snapshot."""
    on = on or timezone.localdate()
    compute = lambda: tuple(  # noqa: E731
        sorted(
            visible_plans(user=user, gmina_ids=gmina_ids, statuses=statuses, on=on).values_list(
                "pk", flat=True
            )
        )
    )
    if user is not None and user.is_authenticated:
        return compute()
    cache = snapshot().public_plans
    key = (gmina_ids, statuses, on)
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _ints(values) -> str:
    return ",".join(str(int(v)) for v in values)


@dataclass(frozen=True)
class LayerSource:
    sql: str  # Mapnik table subquery ('' for rasters)
    raster_files: tuple[tuple[str, int], ...] = ()  # (GeoTIFF path, its EPSG code)


def layer_source(
    cat: CatalogLayer, *, user, statuses: tuple[str, ...], on: dt.date | None = None
) -> LayerSource:
    """Where Mapnik reads ``cat`` from, for this user and plan statuses."""
    if cat.kind == Layer.Kind.RASTER:
        plans = visible_plans(user=user, gmina_ids=cat.gmina_ids, statuses=statuses, on=on)
        files = PlanDocument.objects.filter(
            plan__in=plans, kind=PlanDocument.Kind.DRAWING_RASTER
        ).exclude(file="")
        placed = []
        for path in sorted(d.file.path for d in files):
            srid = raster_srid(path)
            if srid is None:  # no file, or no coordinate system: it cannot be placed on a map
                logger.warning("plan drawing %s skipped: missing or without a known CRS", path)
                continue
            placed.append((path, srid))
        return LayerSource(sql="", raster_files=tuple(placed))
    extra = get_extra(cat.kind)
    if extra is not None:
        return LayerSource(sql=extra.mapnik_sql(gmina_id=cat.gmina_ids[0]))
    template = SQL[cat.kind]
    plan_ids = ""
    if cat.kind in PLAN_KINDS or cat.kind == Layer.Kind.BASEMAP:
        plan_ids = _ints(
            visible_plan_ids(user=user, gmina_ids=cat.gmina_ids, statuses=statuses, on=on)
        )
    joins, cls = zone_class_sql()
    base = palette()["basemap"]
    sql = template.format(
        gminy=_ints(cat.gmina_ids),
        plans=plan_ids,
        cls=cls,
        cls_joins=joins,
        parcel_scale=int(base["parcels"]["max_scale"]),
        street_scale=int(base["streets"]["label"]["max_scale"]),
    )
    return LayerSource(sql=sql)
