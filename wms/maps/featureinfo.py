"""GetFeatureInfo: what lies under a pixel, with APP field names, as HTML, text, JSON or GML.

The pixel (I/J in 1.3.0, X/Y in 1.1.1) becomes a point in the request CRS, then EPSG:2180 through
GeoDjango (the pinned system PROJ, layers/apps.py); features within a few pixels are returned,
nearest first. Plan zones: przestrzenNazw, lokalnyId, oznaczenie, symbol, nazwa, the plan's title,
resolution number and date, obowiazujeOd and links to the plan page (provisions) and documents.
Parcels: identifier, number, precinct, areas.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import psycopg
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import Point
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_urlconf, reverse

from layers.converters import ParcelIdConverter
from layers.models import Layer, Municipality, Precinct
from layers.replicas import read_connection
from plans.models import Plan, PlanDocument, PlanZone, Regulation
from wms.core.extra_layers import ExtraLayer, get_extra
from wms.maps.getmap import resolve_layers
from wms.maps.layer_catalog import CatalogLayer, snapshot, visible_plans
from wms.maps.map_errors import WmsError
from wms.maps.map_request import (
    Params,
    check_layer_count,
    offered_format,
    parse_map_request,
    whole_number_in,
)

INFO_FORMATS = {
    "text/html": "html",
    "text/plain": "text",
    "application/json": "json",
    "application/geo+json": "json",
    "application/vnd.ogc.gml": "gml",
}
TOLERANCE_PX = 3
MAX_FEATURES = 50
logger = logging.getLogger(__name__)


@dataclass
class InfoFeature:
    layer: str
    fid: str
    title: str
    properties: dict[str, object]
    links: list[tuple[str, str]] = field(default_factory=list)


def _url(request: HttpRequest, name: str, **kwargs) -> str:
    try:
        return request.build_absolute_uri(reverse(name, kwargs=kwargs))
    except NoReverseMatch:
        return ""


_SAMPLE_ID = "000000_0.0000.1"
_PARCEL_ID = re.compile(ParcelIdConverter.regex)
_parcel_paths: dict[tuple, tuple[str, str]] = {}


def _parcel_url(request: HttpRequest, *, slug: str, identifier: str) -> str:
    """``_url(request, "parcel", …)`` from a path reversed once per gmina (GetFeatureInfo's hot path)."""
    key = (get_urlconf(), slug)
    if key not in _parcel_paths:
        try:
            path = reverse("parcel", kwargs={"gmina": slug, "identifier": _SAMPLE_ID})
        except NoReverseMatch:
            return ""
        _parcel_paths[key] = tuple(path.split(_SAMPLE_ID, 1))
    if not _PARCEL_ID.fullmatch(identifier):
        return _url(request, "parcel", gmina=slug, identifier=identifier)
    head, tail = _parcel_paths[key]
    return request.build_absolute_uri(f"{head}{identifier}{tail}")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _zone_features(cat, rows, request) -> list[InfoFeature]:
    plan_ids = {z.plan_id for z in rows}
    docs: dict[int, list[PlanDocument]] = {}
    for doc in PlanDocument.objects.filter(plan_id__in=plan_ids).order_by("kind", "title"):
        docs.setdefault(doc.plan_id, []).append(doc)
    out = []
    for zone in rows:
        plan: Plan = zone.plan
        plan_url = _url(request, "plan-detail", gmina=zone.municipality.slug, pk=plan.pk)
        links = [("Plan i ustalenia (§)", f"{plan_url}#teren-{zone.pk}" if plan_url else "")]
        for doc in docs.get(plan.pk, []):
            href = (
                _url(
                    request, "plan-document", gmina=zone.municipality.slug, plan=plan.pk, pk=doc.pk
                )
                if doc.file
                else doc.url
            )
            if href:
                links.append((doc.title, href))
        props = {
            "przestrzenNazw": plan.namespace or None,
            "lokalnyId": zone.local_id or None,
            "wersjaId": plan.version_id or None,
            "oznaczenie": zone.designation,
            "symbol": zone.symbol or None,
            "nazwa": zone.name or None,
            "rodzajStrefy": zone.zone_kind or None,
            "tytul": plan.title,
            "typPlanu": plan.kind,
            "numerUchwaly": plan.resolution_number or None,
            "dataUchwaly": _iso(plan.resolution_date),
            "publikacja": plan.publication or None,
            "status": plan.status,
            "obowiazujeOd": _iso(plan.in_force_from),
            "obowiazujeDo": _iso(plan.in_force_to),
            "gmina": zone.municipality.name,
            "ustalenia": plan_url and f"{plan_url}#teren-{zone.pk}",
        }
        out.append(InfoFeature(cat.name, f"strefa.{zone.pk}", zone.designation, props, links))
    return out


PARCEL_SQL = """
SELECT p.id, p.identifier, p.number, p.registered_area_ha, p.area_m2,
       (SELECT o.unit || '.' || o.number FROM layers_precinct o WHERE o.id = p.precinct_id),
       (SELECT o.name FROM layers_precinct o WHERE o.id = p.precinct_id),
       p.municipality_id
FROM layers_parcel p
WHERE p.valid_to IS NULL AND p.municipality_id = ANY(%(gminy)s)
  AND ST_DWithin(p.geom, ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), 2180), %(tol)s)
ORDER BY ST_Distance(p.geom, ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), 2180)), p.area_m2
LIMIT %(count)s
"""


def _prepared_rows(sql: str, args: dict) -> list[tuple]:
    """Rows of a hot query as a server-side prepared statement on Django's connection.

    Django's cursors bind parameters on the client, so PostgreSQL would plan the query each time
    (planning the parcel lookup costs ten times its execution); this cursor binds on the server and
    psycopg prepares the statement once per connection.
    """
    read_connection.ensure_connection()
    with read_connection.wrap_database_errors, psycopg.Cursor(read_connection.connection) as cursor:
        cursor.execute(sql, args, prepare=True)
        return cursor.fetchall()


def _parcel_features(
    cat, *, xy: tuple[float, float], tol: float, count: int, request
) -> list[InfoFeature]:
    """Parcels near the point: one prepared query (the hot path of GetFeatureInfo)."""
    args = {"gminy": list(cat.gmina_ids), "x": xy[0], "y": xy[1], "tol": tol, "count": count}
    rows = _prepared_rows(PARCEL_SQL, args)
    gminy = {m.pk: m for m in snapshot().gminy.values()}  # the parcels' gminy are active ones
    out = []
    for pk, identifier, number, area_ha, area_m2, precinct, precinct_name, gmina_id in rows:
        gmina = gminy[gmina_id]
        url = _parcel_url(request, slug=gmina.slug, identifier=identifier)
        props = {
            "idDzialki": identifier,
            "numerDzialki": number,
            "obreb": precinct,
            "nazwaObrebu": precinct_name or None,
            "powierzchniaEwidencyjnaHa": float(area_ha) if area_ha is not None else None,
            "powierzchniaM2": round(area_m2, 1),
            "gmina": gmina.name,
        }
        links = [("Działka w portalu", url)] if url else []
        out.append(InfoFeature(cat.name, f"dzialka.{pk}", identifier, props, links))
    return out


def _extra_features(
    cat: CatalogLayer, extra: ExtraLayer, *, xy: tuple[float, float], tol: float, count: int
) -> list[InfoFeature]:
    """Features of a registered layer near the point: its own attributes, nothing more."""
    args = {"gmina": cat.gmina_ids[0], "x": xy[0], "y": xy[1], "tol": tol, "count": count}
    with read_connection.cursor() as cursor:
        cursor.execute(extra.near_sql(), args)
        rows = cursor.fetchall()
    out = []
    for pk, *values in rows:
        props = {
            p.name: v.isoformat() if hasattr(v, "isoformat") else v
            for p, v in zip(extra.spec.props, values, strict=True)
        }
        title = str(props.get(extra.title_prop) or pk)
        out.append(InfoFeature(cat.name, f"{cat.name}.{pk}", title, props))
    return out


def _query(
    cat: CatalogLayer, *, xy: tuple[float, float], tol: float, count: int, user, statuses, request
):
    """Features of one layer within ``tol`` metres of the point ``xy`` (EPSG:2180), nearest first."""
    extra = get_extra(cat.kind)
    if extra is not None:
        return _extra_features(cat, extra, xy=xy, tol=tol, count=count)
    if cat.kind == Layer.Kind.PARCELS:
        return _parcel_features(cat, xy=xy, tol=tol, count=count, request=request)
    pt = Point(*xy, srid=2180)
    near = {"geom__dwithin": (pt, tol)}
    kind = cat.kind
    if kind == Layer.Kind.PRECINCTS:
        rows = Precinct.objects.filter(municipality_id__in=cat.gmina_ids, **near)[:count]
        return [
            InfoFeature(
                cat.name, f"obreb.{p.pk}", p.identifier, {"idObrebu": p.identifier, "nazwa": p.name}
            )
            for p in rows
        ]
    plans = visible_plans(user=user, gmina_ids=cat.gmina_ids, statuses=statuses)
    if kind == Layer.Kind.PLAN_ZONES:
        rows = (
            PlanZone.objects.filter(plan__in=plans, **near)
            .select_related("plan", "municipality")
            .annotate(d=Distance("geom", pt))
            .order_by("d", "area_m2")[:count]
        )
        return _zone_features(cat, rows, request)
    if kind == Layer.Kind.PLAN_BOUNDARIES:
        rows = plans.filter(boundary__dwithin=(pt, tol))[:count]
        return [
            InfoFeature(
                cat.name,
                f"plan.{p.pk}",
                p.title,
                {
                    "przestrzenNazw": p.namespace or None,
                    "lokalnyId": p.local_id or None,
                    "tytul": p.title,
                    "numerUchwaly": p.resolution_number or None,
                    "dataUchwaly": _iso(p.resolution_date),
                    "status": p.status,
                    "obowiazujeOd": _iso(p.in_force_from),
                },
            )
            for p in rows
        ]
    if kind == Layer.Kind.REGULATIONS:
        rows = Regulation.objects.filter(plan__in=plans, **near)[:count]
        return [
            InfoFeature(
                cat.name,
                f"regulacja.{r.pk}",
                r.designation or r.kind,
                {"rodzaj": r.kind, "oznaczenie": r.designation or None, "nazwa": r.name or None},
            )
            for r in rows
        ]
    return []


def _pixel(params: Params, version: str, width: int, height: int) -> tuple[int, int]:
    names = ("I", "J") if version == "1.3.0" else ("X", "Y")
    i, j = (
        whole_number_in(
            params,
            name,
            low=0,
            high=limit - 1,
            code="InvalidPoint",
            meaning="is not a pixel index",
            outside=f"is outside the image (0..{limit - 1})",
        )
        for name, limit in zip(names, (width, height), strict=True)
    )
    return i, j


def _storage_point(
    x: float, y: float, *, tolerance: float, srid: int, locator: str
) -> tuple[tuple, float]:
    """The pixel's point and the search radius in EPSG:2180; InvalidPoint where PROJ cannot go."""
    if srid == 2180:
        return (x, y), max(tolerance, 0.01)
    try:
        pt = Point(x, y, srid=srid).transform(2180, clone=True)
        edge = Point(x + tolerance, y, srid=srid).transform(2180, clone=True)
    except GDALException as exc:
        logger.info("GetFeatureInfo point %s,%s in EPSG:%s not transformed: %s", x, y, srid, exc)
        raise WmsError(
            "InvalidPoint",
            f"the queried pixel lies where EPSG:{srid} cannot be converted to the data's "
            "coordinates (outside the CRS's area of use)",
            locator=locator,
        ) from exc
    return (pt.x, pt.y), max(pt.distance(edge), 0.01)


def feature_info(
    *, request: HttpRequest, params: Params, municipality: Municipality | None, version: str
) -> tuple[str, list[InfoFeature]]:
    """(format key, features) for a GetFeatureInfo request."""
    map_request = parse_map_request(params, version, query=True)
    query_names = [n.strip() for n in params.require("QUERY_LAYERS").split(",") if n.strip()]
    check_layer_count(query_names, "QUERY_LAYERS")
    for name in query_names:
        if name not in map_request.layers:
            raise WmsError(
                "LayerNotDefined",
                f"QUERY_LAYERS names {name}, which is not in LAYERS",
                locator="QUERY_LAYERS",
            )
    info_format = offered_format(params, "INFO_FORMAT", INFO_FORMATS)
    raw_count = (params.get("FEATURE_COUNT", "1") or "1").strip()
    digits = raw_count.lstrip("0")
    if not (raw_count.isascii() and raw_count.isdigit() and digits):
        raise WmsError(
            "InvalidParameterValue",
            f"FEATURE_COUNT={raw_count[:20]}: a positive whole number expected",
            locator="FEATURE_COUNT",
        )
    count = MAX_FEATURES if len(digits) > 6 else min(int(digits), MAX_FEATURES)
    i, j = _pixel(params, version, map_request.width, map_request.height)
    layers = resolve_layers(
        municipality=municipality, names=tuple(query_names), styles=("",) * len(query_names)
    )
    for cat, _style in layers:
        if not cat.queryable:
            raise WmsError(
                "LayerNotQueryable", f"layer {cat.name} cannot be queried", locator="QUERY_LAYERS"
            )
    minx, miny, maxx, maxy = map_request.bbox
    res_x = (maxx - minx) / map_request.width
    res_y = (maxy - miny) / map_request.height
    x, y = minx + (i + 0.5) * res_x, maxy - (j + 0.5) * res_y
    xy, tol = _storage_point(
        x,
        y,
        tolerance=TOLERANCE_PX * res_x,
        srid=map_request.crs.srid,
        locator="I" if version == "1.3.0" else "X",
    )
    features: list[InfoFeature] = []
    for cat, _style in layers:
        features += _query(
            cat,
            xy=xy,
            tol=tol,
            count=count,
            user=request.user,
            statuses=map_request.status,
            request=request,
        )
    return INFO_FORMATS[info_format], features


def _json(features: list[InfoFeature]) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": f.fid,
                    "geometry": None,
                    "properties": {
                        "warstwa": f.layer,
                        **f.properties,
                        "linki": [{"tytul": t, "href": h} for t, h in f.links],
                    },
                }
                for f in features
            ],
        },
        ensure_ascii=False,
    )


def _text(features: list[InfoFeature]) -> str:
    if not features:
        return "Brak obiektów w tym miejscu.\n"
    lines = []
    for f in features:
        lines.append(f"Warstwa '{f.layer}', obiekt {f.fid}:")
        lines += [f"  {k} = {'' if v is None else v}" for k, v in f.properties.items()]
        lines += [f"  link: {t} <{h}>" for t, h in f.links]
    return "\n".join(lines) + "\n"


def _xml_name(name: str) -> str:
    return name.replace(":", ".")


def _gml(features: list[InfoFeature]) -> str:
    by_layer: dict[str, list[InfoFeature]] = {}
    for f in features:
        by_layer.setdefault(f.layer, []).append(f)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<msGMLOutput xmlns:gml="http://www.opengis.net/gml">'
    ]
    for layer, items in by_layer.items():
        tag = _xml_name(layer)
        parts.append(f"<{tag}_layer><gml:name>{escape(layer)}</gml:name>")
        for f in items:
            parts.append(f'<{tag}_feature fid="{escape(f.fid)}">')
            for key, value in f.properties.items():
                if value is not None:
                    parts.append(f"<{key}>{escape(str(value))}</{key}>")
            parts.append(f"</{tag}_feature>")
        parts.append(f"</{tag}_layer>")
    parts.append("</msGMLOutput>\n")
    return "".join(parts)


# The HTML answer's own style sheet, allowed by the Content Security Policy through its hash (a GIS
# client shows the answer without the portal's static files; inline styles are otherwise refused).
HTML_STYLE = (
    "body{font-family:sans-serif;font-size:13px;margin:6px}"
    "table{border-collapse:collapse;margin-bottom:10px}"
    "th,td{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}"
    "caption{font-weight:bold;text-align:left;padding:2px 0}"
)
_STYLE_DIGEST = base64.b64encode(hashlib.sha256(HTML_STYLE.encode()).digest()).decode()
HTML_STYLE_HASH = f"'sha256-{_STYLE_DIGEST}'"


def feature_info_response(
    *, request: HttpRequest, params: Params, municipality: Municipality | None, version: str
) -> HttpResponse:
    kind, features = feature_info(
        request=request, params=params, municipality=municipality, version=version
    )
    if kind == "json":
        return HttpResponse(_json(features), content_type="application/json; charset=utf-8")
    if kind == "text":
        return HttpResponse(_text(features), content_type="text/plain; charset=utf-8")
    if kind == "gml":
        return HttpResponse(_gml(features), content_type="application/vnd.ogc.gml; charset=utf-8")
    html = render_to_string(
        "wms/featureinfo.html", {"features": features, "style": HTML_STYLE}, request=request
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response._csp_update = {"style-src": [HTML_STYLE_HASH]}  # django-csp: this answer only
    return response
