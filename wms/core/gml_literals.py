"""GML geometry literals of filters (GML 3.1.1 and 3.2) -> WKT in x,y order and the CRS they use.

The coordinates are read by the one GML reader (layers/gml.py): axis order follows the srsName form
(layers.crs.parse_crs), the WKT always has x = easting/longitude. Every position must lie within the
CRS's accepted range (wms/core/extent.py), so nothing huge reaches PostGIS. Every problem is an
InvalidParameterValue of the filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from layers.crs import CrsRef
from layers.gml import (
    GmlGeometryError,
    Position,
    crs_named,
    numbers,
    polygon_elements,
    polygon_rings,
    positions,
    srs_name_of,
)
from layers.xmlparse import local
from wms.core.extent import range_text, within_range
from wms.core.ows_errors import OwsError

MAX_COORDINATES = 200_000
FILTER_OPERATORS = ("Filter", "BBOX", "Intersects")


@dataclass(frozen=True)
class GeometryLiteral:
    wkt: str
    crs: CrsRef


def parse_geometry(element: etree._Element, default: CrsRef) -> GeometryLiteral:
    try:
        srs_name = srs_name_of(element, stop=FILTER_OPERATORS)
        crs = crs_named(srs_name) if srs_name else default
        return GeometryLiteral(wkt=to_wkt(element, crs), crs=crs)
    except GmlGeometryError as exc:
        raise OwsError("InvalidParameterValue", exc.message, locator="filter") from exc


def _checked(points: list[Position], crs: CrsRef, what: str) -> list[Position]:
    if not points:
        raise GmlGeometryError(f"{what} has no coordinates")
    xs = [x for x, _y in points]
    ys = [y for _x, y in points]
    if not within_range(bbox=(min(xs), min(ys), max(xs), max(ys)), srid=crs.srid):
        raise GmlGeometryError(
            f"coordinates far outside {crs.code} (accepted: {range_text(crs.srid)})"
        )
    return points


def _points(element: etree._Element, crs: CrsRef) -> list[Position]:
    points = positions(element, crs, limit=MAX_COORDINATES)
    return _checked(points, crs, local(element.tag))


def _xy(points: list[Position]) -> str:
    return ",".join(f"{x!r} {y!r}" for x, y in points)


def _polygon(element: etree._Element, crs: CrsRef) -> str:
    rings = polygon_rings(element, crs, limit=MAX_COORDINATES)
    return "(" + ",".join(f"({_xy(_checked(r, crs, 'ring'))})" for r in rings) + ")"


def _envelope(element: etree._Element, crs: CrsRef) -> str:
    corners = [
        numbers(c.text, local(c.tag))[:2]
        for c in element
        if local(c.tag) in ("lowerCorner", "upperCorner")
    ]
    if len(corners) == 2 and all(len(c) == 2 for c in corners):
        pts = _checked([crs.to_xy(*corners[0]), crs.to_xy(*corners[1])], crs, "Envelope")
    else:
        pts = _points(element, crs)
    if len(pts) != 2:
        raise GmlGeometryError("an Envelope needs lowerCorner and upperCorner")
    (x0, y0), (x1, y1) = pts
    if x0 > x1 or y0 > y1:
        raise GmlGeometryError("Envelope: lowerCorner must be below and left of upperCorner")
    return f"POLYGON(({x0!r} {y0!r},{x1!r} {y0!r},{x1!r} {y1!r},{x0!r} {y1!r},{x0!r} {y0!r}))"


def _members(element: etree._Element, kind: str) -> list[etree._Element]:
    return [node for node in element.iter() if node is not element and local(node.tag) == kind]


def to_wkt(element: etree._Element, crs: CrsRef) -> str:
    name = local(element.tag)
    if name in ("Envelope", "Box"):
        return _envelope(element, crs)
    if name == "Point":
        x, y = _points(element, crs)[0]
        return f"POINT({x!r} {y!r})"
    if name in ("LineString", "Curve"):
        pts = _points(element, crs)
        if len(pts) < 2:
            raise GmlGeometryError("a line needs at least 2 positions")
        return f"LINESTRING({_xy(pts)})"
    if name in ("Polygon", "Surface", "MultiSurface", "MultiPolygon"):
        polys = [_polygon(p, crs) for p in polygon_elements(element)]
        if not polys:
            raise GmlGeometryError(f"{name} has no polygons")
        return f"POLYGON{polys[0]}" if name == "Polygon" else f"MULTIPOLYGON({','.join(polys)})"
    if name in ("MultiCurve", "MultiLineString"):
        lines = [to_wkt(m, crs)[10:] for m in _members(element, "LineString")]
        return "MULTILINESTRING(" + ",".join(lines) + ")"
    if name == "MultiPoint":
        pts = [to_wkt(m, crs)[5:] for m in _members(element, "Point")]
        return "MULTIPOINT(" + ",".join(pts) + ")"
    raise GmlGeometryError(f"geometry type {name} is not supported in filters")
