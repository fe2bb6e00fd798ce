"""GML geometry -> positions in x = easting order: the one reader of GML coordinates.

Used by plan and cadastre ingest (``read_surface``: a geometry property as a GEOS MultiPolygon in
its source CRS) and by the WFS filters (wms/core/gml_literals.py: any geometry literal as WKT).
Reads GML 3.2 and 3.1.1 (``posList``, ``pos``) and GML 2 (``coordinates``, ``coord``); the
srsName's *form* decides the axis order (``layers.crs.parse_crs``). Every problem is a
``GmlGeometryError`` carrying a rule code; each edge adds its context: ingest the file, feature
and line of its report, the WFS an InvalidParameterValue of its filter.
``decorate_gml`` is the way back: srsName and gml:ids on the GML that PostGIS writes.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.gis.geos import LinearRing, MultiPolygon, Polygon
from django.utils.translation import gettext_noop as _
from lxml import etree

from layers.crs import CRSIdentifierError, CrsRef, parse_crs
from layers.messages import Message, as_message, problem
from layers.xmlparse import local, namespace

GML_NAMESPACES = ("http://www.opengis.net/gml/3.2", "http://www.opengis.net/gml")
SURFACE_TAGS = {"Polygon", "MultiSurface", "Surface", "MultiPolygon", "CompositeSurface"}
NON_SURFACE_TAGS = {"Point", "MultiPoint", "LineString", "MultiCurve", "Curve", "MultiLineString"}
CURVED_SEGMENTS = {"Arc", "ArcString", "Circle", "CircleByCenterPoint", "ArcByCenterPoint"}
EXTERIOR = ("exterior", "outerBoundaryIs")
INTERIOR = ("interior", "innerBoundaryIs")

Position = tuple[float, float]
GEOM_TAG = re.compile(
    r"<gml:(MultiSurface|MultiPolygon|Polygon|Surface|Point|LineString|Curve|MultiCurve|MultiPoint)(?=[ >])"
)
MULTI_SURFACE = "<gml:MultiSurface>"


class GmlGeometryError(ValueError):
    """A GML geometry that cannot be read: ``message`` and ``rule`` (e.g. ``geometry.invalid``)."""

    def __init__(self, message: str | Message, *, rule: str = "geometry.invalid") -> None:
        self.text = as_message(message)  # translated when shown
        super().__init__(str(self.text))
        self.message = str(self.text)
        self.rule = rule


@dataclass
class SourceGeometry:
    geom: MultiPolygon  # in the source CRS, x = easting
    crs: CrsRef
    srs_name: str


def srs_name_of(element: etree._Element, *, stop: Collection[str] = ()) -> str | None:
    """The srsName of ``element`` or its nearest ancestor below one named in ``stop``."""
    node = element
    while node is not None:
        if value := node.get("srsName"):
            return value
        node = node.getparent()
        if node is not None and local(node.tag) in stop:
            return None
    return None


def crs_named(srs_name: str) -> CrsRef:
    try:
        return parse_crs(srs_name)
    except CRSIdentifierError as exc:
        raise GmlGeometryError(str(exc), rule="crs.unknown") from exc


def _dimension(element: etree._Element) -> int:
    node = element
    while node is not None:
        if value := node.get("srsDimension"):
            try:
                return int(value)
            except ValueError as exc:
                raise GmlGeometryError(
                    problem(_("srsDimension is not a number")), rule="geometry.coordinates"
                ) from exc
        node = node.getparent()
    return 2


def numbers(text: str | None, what: str, *, limit: int | None = None) -> list[float]:
    """The finite numbers of a coordinate text (separated by blanks or commas)."""
    try:
        values = [float(v) for v in (text or "").replace(",", " ").split()]
    except ValueError as exc:
        raise GmlGeometryError(
            problem(_("%(what)s: coordinates must be numbers"), what=what),
            rule="geometry.coordinates",
        ) from exc
    if limit is not None and len(values) > limit:
        raise GmlGeometryError(
            problem(_("%(what)s: more than %(limit)s coordinates"), what=what, limit=limit),
            rule="geometry.coordinates",
        )
    if not all(math.isfinite(v) for v in values):
        raise GmlGeometryError(
            problem(_("%(what)s: coordinates must be finite numbers"), what=what),
            rule="geometry.coordinates",
        )
    return values


def _pairs(values: list[float], what: str, *, step: int = 2) -> list[tuple[float, float]]:
    if len(values) < 2 or len(values) % step:
        raise GmlGeometryError(
            problem(_("%(what)s: the number of values does not fit the dimension"), what=what),
            rule="geometry.coordinates",
        )
    return [(values[i], values[i + 1]) for i in range(0, len(values), step)]


def _position_pairs(node: etree._Element, name: str, limit: int | None) -> list[Position]:
    if name == "posList":
        dim = _dimension(node)
        if dim not in (2, 3):
            raise GmlGeometryError(
                problem(_("posList: srsDimension must be 2 or 3")), rule="geometry.coordinates"
            )
        return _pairs(numbers(node.text, name, limit=limit), name, step=dim)
    if name == "pos":
        return _pairs(numbers(node.text, name, limit=limit)[:2], name)
    if name == "coordinates":  # GML 2: "x,y x,y"
        return [_pairs(numbers(p, name)[:2], name)[0] for p in (node.text or "").split()]
    # GML 2 coord: <X>, <Y>
    return _pairs(numbers(" ".join(c.text or "" for c in node), name)[:2], name)


def positions(element: etree._Element, crs: CrsRef, *, limit: int | None = None) -> list[Position]:
    """Every position under ``element``, in document order and x = easting order."""
    found: list[Position] = []
    for node in element.iter():
        name = local(node.tag)
        if name in ("posList", "pos", "coordinates", "coord"):
            found += [crs.to_xy(a, b) for a, b in _position_pairs(node, name, limit)]
        elif name in CURVED_SEGMENTS:
            raise GmlGeometryError(
                problem(
                    _("curved segments (%(name)s) are not supported; densify them first"),
                    name=name,
                ),
                rule="geometry.unsupported",
            )
    return found


def ring(element: etree._Element, crs: CrsRef, *, limit: int | None = None) -> list[Position]:
    """The closed ring under a boundary element (exterior, interior, …)."""
    points = positions(element, crs, limit=limit)
    if len(points) < 4:
        raise GmlGeometryError(
            problem(_("a ring has fewer than 4 positions")), rule="geometry.invalid"
        )
    if points[0] != points[-1]:
        raise GmlGeometryError(problem(_("a ring is not closed")), rule="geometry.invalid")
    return points


def polygon_rings(
    polygon: etree._Element, crs: CrsRef, *, limit: int | None = None
) -> list[list[Position]]:
    """The rings of a Polygon (or PolygonPatch), the exterior first."""
    exterior = [ring(c, crs, limit=limit) for c in polygon if local(c.tag) in EXTERIOR]
    interior = [ring(c, crs, limit=limit) for c in polygon if local(c.tag) in INTERIOR]
    if not exterior:
        raise GmlGeometryError(
            problem(_("a polygon has no exterior ring")), rule="geometry.invalid"
        )
    return exterior + interior


def polygon_elements(element: etree._Element) -> list[etree._Element]:
    """The Polygon and PolygonPatch elements at or under ``element``."""
    return [node for node in element.iter() if local(node.tag) in ("Polygon", "PolygonPatch")]


def find_geometry_element(prop: etree._Element) -> etree._Element | None:
    for child in prop:
        if namespace(child.tag) in GML_NAMESPACES:
            return child
    return None


def read_surface(prop: etree._Element, *, default_srs: str | None = None) -> SourceGeometry:
    """The polygons of a geometry property element (e.g. ``app:geometria``) as one MultiPolygon."""
    element = find_geometry_element(prop)
    if element is None:
        raise GmlGeometryError(
            problem(_("the geometry property holds no GML geometry")), rule="geometry.missing"
        )
    name = local(element.tag)
    if name in NON_SURFACE_TAGS:
        raise GmlGeometryError(
            problem(_("a %(name)s where a surface is required"), name=name), rule="geometry.type"
        )
    if name not in SURFACE_TAGS:
        raise GmlGeometryError(
            problem(_("unsupported GML geometry %(name)s"), name=name), rule="geometry.unsupported"
        )
    srs_name = srs_name_of(element) or default_srs
    if not srs_name:
        raise GmlGeometryError(problem(_("the geometry has no srsName")), rule="crs.missing")
    crs = crs_named(srs_name)
    polygons = [
        Polygon(*(LinearRing(r) for r in polygon_rings(p, crs)), srid=crs.srid)
        for p in polygon_elements(element)
    ]
    if not polygons:
        raise GmlGeometryError(problem(_("the surface has no polygons")), rule="geometry.empty")
    return SourceGeometry(geom=MultiPolygon(*polygons, srid=crs.srid), crs=crs, srs_name=srs_name)


def decorate_gml(gml: str, *, srs_name: str, fid: str | None, all_ids: bool = False) -> str:
    """srsName and gml:id on the outer geometry (and with ``all_ids`` on every geometry element).

    PostGIS writes the geometry without attributes; a MultiSurface (every stored geometry) gets its
    attributes by slicing, without a regular expression per feature.
    """
    if not all_ids and gml.startswith(MULTI_SURFACE):
        ident = f' gml:id="{fid}.g"' if fid else ""
        return (
            f'<gml:MultiSurface srsName="{srs_name}" srsDimension="2"{ident}>'
            + gml[len(MULTI_SURFACE) :]
        )
    counter = itertools.count()

    def add(match: re.Match) -> str:
        n = next(counter)
        attrs = f' srsName="{srs_name}" srsDimension="2"' if n == 0 else ""
        if fid:
            attrs += f' gml:id="{fid}.g{n}"'
        return f"<gml:{match.group(1)}{attrs}"

    return GEOM_TAG.sub(add, gml)
