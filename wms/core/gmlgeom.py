"""GML geometry literals of filters (GML 3.1.1 and 3.2) -> WKT in x,y order and the CRS they use.

Axis order follows the srsName form (layers.crs.parse_crs); the WKT always has x = easting/longitude.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lxml import etree

from layers.crs import CRSIdentifierError, CrsRef, parse_crs
from wms.core.extent import range_text, within_range
from wms.core.ows_errors import OwsError
from wms.core.xmlsafe import local

MAX_COORDINATES = 200_000


@dataclass(frozen=True)
class GeometryLiteral:
    wkt: str
    crs: CrsRef


def _fail(message: str) -> OwsError:
    return OwsError("InvalidParameterValue", message, locator="filter")


def crs_of(element: etree._Element, default: CrsRef) -> CrsRef:
    node = element
    while node is not None:
        srs = node.get("srsName")
        if srs:
            try:
                return parse_crs(srs)
            except CRSIdentifierError as exc:
                raise _fail(str(exc)) from exc
        node = node.getparent()
        if node is not None and local(node.tag) in ("Filter", "BBOX", "Intersects"):
            break
    return default


def _numbers(text: str | None, what: str) -> list[float]:
    try:
        values = [float(v) for v in (text or "").replace(",", " ").split()]
    except ValueError as exc:
        raise _fail(f"{what}: coordinates must be numbers") from exc
    if len(values) > MAX_COORDINATES:
        raise _fail(f"{what}: more than {MAX_COORDINATES} coordinates")
    if not all(math.isfinite(v) for v in values):
        raise _fail(f"{what}: coordinates must be finite numbers")
    return values


def _points(element: etree._Element, crs: CrsRef) -> list[tuple[float, float]]:
    """Positions of a Point/LineString/LinearRing/Envelope element, as (x, y)."""
    pts: list[tuple[float, float]] = []
    for child in element.iter():
        if not isinstance(child.tag, str):
            continue
        name = local(child.tag)
        if name == "posList":
            dim = int(child.get("srsDimension") or element.get("srsDimension") or 2)
            values = _numbers(child.text, "posList")
            if dim not in (2, 3) or len(values) % dim:
                raise _fail("posList: the number of values does not fit srsDimension")
            pts.extend(crs.to_xy(values[i], values[i + 1]) for i in range(0, len(values), dim))
        elif name == "pos":
            values = _numbers(child.text, "pos")
            if len(values) < 2:
                raise _fail("pos needs two coordinates")
            pts.append(crs.to_xy(values[0], values[1]))
        elif name == "coordinates":
            for pair in (child.text or "").split():
                values = _numbers(pair, "coordinates")
                if len(values) < 2:
                    raise _fail("coordinates need two values per position")
                pts.append(crs.to_xy(values[0], values[1]))
        elif name == "coord":
            values = _numbers(" ".join(c.text or "" for c in child), "coord")
            if len(values) < 2:
                raise _fail("coord needs X and Y")
            pts.append(crs.to_xy(values[0], values[1]))
    if not pts:
        raise _fail(f"{local(element.tag)} has no coordinates")
    _check_range(pts, crs)
    return pts


def _check_range(points: list[tuple[float, float]], crs: CrsRef) -> None:
    """Every position within the CRS's accepted range (wms/core/extent.py): nothing huge reaches PostGIS."""
    xs = [x for x, _y in points]
    ys = [y for _x, y in points]
    if not within_range(bbox=(min(xs), min(ys), max(xs), max(ys)), srid=crs.srid):
        raise _fail(f"coordinates far outside {crs.code} (accepted: {range_text(crs.srid)})")


def _ring(points: list[tuple[float, float]]) -> str:
    if len(points) < 4 or points[0] != points[-1]:
        raise _fail("a polygon ring must be closed and have at least 4 positions")
    return "(" + ",".join(f"{x!r} {y!r}" for x, y in points) + ")"


def _polygon(element: etree._Element, crs: CrsRef) -> str:
    rings = []
    for child in element:
        if isinstance(child.tag, str) and local(child.tag) in (
            "exterior",
            "interior",
            "outerBoundaryIs",
            "innerBoundaryIs",
        ):
            ring = next((c for c in child if isinstance(c.tag, str)), None)
            if ring is None:
                raise _fail("empty polygon boundary")
            rings.append(_ring(_points(ring, crs)))
    if not rings:
        raise _fail("a polygon needs an exterior ring")
    return "(" + ",".join(rings) + ")"


def _members(element: etree._Element, kinds: tuple[str, ...]) -> list[etree._Element]:
    return [
        node
        for node in element.iter()
        if node is not element and isinstance(node.tag, str) and local(node.tag) in kinds
    ]


def to_wkt(element: etree._Element, crs: CrsRef) -> str:
    name = local(element.tag)
    if name in ("Envelope", "Box"):
        corners = []
        for child in element:
            if isinstance(child.tag, str) and local(child.tag) in ("lowerCorner", "upperCorner"):
                corners.append(_numbers(child.text, local(child.tag))[:2])
        if len(corners) == 2:
            (x0, y0), (x1, y1) = crs.to_xy(*corners[0]), crs.to_xy(*corners[1])
            _check_range([(x0, y0), (x1, y1)], crs)
        else:
            pts = _points(element, crs)
            if len(pts) != 2:
                raise _fail("an Envelope needs lowerCorner and upperCorner")
            (x0, y0), (x1, y1) = pts
        if x0 > x1 or y0 > y1:
            raise _fail("Envelope: lowerCorner must be below and left of upperCorner")
        return f"POLYGON(({x0!r} {y0!r},{x1!r} {y0!r},{x1!r} {y1!r},{x0!r} {y1!r},{x0!r} {y0!r}))"
    if name == "Point":
        x, y = _points(element, crs)[0]
        return f"POINT({x!r} {y!r})"
    if name in ("LineString", "Curve"):
        pts = _points(element, crs)
        if len(pts) < 2:
            raise _fail("a line needs at least 2 positions")
        return "LINESTRING(" + ",".join(f"{x!r} {y!r}" for x, y in pts) + ")"
    if name in ("Polygon", "Surface"):
        return "POLYGON" + _polygon(element, crs)
    if name in ("MultiSurface", "MultiPolygon"):
        polys = [_polygon(p, crs) for p in _members(element, ("Polygon",))]
        if not polys:
            raise _fail(f"{name} has no polygons")
        return "MULTIPOLYGON(" + ",".join(polys) + ")"
    if name in ("MultiCurve", "MultiLineString"):
        lines = [to_wkt(m, crs)[10:] for m in _members(element, ("LineString",))]
        return "MULTILINESTRING(" + ",".join(lines) + ")"
    if name == "MultiPoint":
        pts = [to_wkt(m, crs)[5:] for m in _members(element, ("Point",))]
        return "MULTIPOINT(" + ",".join(pts) + ")"
    raise _fail(f"geometry type {name} is not supported in filters")


def parse_geometry(element: etree._Element, default: CrsRef) -> GeometryLiteral:
    crs = crs_of(element, default)
    return GeometryLiteral(wkt=to_wkt(element, crs), crs=crs)
