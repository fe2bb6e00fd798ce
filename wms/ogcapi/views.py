"""OGC API Features views: landing page, conformance, collections, items, one item (JSON)."""

from __future__ import annotations

import json

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from wms.core.encoders import GeoJSONEncoder, Meta
from wms.core.fes import Condition, feature_pk
from wms.core.ows_errors import OwsError, database_error
from wms.core.paging import GetFeature, primed, stream_results, timestamp
from wms.core.query import fetch_all, select_sql
from wms.ogcapi import features
from wms.ogcapi.features import ApiError


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/ogcapi").rstrip("/")


def error(exc: ApiError) -> JsonResponse:
    return JsonResponse({"code": exc.code, "description": exc.description}, status=exc.status)


def api(view):
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            if request.GET.get("f", "json") not in ("json", "geojson"):
                raise ApiError(400, "InvalidParameterValue", "f: only json is offered.")
            return view(request, *args, **kwargs)
        except ApiError as exc:
            return error(exc)
        except OwsError as exc:  # from the shared query code
            return error(ApiError(400, exc.code, exc.message))
        except DatabaseError as exc:  # e.g. coordinates PROJ cannot transform
            wfs_error = database_error(exc)
            return error(ApiError(400, wfs_error.code, wfs_error.message))

    wrapped.__name__ = view.__name__
    return require_GET(wrapped)


@api
def landing(request: HttpRequest) -> HttpResponse:
    base = base_url(request)
    return JsonResponse(
        {
            "title": "Plan Portal – OGC API Features",
            "description": "Działki, obręby, plany miejscowe i plany ogólne / parcels, precincts and plans.",
            "links": [
                {"rel": "self", "type": "application/json", "href": f"{base}/"},
                {"rel": "conformance", "type": "application/json", "href": f"{base}/conformance"},
                {"rel": "data", "type": "application/json", "href": f"{base}/collections"},
            ],
        }
    )


@api
def conformance(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"conformsTo": features.CONFORMANCE})


@api
def collections(request: HttpRequest) -> HttpResponse:
    return JsonResponse(features.collections_doc(base_url(request)))


@api
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    return JsonResponse(features.one_collection_doc(collection_id, base_url(request)))


@api
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    ftype = features.find_collection(collection_id)
    params = features.query_params(request.GET)
    req = features.items_request(ftype, params)
    url = f"{base_url(request)}/collections/{features.collection_id(ftype)}/items"
    gf = GetFeature(
        queries=[req.query],
        count=req.limit,
        startindex=req.offset,
        resulttype="results",
        srs=req.crs,
        srs_name=req.crs_uri,
        output="geojson",
        geojson_axis=True,
    )
    meta = Meta(srs=req.crs, srs_name=req.crs_uri, timestamp=timestamp(), matched=None, returned=0)
    encoder = GeoJSONEncoder(
        crs_member=False,
        links=[
            {"rel": "self", "type": "application/geo+json", "href": request.build_absolute_uri()}
        ],
    )
    stream = stream_results(
        gf,
        user=request.user,
        meta=meta,
        links=lambda offset: features.page_link(url, params, offset, req.limit),
        encoder=encoder,
    )
    response = StreamingHttpResponse(primed(stream), content_type="application/geo+json")
    response["Content-Crs"] = f"<{req.crs_uri}>"
    return response


@api
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    ftype = features.find_collection(collection_id)
    params = {k: v for k, v in features.query_params(request.GET).items() if k in ("crs", "f")}
    req = features.items_request(ftype, params)
    pk = feature_pk(ftype, feature_id if "." in feature_id else f"{ftype.local_name}.{feature_id}")
    if pk is None:
        raise ApiError(404, "NotFound", f"There is no feature {feature_id!r} in {collection_id}.")
    req.query.condition = Condition(f"{ftype.spec.id_sql} = %s", [pk])
    sql, sql_params = select_sql(
        req.query, request.user, srs=req.crs, fmt="geojson_axis", offset=0, limit=1
    )
    rows = fetch_all(sql, sql_params)
    if not rows:
        raise ApiError(404, "NotFound", f"There is no feature {feature_id!r} in {collection_id}.")
    meta = Meta(srs=req.crs, srs_name=req.crs_uri, timestamp=timestamp(), matched=1, returned=1)
    text = "".join(GeoJSONEncoder(crs_member=False).features(req.query, rows, meta))
    doc = json.loads(text)
    items_url = f"{base_url(request)}/collections/{features.collection_id(ftype)}/items"
    doc["links"] = [
        {"rel": "self", "type": "application/geo+json", "href": f"{items_url}/{doc['id']}"},
        {"rel": "collection", "type": "application/json", "href": items_url[: -len("/items")]},
    ]
    response = HttpResponse(
        json.dumps(doc, ensure_ascii=False), content_type="application/geo+json"
    )
    response["Content-Crs"] = f"<{req.crs_uri}>"
    return response
