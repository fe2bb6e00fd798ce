"""Reading WFS requests: KVP (case-insensitive names) and XML (POST) into one request form."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from lxml import etree

from layers.crs import OFFERED_CODES, CRSIdentifierError, CrsRef, parse_crs
from layers.xmlparse import local, namespace
from wms.core.ows_errors import OwsError, invalid, missing
from wms.core.xmlsafe import parse_xml

WFS_NAMESPACES = ("http://www.opengis.net/wfs/2.0", "http://www.opengis.net/wfs")
OFFERED_SRIDS = {4326 if c == "CRS:84" else int(c.split(":")[1]) for c in OFFERED_CODES}
DEFAULT_SRS_NAME = "urn:ogc:def:crs:EPSG::2180"
MAX_TYPENAMES = 20
OPERATIONS = (
    "GetCapabilities",
    "DescribeFeatureType",
    "GetFeature",
    "ListStoredQueries",
    "DescribeStoredQueries",
    "GetPropertyValue",
)
OUTPUTS = {
    "application/gml+xml;version=3.2": "gml32",
    "application/gml+xml": "gml32",
    "text/xml;subtype=gml/3.2": "gml32",
    "text/xml;subtype=gml/3.2.1": "gml32",
    "application/gml+xml;version=3.2.1": "gml32",
    "gml32": "gml32",
    "text/xml;subtype=gml/3.1.1": "gml311",
    "text/xml": None,  # the version's default GML
    "gml3": "gml311",
    "gml311": "gml311",
    "application/json": "geojson",
    "application/geo+json": "geojson",
    "application/vnd.geo+json": "geojson",
    "json": "geojson",
    "geojson": "geojson",
    "text/csv": "csv",
    "csv": "csv",
    "app": "app",
    "application/gml+xml;version=3.2;profile=app": "app",
    "application/gml+xml;version=3.2;profile=app-3.0": "app",
    "app-3.0": "app",
    "application/gml+xml;version=3.2;profile=app-2.0": "app2",
    "app-2.0": "app2",
}


@dataclass
class QuerySpec:
    """One query as written in the request (not yet resolved against the feature types)."""

    typenames: list[str]
    srs_name: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    bbox_crs: CrsRef | None = None
    filter: etree._Element | None = None
    resource_ids: list[str] | None = None
    sortby: list[tuple[str, bool]] = field(default_factory=list)
    properties: list[str] | None = None


@dataclass
class WFSRequest:
    operation: str
    version: str = "2.0.0"
    kvp: dict[str, str] = field(default_factory=dict)
    queries: list[QuerySpec] = field(default_factory=list)
    typenames: list[str] = field(default_factory=list)  # DescribeFeatureType
    count: int | None = None
    startindex: int = 0
    resulttype: str = "results"
    output: str | None = None
    output_raw: str | None = None
    stored_query_id: str | None = None
    stored_query_params: dict[str, str] = field(default_factory=dict)
    stored_query_ids: list[str] = field(default_factory=list)  # DescribeStoredQueries
    value_reference: str | None = None  # GetPropertyValue
    namespaces: dict[str, str] = field(default_factory=dict)  # prefix -> URI declared by the client


def normalise_format(value: str) -> str:
    text = re.sub(
        r"\s+", "", value.lower().replace("gml xml", "gml+xml").replace("geo json", "geo+json")
    )
    return text.replace('"', "")


def output_of(value: str | None, version: str) -> str:
    default = "gml32" if version.startswith("2") else "gml311"
    if not value:
        return default
    key = normalise_format(value)
    if key not in OUTPUTS:
        raise invalid("outputFormat", f"The output format {value!r} is not offered.")
    return OUTPUTS[key] or default


def parse_version(value: str | None, operation: str, accept: str | None = None) -> str:
    if operation == "GetCapabilities" and not value:
        offered = [v.strip() for v in (accept or "2.0.0").split(",")]
        for v in offered:
            if v.startswith("2.0"):
                return "2.0.0"
            if v == "1.1.0":
                return "1.1.0"
        raise OwsError(
            "VersionNegotiationFailed",
            f"None of the versions {accept!r} is offered (2.0.0, 1.1.0).",
            locator="AcceptVersions",
        )
    value = (value or "2.0.0").strip()
    if value in ("2.0.0", "2.0.2", "2.0"):
        return "2.0.0"
    if value == "1.1.0":
        return "1.1.0"
    raise invalid("version", f"WFS version {value!r} is not offered (2.0.0, 1.1.0).")


def parse_int(value: str | None, locator: str, *, minimum: int = 0) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value.strip())
    except ValueError as exc:
        raise invalid(locator, f"{locator} must be a whole number, not {value[:40]!r}.") from exc
    if number < minimum:
        raise invalid(locator, f"{locator} must be at least {minimum}.")
    if number > 10**9:
        raise invalid(locator, f"{locator}={value} is beyond any sensible value.")
    return number


def parse_srs(value: str, locator: str = "srsName") -> CrsRef:
    try:
        crs = parse_crs(value)
    except CRSIdentifierError as exc:
        raise invalid(locator, str(exc)) from exc
    if crs.srid not in OFFERED_SRIDS:
        raise invalid(
            locator, f"{value} is not one of the offered CRSs ({', '.join(OFFERED_CODES)})."
        )
    return crs


def parse_bbox(value: str) -> tuple[tuple[float, float, float, float], CrsRef | None]:
    parts = [p.strip() for p in value.split(",")]
    if len(parts) not in (4, 5):
        raise invalid("bbox", "BBOX is minA,minB,maxA,maxB[,crs].")
    try:
        numbers = tuple(float(p) for p in parts[:4])
    except ValueError as exc:
        raise invalid("bbox", "BBOX coordinates must be numbers.") from exc
    if not all(math.isfinite(n) for n in numbers):
        raise invalid("bbox", "BBOX coordinates must be finite.")
    if numbers[0] > numbers[2] or numbers[1] > numbers[3]:
        raise invalid("bbox", "BBOX minimum exceeds its maximum.")
    crs = parse_srs(parts[4], "bbox") if len(parts) == 5 else None
    return numbers, crs  # type: ignore[return-value]


def split_lists(value: str) -> list[str]:
    """``(a,b)(c)`` -> ["a,b", "c"]; ``a,b`` -> ["a,b"]."""
    value = value.strip()
    if value.startswith("("):
        groups = re.findall(r"\(([^()]*)\)", value)
        if "".join(f"({g})" for g in groups) != value.replace(" ", "") and not groups:
            raise invalid("typeNames", "Unbalanced parentheses.")
        return groups
    return [value]


def parse_sortby(value: str) -> list[tuple[str, bool]]:
    keys = []
    for item in value.split(","):
        bits = item.strip().split()
        if not bits:
            continue
        if len(bits) > 2 or (len(bits) == 2 and bits[1].upper() not in ("ASC", "DESC", "A", "D")):
            raise invalid("sortBy", f"{item.strip()!r}: use 'property [ASC|DESC]'.")
        keys.append((bits[0], len(bits) == 2 and bits[1].upper() in ("DESC", "D")))
    return keys


NAMESPACE_DECL = re.compile(r"xmlns\(\s*([A-Za-z_][\w.-]*)\s*[,=]\s*([^)\s]+)\s*\)")


def parse_namespaces(value: str) -> dict[str, str]:
    """``xmlns(a,http://…),xmlns(b,http://…)`` -> {"a": "http://…", "b": "http://…"}."""
    return dict(NAMESPACE_DECL.findall(value or ""))


def kvp_of(raw) -> dict[str, str]:
    """Upper-cased names -> values; a name given twice with different values, or a value longer
    than ``OGC_MAX_PARAMETER_CHARS``, is InvalidParameterValue."""
    kvp: dict[str, str] = {}
    limit = settings.OGC_MAX_PARAMETER_CHARS
    pairs = (
        ((k, v) for k, values in raw.lists() for v in values)
        if hasattr(raw, "lists")
        else raw.items()
    )
    for name, value in pairs:
        key = name.upper()
        if len(value) > limit:
            raise invalid(name, f"The parameter {name} is longer than {limit} characters.")
        if kvp.setdefault(key, value) != value:
            raise invalid(name, f"The parameter {name} is given twice with different values.")
    return kvp


def check_typename_count(names: list, locator: str) -> None:
    if len(names) > MAX_TYPENAMES:
        raise invalid(locator, f"At most {MAX_TYPENAMES} feature types per request.")


def from_kvp(raw) -> WFSRequest:
    kvp = kvp_of(raw)
    operation = kvp.get("REQUEST", "")
    if not operation:
        raise missing("request")
    match = next((op for op in OPERATIONS if op.lower() == operation.lower()), None)
    if match is None:
        raise OwsError(
            "OperationNotSupported",
            f"{operation!r} is not a WFS operation here.",
            locator="request",
        )
    version = parse_version(kvp.get("VERSION"), match, kvp.get("ACCEPTVERSIONS"))
    request = WFSRequest(operation=match, version=version, kvp=kvp)
    request.namespaces = parse_namespaces(kvp.get("NAMESPACES", ""))
    two = version.startswith("2")
    typenames = (
        kvp.get("TYPENAMES" if two else "TYPENAME") or kvp.get("TYPENAMES") or kvp.get("TYPENAME")
    )
    if match == "DescribeFeatureType":
        request.typenames = [t for t in (typenames or "").split(",") if t.strip()]
        check_typename_count(request.typenames, "typeNames")
        request.output_raw = kvp.get("OUTPUTFORMAT")
    elif match == "DescribeStoredQueries":
        request.stored_query_ids = [s for s in kvp.get("STOREDQUERY_ID", "").split(",") if s]
        check_typename_count(request.stored_query_ids, "STOREDQUERY_ID")
    elif match in ("GetFeature", "GetPropertyValue"):
        read_getfeature_kvp(request, kvp, typenames, two)
        request.value_reference = kvp.get("VALUEREFERENCE")
    return request


def read_result_options(request: WFSRequest, value: Callable[[str], str | None]) -> None:
    """count, startIndex, resultType, outputFormat: ``value`` reads a KVP or an XML attribute."""
    request.count = parse_int(value("count") or value("maxFeatures"), "count", minimum=1)
    request.startindex = parse_int(value("startIndex"), "startIndex") or 0
    request.resulttype = (value("resultType") or "results").lower()
    if request.resulttype not in ("results", "hits"):
        raise invalid("resultType", "resultType is results or hits.")
    request.output_raw = value("outputFormat")
    request.output = output_of(request.output_raw, request.version)


def read_getfeature_kvp(request: WFSRequest, kvp: dict, typenames: str | None, two: bool) -> None:
    read_result_options(request, lambda name: kvp.get(name.upper()))
    if kvp.get("STOREDQUERY_ID"):
        request.stored_query_id = kvp["STOREDQUERY_ID"]
        reserved = {"SERVICE", "VERSION", "REQUEST", "STOREDQUERY_ID", "COUNT", "STARTINDEX"}
        reserved |= {"RESULTTYPE", "OUTPUTFORMAT", "SRSNAME", "MAXFEATURES"}
        request.stored_query_params = {k: v for k, v in kvp.items() if k not in reserved}
        request.queries = [QuerySpec(typenames=[], srs_name=kvp.get("SRSNAME"))]
        return
    resource = kvp.get("RESOURCEID") or kvp.get("FEATUREID")
    if not typenames and not resource:
        raise missing("typeNames")
    exclusive = [k for k in ("BBOX", "FILTER", "RESOURCEID", "FEATUREID") if kvp.get(k)]
    if len(exclusive) > 1:
        raise invalid(exclusive[1].lower(), f"{' and '.join(exclusive)} exclude each other.")
    groups = split_lists(typenames) if typenames else [""]
    names = [n.strip() for g in groups for n in g.split(",") if n.strip()]
    check_typename_count(names, "typeNames")
    filters = split_lists(kvp["FILTER"]) if kvp.get("FILTER") else []
    props = split_lists(kvp["PROPERTYNAME"]) if kvp.get("PROPERTYNAME") else []
    sorts = parse_sortby(kvp["SORTBY"]) if kvp.get("SORTBY") else []
    bbox = parse_bbox(kvp["BBOX"]) if kvp.get("BBOX") else None
    if filters and len(filters) not in (1, len(names)):
        raise invalid("filter", "Give one FILTER per feature type.")
    parsed_filters = [parse_xml(f, what="FILTER") for f in filters]
    for i, name in enumerate(names or [""]):
        spec = QuerySpec(
            typenames=[name] if name else [], srs_name=kvp.get("SRSNAME"), sortby=sorts
        )
        if bbox:
            spec.bbox, spec.bbox_crs = bbox
        if parsed_filters:
            spec.filter = parsed_filters[i if len(parsed_filters) > 1 else 0]
        if resource:
            spec.resource_ids = [r.strip() for r in resource.split(",") if r.strip()]
        if props:
            chosen = props[i if len(props) > 1 else 0]
            spec.properties = [p.strip().split(":")[-1] for p in chosen.split(",") if p.strip()]
        request.queries.append(spec)


def from_xml(body: bytes) -> WFSRequest:
    root = parse_xml(body, what="request")
    if namespace(root.tag) not in WFS_NAMESPACES:
        raise OwsError("OperationParsingFailed", "The XML request is not in the WFS namespace.")
    operation = local(root.tag)
    if operation not in OPERATIONS:
        raise OwsError(
            "OperationNotSupported", f"{operation} is not a WFS operation here.", locator="request"
        )
    version = parse_version(root.get("version"), operation, _accept_versions(root))
    request = WFSRequest(operation=operation, version=version)
    request.namespaces = {
        p: u
        for element in root.iter()
        if isinstance(element.tag, str)
        for p, u in element.nsmap.items()
        if p
    }
    if operation == "DescribeFeatureType":
        request.typenames = [(e.text or "").strip() for e in root if local(e.tag) == "TypeName"]
        check_typename_count(request.typenames, "typeNames")
        request.output_raw = root.get("outputFormat")
    elif operation == "DescribeStoredQueries":
        request.stored_query_ids = [
            (e.text or "").strip() for e in root if local(e.tag) == "StoredQueryId"
        ]
        check_typename_count(request.stored_query_ids, "StoredQueryId")
    elif operation in ("GetFeature", "GetPropertyValue"):
        read_getfeature_xml(request, root)
        request.value_reference = root.get("valueReference")
    return request


def _accept_versions(root: etree._Element) -> str | None:
    versions = [(e.text or "").strip() for e in root.iter() if local(str(e.tag)) == "Version"]
    return ",".join(versions) or None


def read_getfeature_xml(request: WFSRequest, root: etree._Element) -> None:
    read_result_options(request, root.get)
    for element in root:
        if not isinstance(element.tag, str):
            continue
        name = local(element.tag)
        if name == "StoredQuery":
            request.stored_query_id = element.get("id") or element.get("storedQueryId")
            request.stored_query_params = {
                (p.get("name") or "").upper(): (p.text or "").strip()
                for p in element
                if isinstance(p.tag, str) and local(p.tag) == "Parameter"
            }
            request.queries.append(QuerySpec(typenames=[]))
        elif name == "Query":
            request.queries.append(query_from_xml(element))
    if not request.queries:
        raise missing("Query")
    check_typename_count(request.queries, "Query")


def query_from_xml(element: etree._Element) -> QuerySpec:
    names = (element.get("typeNames") or element.get("typeName") or "").replace(",", " ").split()
    if not names:
        raise missing("typeNames")
    spec = QuerySpec(typenames=names[:1], srs_name=element.get("srsName"))
    props = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = local(child.tag)
        if name == "Filter":
            spec.filter = child
        elif name in ("PropertyName", "ValueReference"):
            props.append((child.text or "").strip().split(":")[-1])
        elif name == "SortBy":
            for prop in child.iter():
                if isinstance(prop.tag, str) and local(prop.tag) == "SortProperty":
                    ref = next(
                        (
                            c.text
                            for c in prop
                            if local(str(c.tag)) in ("ValueReference", "PropertyName")
                        ),
                        "",
                    )
                    order = next((c.text for c in prop if local(str(c.tag)) == "SortOrder"), "ASC")
                    spec.sortby.append(
                        ((ref or "").strip(), (order or "").strip().upper().startswith("D"))
                    )
    if props:
        spec.properties = props
    return spec
