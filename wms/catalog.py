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
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from layers.models import Layer, Municipality
from layers.permissions import visible_plans_filter
from plans.models import Plan, PlanDocument
from wms.exceptions import WmsError
from wms.styles import zone_class_sql

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
        "(SELECT z.id, z.geom, z.designation, {cls} AS cls FROM plans_planzone z "
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
}


@dataclass(frozen=True)
class CatalogLayer:
    """A layer as one service offers it."""

    name: str
    layer: Layer
    owner: Municipality | None  # the gmina; None for a platform-wide layer over all gminy
    gmina_ids: tuple[int, ...] = field(default=())

    @property
    def kind(self) -> str:
        return self.layer.kind

    @property
    def queryable(self) -> bool:
        return bool(self.layer.queryable) and self.kind != Layer.Kind.RASTER

    @property
    def data_version(self) -> int:
        return int(self.layer.data_version)


def _active_gmina_ids() -> tuple[int, ...]:
    return tuple(Municipality.objects.filter(is_active=True).values_list("pk", flat=True))


def service_layers(*, municipality: Municipality | None) -> list[CatalogLayer]:
    """The layers of ``/<gmina>/ows`` (municipality given) or of the platform-wide ``/ows``."""
    rows = Layer.objects.filter(is_published=True).select_related("municipality")
    if municipality is not None:
        return [
            CatalogLayer(name=row.name, layer=row, owner=municipality, gmina_ids=(municipality.pk,))
            for row in rows.filter(municipality=municipality).order_by("name")
        ]
    everyone = _active_gmina_ids()
    out = [
        CatalogLayer(name=row.name, layer=row, owner=None, gmina_ids=everyone)
        for row in rows.filter(municipality__isnull=True).order_by("name")
    ]
    for row in rows.filter(municipality__is_active=True).order_by("municipality__slug", "name"):
        out.append(
            CatalogLayer(
                name=f"{row.municipality.slug}{PREFIX_SEP}{row.name}",
                layer=row,
                owner=row.municipality,
                gmina_ids=(row.municipality_id,),
            )
        )
    return out


def get_layer(*, municipality: Municipality | None, name: str) -> CatalogLayer:
    """One layer of the service by its name; LayerNotDefined otherwise (also another gmina's)."""
    rows = Layer.objects.filter(is_published=True).select_related("municipality")
    if municipality is not None:
        row = rows.filter(municipality=municipality, name=name).first()
        if row:
            return CatalogLayer(
                name=name, layer=row, owner=municipality, gmina_ids=(municipality.pk,)
            )
    elif PREFIX_SEP in name:
        slug, _sep, short = name.partition(PREFIX_SEP)
        row = rows.filter(municipality__slug=slug, municipality__is_active=True, name=short).first()
        if row:
            return CatalogLayer(
                name=name, layer=row, owner=row.municipality, gmina_ids=(row.municipality_id,)
            )
    else:
        row = rows.filter(municipality__isnull=True, name=name).first()
        if row:
            return CatalogLayer(name=name, layer=row, owner=None, gmina_ids=_active_gmina_ids())
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


def _ints(values) -> str:
    return ",".join(str(int(v)) for v in values)


@dataclass(frozen=True)
class LayerSource:
    sql: str  # Mapnik table subquery ('' for rasters)
    raster_files: tuple[str, ...] = ()


def layer_source(
    cat: CatalogLayer, *, user, statuses: tuple[str, ...], on: dt.date | None = None
) -> LayerSource:
    """Where Mapnik reads ``cat`` from, for this user and plan statuses."""
    if cat.kind == Layer.Kind.RASTER:
        plans = visible_plans(user=user, gmina_ids=cat.gmina_ids, statuses=statuses, on=on)
        files = PlanDocument.objects.filter(
            plan__in=plans, kind=PlanDocument.Kind.DRAWING_RASTER
        ).exclude(file="")
        return LayerSource(sql="", raster_files=tuple(sorted(d.file.path for d in files)))
    template = SQL[cat.kind]
    plan_ids = ""
    if cat.kind in PLAN_KINDS:
        plans = visible_plans(user=user, gmina_ids=cat.gmina_ids, statuses=statuses, on=on)
        plan_ids = _ints(sorted(plans.values_list("pk", flat=True)))
    sql = template.format(gminy=_ints(cat.gmina_ids), plans=plan_ids, cls=zone_class_sql())
    return LayerSource(sql=sql)
