"""OGC API Features (parts 1 and 2) over the WFS feature types, sharing the WFS query code."""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings

from layers.crs import OFFERED_CODES, CRSIdentifierError, CrsRef, parse_crs
from wms.core.extent import Box, range_text, within_range, world_clamp
from wms.core.featuretypes import (
    PLATFORM_PREFIX,
    POLAND_WGS84,
    FeatureType,
    feature_types,
    platform_types_with_prefix,
    resolve,
    wgs84_extents,
)
from wms.core.ows_errors import OwsError
from wms.core.query import Query

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
STORAGE_CRS = "http://www.opengis.net/def/crs/EPSG/0/2180"
DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
ITEM_PARAMS = {"bbox", "bbox-crs", "crs", "limit", "offset", "f", "sortby"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


def crs_uris() -> list[str]:
    return [
        CRS84 if code == "CRS:84" else f"http://www.opengis.net/def/crs/EPSG/0/{code.split(':')[1]}"
        for code in OFFERED_CODES
    ]


def collection_id(ftype: FeatureType) -> str:
    return ftype.local_name if ftype.prefix == PLATFORM_PREFIX else ftype.name


def find_collection(name: str) -> FeatureType:
    prefix = name.strip().split(":", 1)[0] if ":" in name else PLATFORM_PREFIX
    try:
        return resolve(name, platform_types_with_prefix(prefix), None)
    except OwsError as exc:
        raise ApiError(404, "NotFound", f"There is no collection {name!r}.") from exc


def collection_doc(ftype: FeatureType, base: str, extent) -> dict:
    cid = collection_id(ftype)
    url = f"{base}/collections/{cid}"
    return {
        "id": cid,
        "title": ftype.title,
        "description": ftype.layer.abstract or ftype.title,
        "itemType": "feature",
        "crs": crs_uris(),
        "storageCrs": STORAGE_CRS,
        "extent": {"spatial": {"bbox": [list(extent)], "crs": CRS84}},
        "links": [
            {"rel": "self", "type": "application/json", "href": url},
            {"rel": "items", "type": "application/geo+json", "href": f"{url}/items"},
        ],
    }


def collections_doc(base: str) -> dict:
    types = feature_types(None)
    extents = wgs84_extents(types)
    return {
        "links": [{"rel": "self", "type": "application/json", "href": f"{base}/collections"}],
        "crs": crs_uris(),
        "collections": [
            collection_doc(
                t, base, extents.get(t.municipality.pk if t.municipality else None, POLAND_WGS84)
            )
            for t in types
        ],
    }


def one_collection_doc(name: str, base: str) -> dict:
    ftype = find_collection(name)
    extents = wgs84_extents([ftype])
    key = ftype.municipality.pk if ftype.municipality else None
    return collection_doc(ftype, base, extents.get(key, POLAND_WGS84))


def parse_crs_param(value: str | None, name: str, default: str = CRS84) -> CrsRef:
    uri = value or default
    if uri not in crs_uris():
        raise ApiError(
            400, "InvalidParameterValue", f"{name}: {uri} is not offered ({', '.join(crs_uris())})."
        )
    try:
        return parse_crs(uri)
    except CRSIdentifierError as exc:
        raise ApiError(400, "InvalidParameterValue", f"{name}: {exc}") from exc


def parse_int(value: str | None, name: str, default: int, minimum: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ApiError(400, "InvalidParameterValue", f"{name} must be a whole number.") from exc
    if number < minimum or number > 10**9:
        raise ApiError(400, "InvalidParameterValue", f"{name} must be between {minimum} and 10^9.")
    return number


def checked_bbox(bbox: Box, crs: CrsRef) -> Box:
    """A bbox (x = easting/longitude) within the CRS's accepted range, cut to the world."""
    if bbox[0] > bbox[2] or bbox[1] > bbox[3]:
        raise ApiError(400, "InvalidParameterValue", "bbox: the minimum exceeds the maximum.")
    if not within_range(bbox=bbox, srid=crs.srid):
        raise ApiError(
            400,
            "InvalidParameterValue",
            f"bbox: far outside {crs.code} (accepted: {range_text(crs.srid)}).",
        )
    return world_clamp(bbox=bbox, srid=crs.srid)


@dataclass
class ItemsRequest:
    query: Query
    crs: CrsRef
    crs_uri: str
    limit: int
    offset: int


def query_params(query) -> dict[str, str]:
    """A query's parameters, each once and at most ``OGC_MAX_PARAMETER_CHARS`` long."""
    limit = settings.OGC_MAX_PARAMETER_CHARS
    params = {}
    for name, values in query.lists():
        if len(set(values)) > 1:
            raise ApiError(400, "InvalidParameterValue", f"{name} is given more than once.")
        if len(values[0]) > limit:
            raise ApiError(
                400, "InvalidParameterValue", f"{name} is longer than {limit} characters."
            )
        params[name] = values[0]
    return params


def items_request(ftype: FeatureType, params: dict[str, str]) -> ItemsRequest:
    unknown = set(params) - ITEM_PARAMS
    if unknown:
        raise ApiError(
            400, "InvalidParameterValue", f"Unknown parameters: {', '.join(sorted(unknown))}."
        )
    if params.get("f", "json") not in ("json", "geojson"):
        raise ApiError(400, "InvalidParameterValue", "f: only json is offered.")
    query = Query(ftype=ftype)
    crs = parse_crs_param(params.get("crs"), "crs")
    if params.get("bbox"):
        bbox_crs = parse_crs_param(params.get("bbox-crs"), "bbox-crs")
        try:
            values = [float(v) for v in params["bbox"].split(",")]
        except ValueError as exc:
            raise ApiError(400, "InvalidParameterValue", "bbox: four numbers expected.") from exc
        if len(values) != 4 or not all(math.isfinite(v) for v in values):
            raise ApiError(400, "InvalidParameterValue", "bbox: four finite numbers expected.")
        query.bbox = checked_bbox(bbox_crs.bbox_to_xy(tuple(values)), bbox_crs)  # type: ignore[arg-type]
        query.bbox_srid = bbox_crs.srid
    elif params.get("bbox-crs"):
        raise ApiError(400, "InvalidParameterValue", "bbox-crs without bbox.")
    for key in (params.get("sortby") or "").split(","):
        key = key.strip()
        if not key:
            continue
        desc = key.startswith("-")
        prop = ftype.prop(key.lstrip("+-"))
        if prop is None:
            raise ApiError(
                400, "InvalidParameterValue", f"sortby: no property {key.lstrip('+-')!r}."
            )
        query.sortby.append((prop, desc))
    limit = min(parse_int(params.get("limit"), "limit", DEFAULT_LIMIT, 1), MAX_LIMIT)
    offset = parse_int(params.get("offset"), "offset", 0, 0)
    uri = params.get("crs") or CRS84
    return ItemsRequest(query=query, crs=crs, crs_uri=uri, limit=limit, offset=offset)


def page_link(url: str, params: dict[str, str], offset: int, limit: int) -> str:
    return f"{url}?{urlencode({**params, 'offset': str(offset), 'limit': str(limit)})}"
