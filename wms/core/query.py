"""Queries on feature types as parameterised SQL, counting, and a server-side cursor to stream rows.

SQL text is assembled only from fragments defined in featuretypes.py and fes.py (hence the S608
waivers); every value from a request is a parameter.

Shared by the WFS (service.py) and OGC API Features (wms/ogcapi). Geometry is encoded by PostGIS
(ST_AsGML / ST_AsGeoJSON / ST_AsText) in the output CRS and axis order.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

from layers.crs import CrsRef
from layers.replicas import current_read_alias, read_connection
from wms.core.featuretypes import GEOMETRY, STORAGE_SRID, FeatureType, Prop
from wms.core.fes import Condition

EXACT_HITS_LIMIT = 100_000  # hits: counted exactly up to this many, estimated (EXPLAIN) above
EXACT_MATCHED_LIMIT = 10_000  # numberMatched of a result page: exact up to this, else "unknown"
FETCH_SIZE = 2000


@dataclass
class Query:
    ftype: FeatureType
    bbox: tuple[float, float, float, float] | None = None  # x,y order
    bbox_srid: int = STORAGE_SRID
    condition: Condition | None = None
    sortby: list[tuple[Prop, bool]] = field(default_factory=list)  # (property, descending)
    properties: list[str] | None = None  # None: all; may include GEOMETRY

    def selected_props(self) -> list[Prop]:
        if self.properties is None:
            return list(self.ftype.spec.props)
        return [p for p in self.ftype.spec.props if p.name in self.properties]

    def wants_geometry(self) -> bool:
        return self.properties is None or GEOMETRY in self.properties


def where_sql(query: Query, user, *, for_estimate: bool = False) -> tuple[str, list]:
    """The WHERE of a query. ``for_estimate`` leaves out ST_Intersects, whose selectivity the
    planner would multiply with that of ``&&`` (the same condition) and so underestimate."""
    parts, params = query.ftype.visibility_sql(user)
    geom = query.ftype.spec.geom_sql
    if query.bbox is not None:
        env = "ST_MakeEnvelope(%s, %s, %s, %s, %s)"
        if query.bbox_srid != STORAGE_SRID:
            env = f"ST_Transform(ST_Segmentize({env}, %s), 2180)"
        values = [*query.bbox, query.bbox_srid]
        if query.bbox_srid != STORAGE_SRID:
            values.append(_segment(query.bbox))
        if for_estimate:
            parts.append(f"{geom} && {env}")
            params.extend(values)
        else:
            parts.append(f"{geom} && {env} AND ST_Intersects({geom}, {env})")
            params.extend(values * 2)
    if query.condition is not None:
        parts.append(query.condition.sql)
        params.extend(query.condition.params)
    return (" AND ".join(f"({p})" for p in parts) or "TRUE"), params


def _segment(bbox: tuple[float, float, float, float]) -> float:
    return max(bbox[2] - bbox[0], bbox[3] - bbox[1]) / 16 or 1.0


def geometry_sql(query: Query, srs: CrsRef, fmt: str) -> str:
    """The SQL of the encoded geometry; ``srs.srid`` is a validated integer from the offered list."""
    geom = query.ftype.spec.geom_sql
    srid = int(srs.srid)
    if srid != STORAGE_SRID:
        geom = f"ST_Transform({geom}, {srid:d})"
    digits = 8 if srs.is_geographic else 3
    if fmt == "gml":
        options = 16 if srs.yx else 0
        return f"ST_AsGML(3, ST_SetSRID({geom}, 0), {digits:d}, {options:d})"
    if fmt == "geojson":
        return f"ST_AsGeoJSON({geom}, {digits:d}, 0)"
    if fmt == "geojson_axis":  # OGC API Features part 2: coordinates in the CRS's own axis order
        geom = f"ST_FlipCoordinates({geom})" if srs.yx else geom
        return f"ST_AsGeoJSON({geom}, {digits:d}, 0)"
    if fmt == "wkt":
        return f"ST_AsText({geom}, {digits:d})"
    if fmt == "raw":
        return geom
    raise ValueError(fmt)


def order_sql(query: Query) -> str:
    keys = [f"{p.sql} {'DESC' if desc else 'ASC'}" for p, desc in query.sortby]
    if not any(p.unique for p, _ in query.sortby):
        keys.append(query.ftype.spec.id_sql)
    return ", ".join(keys)


def encoded_props_sql(query: Query, fmt: str) -> str:
    """All selected properties as one XML (xmlforest: escaped, NULLs left out) or JSON text."""
    props = query.selected_props()
    if not props:
        return "NULL::text"
    if fmt == "gml":
        prefix = query.ftype.prefix  # an NCName made from the gmina's slug (letters, digits, -, _)
        return (
            "xmlforest(" + ", ".join(f'{p.sql} AS "{prefix}:{p.name}"' for p in props) + ")::text"
        )
    return "json_build_object(" + ", ".join(f"'{p.name}', {p.sql}" for p in props) + ")::text"


def csv_field(sql: str) -> str:
    """A CSV field: quoted, quotes doubled, JSON text forms (ISO 8601 dates); NULL -> empty."""
    return f"""coalesce('"' || replace(to_json({sql}) #>> '{{}}', '"', '""') || '"', '')"""


def csv_line_sql(query: Query, srs: CrsRef) -> str:
    """The whole CSV record of a feature (gml_id, properties, WKT), ended by CRLF."""
    fields = [f"'\"{query.ftype.local_name}.' || {query.ftype.spec.id_sql} || '\"'"]
    fields += [csv_field(p.sql) for p in query.selected_props()]
    if query.wants_geometry():
        fields.append(csv_field(geometry_sql(query, srs, "wkt")))
    return f"concat_ws(',', {', '.join(fields)}) || E'\\r\\n'"


def select_sql(
    query: Query, user, *, srs: CrsRef, fmt: str, offset: int, limit: int | None
) -> tuple[str, list]:
    """Rows (id, properties…, geometry) or, for GML and GeoJSON, (id, encoded properties, geometry)."""
    spec = query.ftype.spec
    if fmt in ("gml", "geojson", "geojson_axis"):
        columns = [spec.id_sql, encoded_props_sql(query, fmt)]
    elif fmt == "wkt":
        columns = [spec.id_sql, csv_line_sql(query, srs)]
    else:
        columns = [spec.id_sql] + [p.sql for p in query.selected_props()]
    if query.wants_geometry() and fmt != "wkt":
        columns.append(geometry_sql(query, srs, fmt))
    where, params = where_sql(query, user)
    order = order_sql(query)
    if offset:
        # Page on the ids first: PostgreSQL computes the output columns (the encoded geometry) of
        # the rows an OFFSET skips too, so a deep page would encode every feature before it.
        page = f"SELECT {spec.id_sql} AS fid FROM {spec.from_sql} WHERE {where} ORDER BY {order} "  # noqa: S608
        page += "LIMIT %s OFFSET %s" if limit is not None else "OFFSET %s"
        params.extend([limit, offset] if limit is not None else [offset])
        sql = (
            f"WITH page AS MATERIALIZED (SELECT fid, row_number() OVER () AS n FROM ({page}) ids) "  # noqa: S608
            f"SELECT {', '.join(columns)} FROM {spec.from_sql} JOIN page ON page.fid = {spec.id_sql} "
            "ORDER BY page.n"
        )
        return sql, params
    sql = f"SELECT {', '.join(columns)} FROM {spec.from_sql} WHERE {where} ORDER BY {order}"  # noqa: S608
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    return sql, params


def bounded_count(query: Query, user, *, limit: int) -> int:
    """How many features match, counting at most ``limit + 1`` rows."""
    where, params = where_sql(query, user)
    sql = (
        f"SELECT count(*) FROM (SELECT 1 FROM {query.ftype.spec.from_sql} WHERE {where} LIMIT %s) s"  # noqa: S608
    )
    return scalar(sql, [*params, limit + 1])


def scalar(sql: str, params: list):
    prepare_session()
    with read_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def estimated_count(query: Query, user) -> int:
    where, params = where_sql(query, user, for_estimate=True)
    sql = f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {query.ftype.spec.from_sql} WHERE {where}"  # noqa: S608
    plan = scalar(sql, params)
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def count_hits(query: Query, user) -> tuple[int, bool]:
    """(number, exact): exact up to EXACT_HITS_LIMIT, the planner's estimate above it."""
    counted = bounded_count(query, user, limit=EXACT_HITS_LIMIT)
    if counted <= EXACT_HITS_LIMIT:
        return counted, True
    return max(estimated_count(query, user), counted), False


def prepare_session() -> None:
    """Once per database connection: planner settings for these short read queries.

    JIT compilation costs more than the queries take (300 ms measured on a 100,000-parcel page);
    with the default random_page_cost the planner sorts a whole table instead of walking an index
    for a deep page. Both are session settings of the portal's own connection.
    """
    read_connection.ensure_connection()
    raw = read_connection.connection
    if not getattr(raw, "plan_portal_read_settings", False):
        with read_connection.cursor() as cursor:
            cursor.execute("SET jit = off; SET random_page_cost = 1.1")
        raw.plan_portal_read_settings = True


def fetch_all(sql: str, params: list) -> list[tuple]:
    """A small result in one round trip."""
    prepare_session()
    with read_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch_records(sql: str, params: list) -> list[dict]:
    prepare_session()
    with read_connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@contextmanager
def server_cursor(sql: str, params: list) -> Iterator:
    """A named (server-side) cursor inside a transaction: rows arrive in FETCH_SIZE batches."""
    prepare_session()
    name = f"wfs_{uuid.uuid4().hex[:16]}"
    with (
        transaction.atomic(using=current_read_alias()),
        read_connection.connection.cursor(name=name) as cursor,
    ):
        cursor.itersize = FETCH_SIZE
        cursor.execute(sql, params)
        yield cursor
