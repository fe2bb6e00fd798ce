"""GML 3.2 (and GML 2 ``coordinates``) surfaces -> GEOS polygons, axis order from the srsName.

Only the edges of the portal know about axis order: here the srsName's *form* decides
(``layers.crs.parse_crs``), coordinates are put into x = easting order, and the caller transforms
to EPSG:2180.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.geos import LinearRing, MultiPolygon, Polygon
from lxml import etree

from layers.crs import CRSIdentifierError, CrsRef, parse_crs
from plans.ingest.report import IngestError

GML_NAMESPACES = ("http://www.opengis.net/gml/3.2", "http://www.opengis.net/gml")
SURFACE_TAGS = {"Polygon", "MultiSurface", "Surface", "MultiPolygon", "CompositeSurface"}
NON_SURFACE_TAGS = {"Point", "MultiPoint", "LineString", "MultiCurve", "Curve", "MultiLineString"}


class GeometryError(IngestError):
    pass


@dataclass
class SourceGeometry:
    geom: MultiPolygon  # in the source CRS, x = easting
    crs: CrsRef
    srs_name: str


def local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def namespace(tag: object) -> str:
    return etree.QName(tag).namespace or "" if isinstance(tag, str) else ""


def _srs_name(element: etree._Element, inherited: str | None) -> str | None:
    node = element
    while node is not None:
        if value := node.get("srsName"):
            return value
        node = node.getparent()
    return inherited


def _dimension(element: etree._Element) -> int:
    node = element
    while node is not None:
        if value := node.get("srsDimension"):
            return int(value)
        node = node.getparent()
    return 2


def _numbers(text: str | None) -> list[float]:
    try:
        return [float(v) for v in (text or "").split()]
    except ValueError as exc:
        raise GeometryError(
            f"a coordinate is not a number: {exc}", rule="geometry.coordinates"
        ) from exc


def _ring_coords(ring: etree._Element, crs: CrsRef) -> list[tuple[float, float]]:
    pairs: list[tuple[float, float]] = []
    for node in ring.iter():
        name = local(node.tag)
        if name == "posList":
            dim = int(node.get("srsDimension") or _dimension(node))
            values = _numbers(node.text)
            if len(values) % dim:
                raise GeometryError(
                    "a posList has an odd number of values", rule="geometry.coordinates"
                )
            pairs += [crs.to_xy(values[i], values[i + 1]) for i in range(0, len(values), dim)]
        elif name == "pos":
            values = _numbers(node.text)
            pairs.append(crs.to_xy(values[0], values[1]))
        elif name == "coordinates":  # GML 2: "a,b a,b"; always x,y per GML 2
            for chunk in (node.text or "").split():
                a, b = (float(v) for v in chunk.split(",")[:2])
                pairs.append(crs.to_xy(a, b))
        elif name in {"Arc", "ArcString", "Circle", "CircleByCenterPoint", "ArcByCenterPoint"}:
            raise GeometryError(
                f"curved segments ({name}) are not supported; densify them first",
                rule="geometry.unsupported",
            )
    if len(pairs) < 4:
        raise GeometryError("a ring has fewer than 4 positions", rule="geometry.invalid")
    if pairs[0] != pairs[-1]:
        raise GeometryError("a ring is not closed", rule="geometry.invalid")
    return pairs


def _polygons(element: etree._Element, crs: CrsRef, srid: int) -> list[Polygon]:
    polygons = []
    for node in element.iter():
        if local(node.tag) not in {"Polygon", "PolygonPatch"}:
            continue
        rings = []
        for child in node:
            if local(child.tag) in {"exterior", "outerBoundaryIs"}:
                rings.insert(0, LinearRing(_ring_coords(child, crs)))
            elif local(child.tag) in {"interior", "innerBoundaryIs"}:
                rings.append(LinearRing(_ring_coords(child, crs)))
        if not rings:
            raise GeometryError("a polygon has no exterior ring", rule="geometry.invalid")
        polygons.append(Polygon(*rings, srid=srid))
    return polygons


def find_geometry_element(prop: etree._Element) -> etree._Element | None:
    for child in prop:
        if namespace(child.tag) in GML_NAMESPACES:
            return child
    return None


def read_surface(prop: etree._Element, *, default_srs: str | None = None) -> SourceGeometry:
    """The polygons of a geometry property element (e.g. ``app:geometria``) as one MultiPolygon."""
    element = find_geometry_element(prop)
    if element is None:
        raise GeometryError("the geometry property holds no GML geometry", rule="geometry.missing")
    name = local(element.tag)
    if name in NON_SURFACE_TAGS:
        raise GeometryError(f"a {name} where a surface is required", rule="geometry.type")
    if name not in SURFACE_TAGS:
        raise GeometryError(f"unsupported GML geometry {name}", rule="geometry.unsupported")
    srs_name = _srs_name(element, default_srs)
    if not srs_name:
        raise GeometryError("the geometry has no srsName", rule="crs.missing")
    try:
        crs = parse_crs(srs_name)
    except CRSIdentifierError as exc:
        raise GeometryError(str(exc), rule="crs.unknown") from exc
    polygons = _polygons(element, crs, crs.srid)
    if not polygons:
        raise GeometryError("the surface has no polygons", rule="geometry.empty")
    return SourceGeometry(geom=MultiPolygon(*polygons, srid=crs.srid), crs=crs, srs_name=srs_name)
