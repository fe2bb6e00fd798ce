"""WMS request parameters: case-insensitive names, parsed values, OGC errors naming the parameter."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.conf import settings

from layers.crs import OFFERED_CODES, CRSIdentifierError, CrsRef, parse_crs
from wms.core.extent import range_text, within_range
from wms.maps.map_errors import WmsError

SUPPORTED_VERSIONS = ("1.1.1", "1.3.0")
# MIME type -> Mapnik format string
# ``image/png`` is written as an 8-bit palette PNG (hextree quantiser, fast zlib level 1): the map
# colours are flat, so it looks the same as 24-bit at a third of the size and encoding time.
IMAGE_FORMATS = {
    "image/png": "png8:m=h:z=1",
    "image/png; mode=8bit": "png8:m=h:z=1",
    "image/png; mode=24bit": "png24:z=1:t=0",
    "image/jpeg": "jpeg85",
}
TRANSPARENT_FORMATS = {
    "image/png": "png8:m=h:z=1",
    "image/png; mode=8bit": "png8:m=h:z=1",
    "image/png; mode=24bit": "png32:z=1",
}
HEX_COLOR = re.compile(r"^(0x|#)?([0-9a-fA-F]{6})$")


class Params:
    """The query (or form) parameters with upper-cased names, each given once (or with one value)."""

    def __init__(self, data: Mapping[str, str]):
        self._data = {str(k).upper(): str(v) for k, v in data.items()}

    @classmethod
    def of_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Params:
        """Parameters from (name, value) pairs as sent; InvalidParameterValue for a name given twice
        with different values (``LAYERS=a&layers=b``: which one is meant is not for us to guess) and
        for a value longer than ``OGC_MAX_PARAMETER_CHARS``."""
        data: dict[str, str] = {}
        limit = settings.OGC_MAX_PARAMETER_CHARS
        for name, value in pairs:
            key = str(name).upper()
            if len(value) > limit:
                raise WmsError(
                    "InvalidParameterValue",
                    f"parameter {key} is longer than {limit} characters",
                    locator=key,
                )
            if data.setdefault(key, value) != value:
                raise WmsError(
                    "InvalidParameterValue",
                    f"parameter {key} is given more than once with different values",
                    locator=key,
                )
        return cls(data)

    @classmethod
    def of_request(cls, request) -> Params:
        """The form of a POST, or the query of any other request, parsed once and lightly.

        The query is read as Django reads ``request.GET`` (UTF-8, Latin-1 if it is not UTF-8, at
        most ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields) without building its multi-value dictionary.
        """
        if request.method == "POST":
            return cls.of_pairs(
                (name, value) for name, values in request.POST.lists() for value in values
            )
        raw = request.META.get("QUERY_STRING", "").encode("iso-8859-1", errors="replace")
        try:
            query = raw.decode()
        except UnicodeDecodeError:
            query = raw.decode("iso-8859-1")
        try:
            pairs = parse_qsl(
                query,
                keep_blank_values=True,
                max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
            )
        except ValueError as exc:
            raise WmsError(
                "InvalidParameterValue",
                f"more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} parameters",
            ) from exc
        return cls.of_pairs(pairs)

    def get(self, name: str, default: str = "") -> str:
        return self._data.get(name.upper(), default)

    def has(self, name: str) -> bool:
        return name.upper() in self._data

    def require(self, name: str) -> str:
        value = self.get(name).strip()
        if not value:
            raise WmsError("MissingParameterValue", f"parameter {name} is required", locator=name)
        return value

    def items(self):
        return self._data.items()


def negotiate_version(requested: str) -> str:
    """Version negotiation (WMS 1.3.0 §6.2.4): the highest we support not above the request."""
    requested = (requested or "").strip()
    if not requested or requested in SUPPORTED_VERSIONS:
        return requested or "1.3.0"
    try:
        parts = tuple(int(p) for p in requested.split("."))
    except ValueError:
        return "1.3.0"
    if parts >= (1, 3, 0):
        return "1.3.0"
    return "1.1.1"


def request_version(params: Params) -> str:
    """VERSION of an operation other than GetCapabilities (also WMTVER of WMS 1.0)."""
    version = params.get("VERSION") or params.get("WMTVER")
    if not version:
        raise WmsError("MissingParameterValue", "parameter VERSION is required", locator="VERSION")
    if version not in SUPPORTED_VERSIONS:
        raise WmsError(
            "InvalidParameterValue",
            f"VERSION {version} is not supported (1.3.0, 1.1.1)",
            locator="VERSION",
        )
    return version


def crs_param_name(version: str) -> str:
    return "CRS" if version == "1.3.0" else "SRS"


def parse_crs_param(params: Params, version: str) -> CrsRef:
    name = crs_param_name(version)
    code_name = "InvalidCRS" if version == "1.3.0" else "InvalidSRS"
    raw = params.require(name)
    try:
        crs = parse_crs(raw, wms_version=version)
    except CRSIdentifierError as exc:
        raise WmsError(code_name, f"{name}={raw}: {exc}", locator=name) from exc
    if crs.code not in OFFERED_CODES:
        raise WmsError(
            code_name,
            f"{name}={raw} is not offered by this service ({', '.join(OFFERED_CODES)})",
            locator=name,
        )
    return crs


def parse_bbox(params: Params, crs: CrsRef) -> tuple[float, float, float, float]:
    """BBOX in the order the CRS identifier implies -> (minx, miny, maxx, maxy), x = easting."""
    raw = params.require("BBOX")
    parts = raw.split(",")
    if len(parts) not in (4, 5):
        raise WmsError(
            "InvalidParameterValue", f"BBOX={raw}: four numbers expected", locator="BBOX"
        )
    try:
        values = tuple(float(p) for p in parts[:4])
    except ValueError as exc:
        raise WmsError("InvalidParameterValue", f"BBOX={raw}: not numbers", locator="BBOX") from exc
    if not all(math.isfinite(v) for v in values):
        raise WmsError("InvalidParameterValue", f"BBOX={raw}: not finite", locator="BBOX")
    if values[0] >= values[2] or values[1] >= values[3]:
        raise WmsError(
            "InvalidParameterValue",
            f"BBOX={raw}: each minimum must be smaller than its maximum",
            locator="BBOX",
        )
    bbox = crs.bbox_to_xy(values)  # type: ignore[arg-type]
    if not within_range(bbox=bbox, srid=crs.srid):
        raise WmsError(
            "InvalidParameterValue",
            f"BBOX={raw}: far outside {crs.code} (accepted: {range_text(crs.srid)})",
            locator="BBOX",
        )
    return bbox


def whole_number_in(
    params: Params, name: str, *, low: int, high: int, code: str, meaning: str, outside: str
) -> int:
    """The whole-number parameter ``name`` within low..high, else WmsError ``code``."""
    raw = params.require(name)
    try:
        value = int(raw)
    except ValueError as exc:
        raise WmsError(code, f"{name}={raw} {meaning}", locator=name) from exc
    if not low <= value <= high:
        raise WmsError(code, f"{name}={raw} {outside}", locator=name)
    return value


def parse_size(params: Params) -> tuple[int, int]:
    width, height = (
        whole_number_in(
            params,
            name,
            low=1,
            high=limit,
            code="InvalidParameterValue",
            meaning="is not a whole number",
            outside=f"is outside 1..{limit} pixels (the service's limit)",
        )
        for name, limit in (("WIDTH", settings.WMS_MAX_WIDTH), ("HEIGHT", settings.WMS_MAX_HEIGHT))
    )
    return width, height


def parse_bool(params: Params, name: str) -> bool:
    value = params.get(name, "FALSE").strip().upper()
    if value not in ("TRUE", "FALSE", ""):
        raise WmsError(
            "InvalidParameterValue", f"{name}={value}: TRUE or FALSE expected", locator=name
        )
    return value == "TRUE"


def parse_bgcolor(params: Params) -> str:
    raw = params.get("BGCOLOR", "0xFFFFFF").strip()
    match = HEX_COLOR.match(raw)
    if not match:
        raise WmsError(
            "InvalidParameterValue",
            f"BGCOLOR={raw}: a colour 0xRRGGBB expected",
            locator="BGCOLOR",
        )
    return "#" + match.group(2).lower()


def normalise_format(raw: str) -> str:
    return re.sub(r"\s*;\s*", "; ", raw.strip().lower())


def offered_format(params: Params, name: str, offered: Iterable[str]) -> str:
    """The normalised MIME type of parameter ``name``; InvalidFormat unless it is ``offered``."""
    value = normalise_format(params.require(name))
    if value not in offered:
        raise WmsError(
            "InvalidFormat", f"{name}={value} is not offered ({', '.join(offered)})", locator=name
        )
    return value


def image_format(params: Params, *, transparent: bool) -> tuple[str, str]:
    """(MIME type, Mapnik format) of FORMAT; InvalidFormat when we cannot write it."""
    mime = offered_format(params, "FORMAT", IMAGE_FORMATS)
    if transparent and mime in TRANSPARENT_FORMATS:
        return mime, TRANSPARENT_FORMATS[mime]
    return mime, IMAGE_FORMATS[mime]


def split_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",")] if raw.strip() else []


def check_layer_count(names: list[str], locator: str) -> None:
    """At most ``WMS_MAX_LAYERS`` names (advertised as LayerLimit in the 1.3.0 capabilities)."""
    limit = settings.WMS_MAX_LAYERS
    if len(names) > limit:
        raise WmsError(
            "InvalidParameterValue",
            f"{locator} names {len(names)} layers; at most {limit} per request",
            locator=locator,
        )


@dataclass(frozen=True)
class MapRequest:
    """What GetMap (and the map part of GetFeatureInfo) asks for, parsed and checked."""

    version: str
    layers: tuple[str, ...]
    styles: tuple[str, ...]
    crs: CrsRef
    bbox: tuple[float, float, float, float]  # x = easting/longitude, in ``crs``
    width: int
    height: int
    status: tuple[str, ...]


def parse_map_request(params: Params, version: str, *, query: bool = False) -> MapRequest:
    layers = split_list(params.require("LAYERS"))
    if not layers or any(not name for name in layers):
        raise WmsError("LayerNotDefined", "LAYERS names no layer", locator="LAYERS")
    check_layer_count(layers, "LAYERS")
    styles_raw = params.get("STYLES")
    if not params.has("STYLES") and not query:
        raise WmsError("MissingParameterValue", "parameter STYLES is required", locator="STYLES")
    styles = [s.strip() for s in styles_raw.split(",")] if styles_raw else [""] * len(layers)
    if len(styles) != len(layers):
        raise WmsError(
            "StyleNotDefined",
            f"STYLES has {len(styles)} entries for {len(layers)} layers",
            locator="STYLES",
        )
    crs = parse_crs_param(params, version)
    bbox = parse_bbox(params, crs)
    width, height = parse_size(params)
    return MapRequest(
        version=version,
        layers=tuple(layers),
        styles=tuple(styles),
        crs=crs,
        bbox=bbox,
        width=width,
        height=height,
        status=parse_status(params),
    )


PLAN_STATUSES = ("elaboration", "adoption", "legalForce", "obsolete")


def parse_status(params: Params) -> tuple[str, ...]:
    """The plan-status dimension (DIM_STATUS); default: plans in force today."""
    raw = params.get("DIM_STATUS").strip()
    if not raw or raw.lower() == "default":
        return ("legalForce",)
    by_lower = {s.lower(): s for s in PLAN_STATUSES}
    values = []
    for item in split_list(raw):
        if item.lower() not in by_lower:
            raise WmsError(
                "InvalidDimensionValue",
                f"DIM_STATUS={item}: one of {', '.join(PLAN_STATUSES)} expected",
                locator="DIM_STATUS",
            )
        values.append(by_lower[item.lower()])
    return tuple(dict.fromkeys(values))
