"""The WFS entry point: ``handle_wfs(request, municipality=...)``, called by the /ows views.

Parses the request (KVP or XML), resolves it against the endpoint's feature types, runs it, and turns
every OwsError into an OWS ExceptionReport (never a 500, never another gmina's hidden plans).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse

from layers.models import Municipality
from layers.xmlparse import root_namespace
from wms.core.capabilities_cache import cached_capabilities
from wms.core.encoders import Meta, ValueEncoder
from wms.core.extent import range_text, within_range, world_clamp
from wms.core.extra_layers import extra_feature_types
from wms.core.featuretypes import (
    GEOMETRY,
    FeatureType,
    feature_types,
    platform_types_with_prefix,
    prefix_of,
    resolve,
)
from wms.core.fes import Condition, compile_filter, feature_pk, property_name
from wms.core.ows_errors import OwsError, database_error, invalid
from wms.core.paging import (
    DEFAULT_COUNT,
    FORMAT_OF_ENCODER,
    MAX_COUNT,
    GetFeature,
    encoder_for,
    hits_response,
    results_response,
    timestamp,
)
from wms.core.query import Query, fetch_all, select_sql
from wms.wfs import describe, storedqueries, wfs_capabilities
from wms.wfs.app_gml import app_response
from wms.wfs.exception_report import exception_report
from wms.wfs.wfs_request import (
    DEFAULT_SRS_NAME,
    WFSRequest,
    from_kvp,
    from_xml,
    parse_srs,
)

XML = "application/xml; charset=utf-8"
logger = logging.getLogger(__name__)
SAFE_SRS_NAME = re.compile(r"^[A-Za-z0-9:/._#-]+$")


def handle_wfs(request: HttpRequest, municipality: Municipality | None = None) -> HttpResponse:
    version = "2.0.0"
    try:
        if request.method == "POST" and root_namespace(request.body) is not None:
            wfs_request = from_xml(request.body)
        else:
            wfs_request = from_kvp(request.POST if request.method == "POST" else request.GET)
        version = wfs_request.version
        return dispatch(wfs_request, request=request, municipality=municipality)
    except OwsError as error:
        return exception_report(error, version=version)
    except DatabaseError as exc:  # e.g. coordinates PROJ cannot transform: a bad request
        return exception_report(database_error(exc), version=version)


def service_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(request.path)


def offered_types(municipality) -> list[FeatureType]:
    return feature_types(municipality) + extra_feature_types(municipality)


def types_for(wfs: WFSRequest, municipality) -> list[FeatureType]:
    """The feature types a request can name. At the platform's ``/ows`` a GetFeature whose every
    type name carries a gmina's prefix (``gmina-a:dzialki``) reads only those gminy's layers, not a
    country's catalogue (issue 17); names resolve exactly as against the whole list (same prefix
    rule; a client's own NAMESPACES, or a name without a prefix, take the whole list)."""
    names = [n.strip() for q in wfs.queries for n in q.typenames]
    if (
        municipality is not None
        or wfs.operation != "GetFeature"
        or wfs.stored_query_id
        or wfs.namespaces
        or not names
        or any(":" not in n for n in names)
        or any(not q.typenames for q in wfs.queries)
    ):
        return offered_types(municipality)
    prefixes = sorted({n.split(":", 1)[0] for n in names})
    return [t for prefix in prefixes for t in platform_types_with_prefix(prefix)]


def dispatch(wfs: WFSRequest, *, request: HttpRequest, municipality) -> HttpResponse:
    url = service_url(request)
    if wfs.operation == "GetCapabilities":
        build = (
            wfs_capabilities.capabilities_20
            if wfs.version.startswith("2")
            else wfs_capabilities.capabilities_11
        )
        body = cached_capabilities(
            request=request,
            service="WFS",
            version=wfs.version,
            municipality=municipality,
            # the types only when the document is built: a cached one needs no catalogue read
            build=lambda: build(
                types=offered_types(municipality), municipality=municipality, url=url
            ),
        )
        return HttpResponse(body, content_type=XML)
    types = types_for(wfs, municipality)
    if wfs.operation == "DescribeFeatureType":
        chosen = [resolve(n, types, municipality, wfs.namespaces) for n in wfs.typenames] or types
        if not chosen:
            raise OwsError("InvalidParameterValue", "No feature types here.", locator="typeNames")
        body = describe.schema_for(chosen, version=wfs.version, base_url=url)
        return HttpResponse(
            body,
            content_type="application/gml+xml; version=3.2" if wfs.version.startswith("2") else XML,
        )
    if wfs.operation == "ListStoredQueries":
        return HttpResponse(storedqueries.list_response(types), content_type=XML)
    if wfs.operation == "DescribeStoredQueries":
        return HttpResponse(
            storedqueries.describe_response(wfs.stored_query_ids, types), content_type=XML
        )
    return get_feature(wfs, request=request, municipality=municipality, types=types)


def resolve_queries(wfs: WFSRequest, types: list[FeatureType], municipality) -> list[Query]:
    default_crs = parse_srs(DEFAULT_SRS_NAME)
    queries = []
    for spec in wfs.queries:
        if spec.typenames:
            targets = [resolve(spec.typenames[0], types, municipality, wfs.namespaces)]
        else:  # RESOURCEID alone: the types its ids name
            home = prefix_of(municipality)
            targets = [
                t
                for t in types
                if t.prefix == home
                and any(feature_pk(t, r) is not None for r in spec.resource_ids or [])
            ]
            if not targets:
                raise invalid("resourceId", "No feature type here has these resource ids.")
        for ftype in targets:
            queries.append(build_query(spec, ftype, default_crs))
    return queries


def check_extent(bbox, crs, locator: str):
    """A box within the CRS's accepted range (wms/core/extent.py), a geographic one cut to the world."""
    if not within_range(bbox=bbox, srid=crs.srid):
        raise invalid(
            locator,
            f"The box {bbox} lies far outside {crs.code} (accepted: {range_text(crs.srid)}).",
        )
    return world_clamp(bbox=bbox, srid=crs.srid)


def build_query(spec, ftype: FeatureType, default_crs) -> Query:
    query = Query(ftype=ftype)
    if spec.bbox is not None:
        crs = spec.bbox_crs or default_crs
        query.bbox = check_extent(crs.bbox_to_xy(spec.bbox), crs, "bbox")
        query.bbox_srid = crs.srid
    if spec.filter is not None:
        query.condition = compile_filter(spec.filter, ftype, default_crs)
    if spec.resource_ids:
        ids = [pk for r in spec.resource_ids if (pk := feature_pk(ftype, r)) is not None]
        query.condition = Condition(f"{ftype.spec.id_sql} = ANY(%s)", [ids])
    for name, desc in spec.sortby:
        prop = ftype.prop(name.split(":")[-1])
        if prop is None:
            raise invalid("sortBy", f"{ftype.name} has no property {name!r} to sort by.")
        query.sortby.append((prop, desc))
    if spec.properties is not None and "*" not in spec.properties:  # "*": all (OWSLib 1.1)
        for name in spec.properties:
            if name != GEOMETRY and ftype.prop(name) is None:
                raise invalid("propertyName", f"{ftype.name} has no property {name!r}.")
        query.properties = spec.properties
    return query


def stored_queries(wfs: WFSRequest, types: list[FeatureType], municipality) -> list[Query]:
    stored = storedqueries.find(wfs.stored_query_id)
    if stored.id == storedqueries.GET_FEATURE_BY_ID:
        ftype, condition = storedqueries.feature_by_id(wfs.stored_query_params, types)
        return [Query(ftype=ftype, condition=condition)]
    parcels = [
        t for t in types if t.layer.kind in stored.kinds and t.prefix == prefix_of(municipality)
    ]
    if not parcels:
        raise invalid("STOREDQUERY_ID", "This endpoint has no parcel layer.")
    ftype = parcels[0]
    return [
        Query(
            ftype=ftype,
            condition=storedqueries.parcel_by_identifier(wfs.stored_query_params, ftype),
        )
    ]


def check_sql(queries: list[Query], gf: GetFeature, user) -> None:
    """Plan every query once (EXPLAIN) so that bad literals fail here, before streaming starts."""
    fmt = FORMAT_OF_ENCODER.get(gf.output, "raw")
    for query in queries:
        if query.condition is None:
            continue
        sql, params = select_sql(query, user, srs=gf.srs, fmt=fmt, offset=0, limit=1)
        try:
            with transaction.atomic(), transaction.get_connection().cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, params)
        except DatabaseError as exc:
            logger.info("WFS filter refused by the database: %s", exc)
            raise invalid(
                "filter",
                "The filter cannot be evaluated: a literal does not fit the type of its property, "
                "or a geometry lies where its CRS cannot be converted.",
            ) from exc


def links_for(request: HttpRequest, count: int):
    if request.method != "GET":
        return lambda start: None
    base = {
        k: v
        for k, v in request.GET.items()
        if k.upper() not in ("STARTINDEX", "COUNT", "MAXFEATURES")
    }

    def link(start: int) -> str:
        params = {**base, "STARTINDEX": str(start), "COUNT": str(count)}
        return f"{service_url(request)}?{urlencode(params)}"

    return link


def get_feature(wfs: WFSRequest, *, request: HttpRequest, municipality, types) -> HttpResponse:
    srs_name = (
        next((q.srs_name for q in wfs.queries if q.srs_name), None) or DEFAULT_SRS_NAME
    ).strip()
    srs = parse_srs(srs_name)
    if not SAFE_SRS_NAME.match(srs_name):  # it is echoed into srsName attributes
        srs_name = srs.urn()
    if wfs.stored_query_id:
        queries = stored_queries(wfs, types, municipality)
    else:
        queries = resolve_queries(wfs, types, municipality)
    count = min(wfs.count or DEFAULT_COUNT, MAX_COUNT)
    gf = GetFeature(
        queries=queries,
        count=count,
        startindex=wfs.startindex,
        resulttype=wfs.resulttype,
        srs=srs,
        srs_name=srs_name,
        output=wfs.output or "gml32",
        version=wfs.version,
    )
    if gf.output in ("app", "app2"):
        return app_response(gf, user=request.user, request=request)
    check_sql(queries, gf, request.user)
    meta = make_meta(gf, url=service_url(request))
    if wfs.operation == "GetPropertyValue":
        return property_values(wfs, gf, request=request, meta=meta, count=count)
    if gf.resulttype == "hits":
        return hits_response(gf, user=request.user, meta=meta)
    if wfs.stored_query_id == storedqueries.GET_FEATURE_BY_ID:
        return single_feature(gf, user=request.user, meta=meta)
    return results_response(gf, user=request.user, meta=meta, links=links_for(request, count))


def make_meta(gf: GetFeature, *, url: str) -> Meta:
    """What the collection's header says besides the numbers: CRS, time, namespaces, schemas."""
    by_namespace: dict[str, list] = {}
    for query in gf.queries:
        by_namespace.setdefault(query.ftype.namespace, []).append(query.ftype)
    return Meta(
        srs=gf.srs,
        srs_name=gf.srs_name,
        timestamp=timestamp(),
        matched=None,
        returned=0,
        namespaces={q.ftype.prefix: q.ftype.namespace for q in gf.queries},
        schema_locations=[
            (ns, describe.describe_url(url, ftypes, gf.version))
            for ns, ftypes in by_namespace.items()
        ],
    )


def property_values(wfs: WFSRequest, gf: GetFeature, *, request, meta: Meta, count: int):
    """GetPropertyValue: the values of one property (a name or the geometry) of the features."""
    if not wfs.version.startswith("2"):
        raise OwsError(
            "OperationNotSupported", "GetPropertyValue is a WFS 2.0 operation.", locator="request"
        )
    if not wfs.value_reference:
        raise OwsError(
            "MissingParameterValue",
            "The parameter valueReference is required.",
            locator="valueReference",
        )
    name = property_name(wfs.value_reference)
    if gf.output not in ("gml32", "gml311"):
        raise invalid("outputFormat", "GetPropertyValue answers in XML only.")
    for query in gf.queries:
        if name != GEOMETRY and query.ftype.prop(name) is None:
            raise invalid("valueReference", f"{query.ftype.name} has no property {name!r}.")
        query.properties = [name]
    if gf.resulttype == "hits":
        return hits_response(gf, user=request.user, meta=meta)
    encoder = ValueEncoder("3.2" if gf.output == "gml32" else "3.1.1")
    return results_response(
        gf, user=request.user, meta=meta, links=links_for(request, count), encoder=encoder
    )


def single_feature(gf: GetFeature, *, user, meta: Meta) -> HttpResponse:
    """GetFeatureById answers with the feature itself, not a collection (WFS 2.0 §7.9.3.6)."""
    query = gf.queries[0]
    encoder = encoder_for(gf.output)
    fmt = FORMAT_OF_ENCODER[gf.output]
    sql, params = select_sql(query, user, srs=gf.srs, fmt=fmt, offset=0, limit=1)
    rows = fetch_all(sql, params)
    if not rows:
        raise OwsError("NotFound", "No feature has this identifier.", locator="ID")
    meta.returned = meta.matched = 1
    body = "".join(encoder.features(query, rows, meta))
    if gf.output in ("gml32", "gml311"):
        ftype = query.ftype
        for wrapper in (
            "<wfs:member>",
            "</wfs:member>",
            "<gml:featureMember>",
            "</gml:featureMember>",
        ):
            body = body.replace(wrapper, "", 1)
        gml_ns = (
            "http://www.opengis.net/gml/3.2"
            if gf.output == "gml32"
            else "http://www.opengis.net/gml"
        )
        opening = f"<{ftype.prefix}:{ftype.local_name} "
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + body.replace(
            opening,
            f'{opening}xmlns:{ftype.prefix}="{ftype.namespace}" xmlns:gml="{gml_ns}" ',
            1,
        )
    return HttpResponse(body, content_type=encoder.content_type)
