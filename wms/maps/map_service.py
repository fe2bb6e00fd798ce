"""The WMS 1.3.0 / 1.1.1 operations: GetCapabilities, GetMap, GetFeatureInfo, GetLegendGraphic.

Called by the OWS entry (wms/ows/entry.py) for every request that is not WFS. Every WMS error becomes
a ServiceExceptionReport (wms/maps/map_errors.py), drawn into the image where GetMap asked for that.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from wms.core.capabilities_cache import cached_capabilities
from wms.maps.featureinfo import feature_info_response
from wms.maps.getmap import get_map
from wms.maps.legend import legend_response
from wms.maps.map_capabilities import capabilities_xml
from wms.maps.map_errors import ImageContext, WmsError, exception_mode, exception_response
from wms.maps.map_request import (
    SUPPORTED_VERSIONS,
    Params,
    image_format,
    negotiate_version,
    parse_bgcolor,
    parse_bool,
    parse_map_request,
    request_version,
)


def wms_response(request: HttpRequest, *, params: Params, municipality) -> HttpResponse:
    version = params.get("VERSION") if params.get("VERSION") in SUPPORTED_VERSIONS else "1.3.0"
    try:
        return _wms(request, params, municipality)
    except WmsError as error:
        return _error_response(error, params, version)


def _error_response(error: WmsError, params: Params, version: str) -> HttpResponse:
    mode = exception_mode(params.get("EXCEPTIONS"))
    image = None
    if mode != "XML" and params.get("REQUEST").strip().lower() in ("getmap", "map"):
        try:
            transparent = parse_bool(params, "TRANSPARENT")
            mime, _fmt = image_format(params, transparent=transparent)
            width, height = int(params.get("WIDTH")), int(params.get("HEIGHT"))
            if 0 < width <= 4096 and 0 < height <= 4096:
                image = ImageContext(width, height, mime, transparent, parse_bgcolor(params))
        except (WmsError, ValueError):
            image = None  # cannot draw into the image asked for: the XML report it is
    return exception_response(error, version=version, mode=mode, image=image)


def _wms(request: HttpRequest, params: Params, municipality) -> HttpResponse:
    service = params.get("SERVICE").strip().upper()
    operation = params.get("REQUEST").strip().lower()
    if not operation:
        raise WmsError("MissingParameterValue", "parameter REQUEST is required", locator="REQUEST")
    if service not in ("WMS", "") or (not service and operation != "getcapabilities"):
        if not service:
            raise WmsError(
                "MissingParameterValue", "parameter SERVICE is required", locator="SERVICE"
            )
        raise WmsError(
            "InvalidParameterValue", f"SERVICE={service}: WMS or WFS expected", locator="SERVICE"
        )
    if operation == "getcapabilities":
        version = negotiate_version(params.get("VERSION") or params.get("WMTVER"))
        return _capabilities(request, municipality, version)
    if operation == "getlegendgraphic":
        return legend_response(params=params, municipality=municipality)
    version = request_version(params)
    if operation in ("getmap", "map"):
        return _getmap(request, params, municipality, version)
    if operation in ("getfeatureinfo", "feature_info"):
        return feature_info_response(
            request=request, params=params, municipality=municipality, version=version
        )
    raise WmsError(
        "OperationNotSupported",
        f"REQUEST={params.get('REQUEST')} is not offered (GetCapabilities, GetMap, "
        "GetFeatureInfo, GetLegendGraphic)",
        locator="REQUEST",
    )


def _capabilities(request: HttpRequest, municipality, version: str) -> HttpResponse:
    body = cached_capabilities(
        request=request,
        service="WMS",
        version=version,
        municipality=municipality,
        build=lambda: capabilities_xml(request=request, municipality=municipality, version=version),
    )
    content_type = "text/xml" if version == "1.3.0" else "application/vnd.ogc.wms_xml"
    return HttpResponse(body, content_type=f"{content_type}; charset=utf-8")


def _getmap(request: HttpRequest, params: Params, municipality, version: str) -> HttpResponse:
    map_request = parse_map_request(params, version)
    transparent = parse_bool(params, "TRANSPARENT")
    mime, mapnik_format = image_format(params, transparent=transparent)
    image = get_map(
        request=map_request,
        municipality=municipality,
        user=request.user,
        mime=mime,
        mapnik_format=mapnik_format,
        transparent=transparent,
        bgcolor=parse_bgcolor(params),
    )
    etag = f'"{image.key[-32:]}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified()
    response = HttpResponse(image.body, content_type=image.mime)
    response["ETag"] = etag
    response["X-Cache"] = "HIT" if image.cached else "MISS"
    return response
