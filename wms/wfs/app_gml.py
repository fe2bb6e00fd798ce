"""Plans as APP GML for the download-service duty of a gmina: the WFS's query feeds plans.app_gml.

``granice`` -> AktPlanowaniaPrzestrzennego (+ the resolution as DokumentFormalny), ``wektor-str`` ->
StrefaPlanistyczna, ``wektor-pow`` -> OUZ / OZS / OSD. Filters, bbox and paging are those of the query.
"""

from __future__ import annotations

from django.http import HttpResponse

from layers.models import Layer
from plans.app_gml import collection, plan_members, regulation_member, zone_member
from wms.core.ows_errors import invalid
from wms.core.paging import GetFeature, timestamp
from wms.core.query import Query, bounded_count, fetch_records, geometry_sql, order_sql, where_sql

PLAN_COLUMNS = (
    "p.id AS plan_pk, p.kind AS plan_kind, p.title AS plan_title, p.status AS plan_status, "
    "p.resolution_number, p.resolution_date, p.publication, p.in_force_from, p.in_force_to, "
    "p.namespace AS plan_ns, p.local_id AS plan_local, p.version_id AS plan_version, "
    "p.created_at AS plan_created, p.updated_at AS plan_updated, m.teryt, m.name AS gmina_name"
)
KIND_SQL = {
    Layer.Kind.PLAN_BOUNDARIES: ("", "TRUE"),
    Layer.Kind.PLAN_ZONES: (
        "t.designation, t.symbol, t.zone_kind, t.name, t.profile, t.max_building_intensity, "
        "t.max_building_coverage_pct, t.max_height_m, t.min_biologically_active_pct, t.local_id, ",
        "p.kind = 'POG' AND t.zone_kind <> ''",
    ),
    Layer.Kind.REGULATIONS: (
        "t.kind, t.name, t.designation, t.local_id, t.parameters, ",
        "TRUE",
    ),
}


def app_sql(query: Query, gf: GetFeature, user, *, offset: int, limit: int) -> tuple[str, list]:
    kind = query.ftype.layer.kind
    columns, only = KIND_SQL[kind]
    spec = query.ftype.spec
    plan_alias = "t" if kind == Layer.Kind.PLAN_BOUNDARIES else "p"
    plan_cols = PLAN_COLUMNS.replace("p.", f"{plan_alias}.")
    where, params = where_sql(query, user)
    sql = (
        f"SELECT t.id, {columns}{plan_cols}, {geometry_sql(query, gf.srs, 'gml')} AS geom "  # noqa: S608
        f"FROM {spec.from_sql} JOIN layers_municipality m ON m.id = t.municipality_id "
        f"WHERE {where} AND {only} ORDER BY {order_sql(query)} LIMIT %s OFFSET %s"
    )
    return sql, [*params, limit, offset]


def app_response(gf: GetFeature, *, user, request) -> HttpResponse:
    version = "2.0" if gf.output == "app2" else "3.0"
    for query in gf.queries:
        if query.ftype.layer.kind not in KIND_SQL:
            raise invalid(
                "outputFormat",
                f"APP GML covers plan layers (granice, wektor-str, wektor-pow), not {query.ftype.name}.",
            )
        if query.properties is not None:
            raise invalid("propertyName", "APP GML features are always complete.")
    members: list[str] = []
    skip, room = gf.startindex, gf.count
    for query in gf.queries:
        kind = query.ftype.layer.kind
        sql, params = app_sql(query, gf, user, offset=skip, limit=room)
        rows = fetch_records(sql, params)
        skip = max(0, skip - bounded_count(query, user, limit=skip)) if skip and not rows else 0
        for row in rows:
            if kind == Layer.Kind.PLAN_BOUNDARIES:
                members.extend(plan_members(row, srs_name=gf.srs_name))
            elif kind == Layer.Kind.PLAN_ZONES:
                members.append(zone_member(row, srs_name=gf.srs_name))
            elif (member := regulation_member(row, srs_name=gf.srs_name)) is not None:
                members.append(member)
        room -= len(rows)
    body = collection(members, version=version, timestamp=timestamp())
    return HttpResponse(
        body, content_type=f"application/gml+xml; version=3.2; profile=app-{version}"
    )
