"""The feature types of the WFS and OGC API Features: what each exposes, in SQL, per gmina.

A feature type is a published, queryable catalogue ``Layer`` (layers.models) of a vector kind. Per gmina
it is named ``<slug>:<layer name>`` (``gmina-a:dzialki``) in the gmina's namespace; platform-wide
layers are ``portal:<layer name>`` and cover every gmina. Unprefixed names resolve to the endpoint's
own namespace (the gmina's at ``/<gmina>/ows``, the platform's at ``/ows``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q

from layers.models import Layer, Municipality
from layers.permissions import visible_plans_filter
from layers.replicas import read_connection
from plans.models import Plan
from wms.core.ows_errors import OwsError

NS_BASE = "http://plan-portal.pl/wfs/"
PLATFORM_PREFIX = "portal"
GEOMETRY = "geometria"
STORAGE_SRID = 2180
POLAND_WGS84 = (14.07, 49.0, 24.15, 54.84)  # extent of a type without a boundary


@dataclass(frozen=True)
class Prop:
    name: str
    sql: str
    xsd: str = "string"  # string, integer, double, date, dateTime, boolean
    unique: bool = False
    title: str = ""


@dataclass(frozen=True)
class KindSpec:
    """How one layer kind reads from the database (alias ``t`` is the main table)."""

    kind: str
    from_sql: str
    props: tuple[Prop, ...]
    geom_sql: str = "t.geom"
    id_sql: str = "t.id"
    municipality_sql: str = "t.municipality_id"
    plan_sql: str | None = None  # the plan id column when visibility depends on the plan
    where: tuple[str, ...] = ()
    app_element: str | None = None  # APP GML element of the kind, if any
    prefetch: int = 1000  # rows read before streaming; geometries of some kinds are large
    geometry_xsd: str = "gml:MultiSurfacePropertyType"  # GeometryPropertyType: points or areas

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)


PLAN_PROPS = (
    Prop("plan_id", "p.id", "integer"),
    Prop("plan_tytul", "p.title"),
    Prop("rodzaj_planu", "p.kind"),
    Prop("status_planu", "p.status"),
)

KINDS: dict[str, KindSpec] = {
    Layer.Kind.PARCELS: KindSpec(
        kind=Layer.Kind.PARCELS,
        from_sql="layers_parcel t",
        where=("t.valid_to IS NULL",),
        prefetch=5000,
        props=(
            Prop(
                "id_dzialki",
                "t.identifier",
                unique=True,
                title="identyfikator działki",
            ),
            Prop("numer", "t.number", title="numer działki"),
            Prop("obreb", "left(t.identifier, 13)", title="identyfikator obrębu"),
            Prop("pow_ewid_ha", "t.registered_area_ha::float8", "double"),
            Prop("pow_m2", "t.area_m2", "double"),
            Prop("wazna_od", "t.valid_from", "dateTime"),
        ),
    ),
    Layer.Kind.PRECINCTS: KindSpec(
        kind=Layer.Kind.PRECINCTS,
        from_sql="layers_precinct t",
        where=("t.geom IS NOT NULL",),
        prefetch=100,
        props=(
            Prop("id_obrebu", "(t.unit || '.' || t.number)", unique=True),
            Prop("numer", "t.number"),
            Prop("nazwa", "t.name"),
            Prop("jedn_ewid", "t.unit"),
        ),
    ),
    Layer.Kind.PLAN_BOUNDARIES: KindSpec(
        kind=Layer.Kind.PLAN_BOUNDARIES,
        from_sql="plans_plan t",
        geom_sql="t.boundary",
        plan_sql="t.id",
        where=("t.boundary IS NOT NULL",),
        app_element="AktPlanowaniaPrzestrzennego",
        props=(
            Prop("tytul", "t.title"),
            Prop("rodzaj", "t.kind"),
            Prop("status", "t.status"),
            Prop("nr_uchwaly", "t.resolution_number"),
            Prop("data_uchwaly", "t.resolution_date", "date"),
            Prop("publikacja", "t.publication"),
            Prop("obowiazuje_od", "t.in_force_from", "date"),
            Prop("obowiazuje_do", "t.in_force_to", "date"),
            Prop("przestrzen_nazw", "t.namespace"),
            Prop("lokalny_id", "t.local_id"),
            Prop("wersja_id", "t.version_id"),
            Prop("skala", "t.drawing_scale", "integer"),
        ),
    ),
    Layer.Kind.PLAN_ZONES: KindSpec(
        kind=Layer.Kind.PLAN_ZONES,
        from_sql="plans_planzone t JOIN plans_plan p ON p.id = t.plan_id",
        plan_sql="t.plan_id",
        app_element="StrefaPlanistyczna",
        props=(
            Prop("oznaczenie", "t.designation"),
            Prop("symbol", "t.symbol"),
            Prop("numer", "t.number", "integer"),
            Prop("nazwa", "t.name"),
            Prop("rodzaj_strefy", "t.zone_kind"),
            Prop("profil", "array_to_string(t.profile, ' ')"),
            Prop("maks_intensywnosc", "t.max_building_intensity", "double"),
            Prop("maks_pow_zabudowy", "t.max_building_coverage_pct", "double"),
            Prop("maks_wysokosc", "t.max_height_m", "double"),
            Prop("min_pow_biol_czynna", "t.min_biologically_active_pct", "double"),
            Prop("pow_m2", "t.area_m2", "double"),
            Prop("lokalny_id", "t.local_id"),
            Prop("ustalenia", "t.provisions"),
            *PLAN_PROPS,
        ),
    ),
    Layer.Kind.REGULATIONS: KindSpec(
        kind=Layer.Kind.REGULATIONS,
        from_sql="plans_regulation t JOIN plans_plan p ON p.id = t.plan_id",
        plan_sql="t.plan_id",
        app_element="Regulacja",
        props=(
            Prop("rodzaj", "t.kind"),
            Prop("nazwa", "t.name"),
            Prop("oznaczenie", "t.designation"),
            Prop("lokalny_id", "t.local_id"),
            Prop("parametry", "t.parameters::text"),
            *PLAN_PROPS,
        ),
    ),
}

NCNAME_START = re.compile(r"^[A-Za-z_]")


def prefix_of(municipality: Municipality | None) -> str:
    if municipality is None:
        return PLATFORM_PREFIX
    slug = municipality.slug
    return slug if NCNAME_START.match(slug) else f"g{slug}"


def namespace_of(municipality: Municipality | None) -> str:
    return NS_BASE + (municipality.slug if municipality else PLATFORM_PREFIX)


@dataclass(frozen=True)
class FeatureType:
    layer: Layer
    spec: KindSpec
    municipality: Municipality | None
    prefix: str
    namespace: str
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def local_name(self) -> str:
        return self.layer.name

    @property
    def name(self) -> str:
        return f"{self.prefix}:{self.local_name}"

    @property
    def title(self) -> str:
        return self.layer.title

    def prop(self, name: str) -> Prop | None:
        return self.spec.prop(name)

    def visibility_sql(self, user) -> tuple[list[str], list]:
        """WHERE parts (and parameters) that keep this type within its gmina and the user's rights."""
        parts, params = list(self.spec.where), []
        if self.municipality is not None:
            parts.append(f"{self.spec.municipality_sql} = %s")
            params.append(self.municipality.pk)
        else:  # platform-wide: the active gminy only
            active = "(SELECT id FROM layers_municipality WHERE is_active)"
            parts.append(f"{self.spec.municipality_sql} IN {active}")
        if self.spec.plan_sql:
            visible = Plan.objects.filter(visible_plans_filter(user)).order_by().values("pk")
            sql, plan_params = visible.query.sql_with_params()
            parts.append(f"{self.spec.plan_sql} IN ({sql})")
            params.extend(plan_params)
        return parts, params


def _layers(endpoint: Municipality | None):
    qs = (
        Layer.objects.filter(is_published=True, queryable=True, kind__in=list(KINDS))
        .select_related("municipality")
        .defer("municipality__boundary")
    )
    if endpoint is not None:
        return qs.filter(municipality=endpoint)
    return qs.filter(Q(municipality__isnull=True) | Q(municipality__is_active=True))


def feature_types(endpoint: Municipality | None) -> list[FeatureType]:
    """The feature types offered at an endpoint (a gmina's, or the platform's when None)."""
    return _types(_layers(endpoint))


def platform_types_with_prefix(prefix: str) -> list[FeatureType]:
    """The platform's feature types under one prefix (a gmina's, or the platform's own), read
    without every gmina's layers: a collection named ``tykocin:dzialki`` is found among one gmina's
    few layers, not among a country's thousands (issue 17: the OGC API items of a union of 36 gminy
    were 1.4 times slower than of one gmina, from loading the whole catalogue per request)."""
    layers = _layers(None)
    if prefix == PLATFORM_PREFIX:
        layers = layers.filter(municipality__isnull=True)
    else:  # prefix_of: the slug, or "g" + the slug when the slug cannot start an XML name
        layers = layers.filter(municipality__slug__in={prefix, prefix[1:]})
    return [t for t in _types(layers) if t.prefix == prefix]


def _types(layers) -> list[FeatureType]:
    types = [
        FeatureType(
            layer=layer,
            spec=KINDS[layer.kind],
            municipality=layer.municipality,
            prefix=prefix_of(layer.municipality),
            namespace=namespace_of(layer.municipality),
        )
        for layer in layers
    ]
    types.sort(key=lambda t: (t.municipality is not None, t.prefix, t.local_name))
    return types


def resolve(
    name: str,
    types: list[FeatureType],
    endpoint: Municipality | None,
    namespaces: dict[str, str] | None = None,
) -> FeatureType:
    """A requested type name (prefixed or not) -> its feature type, or InvalidParameterValue.

    ``namespaces`` (prefix -> URI, from NAMESPACES or the XML request) lets a client use its own
    prefixes; otherwise a prefix is the one the capabilities declare.
    """
    text = name.strip()
    if ":" in text:
        prefix, local_name = text.split(":", 1)
        uri = (namespaces or {}).get(prefix)
        found = [
            t
            for t in types
            if t.local_name == local_name and (t.namespace == uri if uri else t.prefix == prefix)
        ]
    else:
        home = prefix_of(endpoint)
        found = [t for t in types if t.local_name == text and t.prefix == home]
    if not found:
        raise OwsError(
            "InvalidParameterValue", f"Unknown feature type {name!r}.", locator="typeNames"
        )
    return found[0]


def wgs84_extents(types: list[FeatureType]) -> dict[int | None, tuple[float, float, float, float]]:
    """Extent in lon/lat of each gmina's boundary (key: its pk) and of all gminy (key: None)."""
    ids = {t.municipality.pk for t in types if t.municipality}
    sql = (
        "SELECT id, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT id, "
        "ST_Transform(ST_Envelope(boundary), 4326) AS e FROM layers_municipality "
        "WHERE boundary IS NOT NULL AND is_active) s"
    )
    extents: dict[int | None, tuple[float, float, float, float]] = {}
    with read_connection.cursor() as cursor:
        cursor.execute(sql)
        for pk, *box in cursor.fetchall():
            extents[pk] = tuple(box)  # type: ignore[assignment]
    if extents:
        boxes = list(extents.values())
        extents[None] = (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
    return {k: v for k, v in extents.items() if k is None or k in ids}
