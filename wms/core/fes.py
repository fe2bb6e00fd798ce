"""FES 2.0 (and OGC Filter 1.1) filters -> a parameterised SQL condition for one feature type.

Nothing from the request is ever put into the SQL text: property names are looked up in the feature
type (their SQL comes from featuretypes.py), literals become parameters after conversion to the
property's type.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from lxml import etree

from layers.crs import CrsRef
from layers.xmlparse import local
from wms.core.featuretypes import GEOMETRY, STORAGE_SRID, FeatureType, Prop
from wms.core.gml_literals import parse_geometry
from wms.core.ows_errors import OwsError

COMPARISONS = {
    "PropertyIsEqualTo": "=",
    "PropertyIsNotEqualTo": "<>",
    "PropertyIsLessThan": "<",
    "PropertyIsGreaterThan": ">",
    "PropertyIsLessThanOrEqualTo": "<=",
    "PropertyIsGreaterThanOrEqualTo": ">=",
}
SPATIAL = {
    "BBOX": "ST_Intersects({g}, {x})",
    "Intersects": "ST_Intersects({g}, {x})",
    "Disjoint": "NOT ST_Intersects({g}, {x})",
    "Within": "ST_Within({g}, {x})",
    "Contains": "ST_Contains({g}, {x})",
    "Overlaps": "ST_Overlaps({g}, {x})",
    "Touches": "ST_Touches({g}, {x})",
    "Crosses": "ST_Crosses({g}, {x})",
    "Equals": "ST_Equals({g}, {x})",
    "DWithin": "ST_DWithin({g}, {x}, %s)",
    "Beyond": "NOT ST_DWithin({g}, {x}, %s)",
}
CONFORMANCE = {
    "ImplementsQuery": True,
    "ImplementsAdHocQuery": True,
    "ImplementsFunctions": False,
    "ImplementsResourceId": True,
    "ImplementsMinStandardFilter": True,
    "ImplementsStandardFilter": True,
    "ImplementsMinSpatialFilter": True,
    "ImplementsSpatialFilter": True,
    "ImplementsMinTemporalFilter": False,
    "ImplementsTemporalFilter": False,
    "ImplementsVersionNav": False,
    "ImplementsSorting": True,
    "ImplementsExtendedOperators": False,
    "ImplementsMinimumXPath": True,
    "ImplementsSchemaElementFunc": False,
}
UNITS = {
    "m": 1.0,
    "meter": 1.0,
    "metre": 1.0,
    "meters": 1.0,
    "urn:ogc:def:uom:EPSG::9001": 1.0,
    "km": 1000.0,
    "kilometer": 1000.0,
    "urn:ogc:def:uom:EPSG::9036": 1000.0,
}
MAX_LITERAL = 1000


def _fail(message: str, code: str = "InvalidParameterValue") -> OwsError:
    return OwsError(code, message, locator="filter")


@dataclass
class Condition:
    sql: str
    params: list = field(default_factory=list)


def children(element: etree._Element) -> list[etree._Element]:
    return [c for c in element if isinstance(c.tag, str)]


def property_name(text: str | None) -> str:
    """``gmina-a:dzialki/gmina-a:numer``, ``./numer``, ``numer`` -> ``numer``."""
    path = (text or "").strip()
    step = path.rstrip("/").rsplit("/", 1)[-1]
    step = step.split(":", 1)[-1]
    return step.lstrip("@")


def convert(prop: Prop, text: str):
    """A literal as the property's type (a parameter), or InvalidParameterValue."""
    if len(text) > MAX_LITERAL:
        raise _fail(f"The literal for {prop.name} is longer than {MAX_LITERAL} characters.")
    try:
        if prop.xsd == "integer":
            return int(text.strip())
        if prop.xsd == "double":
            value = float(text.strip())
            if not math.isfinite(value):
                raise ValueError(text)
            return value
        if prop.xsd == "date":
            return dt.date.fromisoformat(text.strip()[:10])
        if prop.xsd == "dateTime":
            return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise _fail(
            f"{text[:60]!r} is not a valid {prop.xsd} value for property {prop.name}."
        ) from exc
    return text


class Compiler:
    def __init__(self, ftype: FeatureType, default_crs: CrsRef) -> None:
        self.ftype = ftype
        self.default_crs = default_crs

    def prop(self, element: etree._Element) -> Prop:
        name = property_name(element.text)
        prop = self.ftype.prop(name)
        if prop is None:
            raise _fail(f"The feature type {self.ftype.name} has no property {name!r}.")
        return prop

    def compile(self, element: etree._Element) -> Condition:
        name = local(element.tag)
        if name == "Filter":
            parts = children(element)
            if not parts:
                raise _fail("The filter is empty.", "OperationParsingFailed")
            if all(local(p.tag) in ("ResourceId", "FeatureId", "GmlObjectId") for p in parts):
                return self.resource_ids(parts)
            if len(parts) != 1:
                raise _fail("A filter holds exactly one predicate.", "OperationParsingFailed")
            return self.compile(parts[0])
        if name in ("And", "Or"):
            parts = [self.compile(c) for c in children(element)]
            if len(parts) < 2:
                raise _fail(f"{name} needs at least two operands.", "OperationParsingFailed")
            joiner = f" {name.upper()} "
            return Condition(
                "(" + joiner.join(p.sql for p in parts) + ")", [x for p in parts for x in p.params]
            )
        if name == "Not":
            parts = children(element)
            if len(parts) != 1:
                raise _fail("Not needs one operand.", "OperationParsingFailed")
            inner = self.compile(parts[0])
            return Condition(f"(NOT {inner.sql})", inner.params)
        if name in COMPARISONS:
            return self.comparison(element, COMPARISONS[name])
        if name == "PropertyIsLike":
            return self.like(element)
        if name in ("PropertyIsNull", "PropertyIsNil"):
            prop = self.prop(self.one(element, ("ValueReference", "PropertyName")))
            return Condition(f"({prop.sql}) IS NULL")
        if name == "PropertyIsBetween":
            return self.between(element)
        if name in SPATIAL:
            return self.spatial(element, name)
        if name in ("ResourceId", "FeatureId", "GmlObjectId"):
            return self.resource_ids([element])
        raise _fail(f"The filter operator {name} is not supported.", "OperationParsingFailed")

    def one(self, element: etree._Element, names: tuple[str, ...]) -> etree._Element:
        for child in children(element):
            if local(child.tag) in names:
                return child
        raise _fail(f"{local(element.tag)} needs a {names[0]}.", "OperationParsingFailed")

    def comparison(self, element: etree._Element, op: str) -> Condition:
        parts = children(element)
        refs = [p for p in parts if local(p.tag) in ("ValueReference", "PropertyName")]
        lits = [p for p in parts if local(p.tag) == "Literal"]
        if len(parts) != 2 or len(refs) != 1 or len(lits) != 1:
            raise _fail(
                f"{local(element.tag)} compares one property with one literal.",
                "OperationParsingFailed",
            )
        prop = self.prop(refs[0])
        if parts[0] is lits[0]:  # literal first: mirror the operator
            op = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
        value = convert(prop, lits[0].text or "")
        if prop.xsd == "string" and element.get("matchCase", "true").lower() == "false":
            return Condition(f"lower({prop.sql}) {op} lower(%s)", [value])
        return Condition(f"({prop.sql}) {op} %s", [value])

    def like(self, element: etree._Element) -> Condition:
        prop = self.prop(self.one(element, ("ValueReference", "PropertyName")))
        literal = self.one(element, ("Literal",)).text or ""
        if len(literal) > MAX_LITERAL:
            raise _fail(f"The pattern is longer than {MAX_LITERAL} characters.")
        wild = element.get("wildCard", "*")
        single = element.get("singleChar", element.get("singleChar", "?"))
        escape = element.get("escapeChar", element.get("escape", "\\"))
        out, chars = [], iter(literal)
        for ch in chars:
            if ch == escape:
                nxt = next(chars, "")
                out.append("\\" + nxt if nxt in "%_\\" else nxt)
            elif ch == wild:
                out.append("%")
            elif ch == single:
                out.append("_")
            elif ch in "%_\\":
                out.append("\\" + ch)
            else:
                out.append(ch)
        op = "ILIKE" if element.get("matchCase", "true").lower() == "false" else "LIKE"
        return Condition(f"(({prop.sql})::text {op} %s ESCAPE '\\')", ["".join(out)])

    def between(self, element: etree._Element) -> Condition:
        prop = self.prop(self.one(element, ("ValueReference", "PropertyName")))
        bounds = []
        for tag in ("LowerBoundary", "UpperBoundary"):
            boundary = self.one(element, (tag,))
            bounds.append(convert(prop, self.one(boundary, ("Literal",)).text or ""))
        return Condition(f"(({prop.sql}) BETWEEN %s AND %s)", bounds)

    def geometry_sql(self, element: etree._Element) -> Condition:
        literal = parse_geometry(element, self.default_crs)
        if literal.crs.srid == STORAGE_SRID:
            return Condition("ST_GeomFromText(%s, 2180)", [literal.wkt])
        return Condition(
            "ST_Transform(ST_GeomFromText(%s, %s), 2180)", [literal.wkt, literal.crs.srid]
        )

    def spatial(self, element: etree._Element, name: str) -> Condition:
        parts = children(element)
        refs = [p for p in parts if local(p.tag) in ("ValueReference", "PropertyName")]
        geoms = [
            p for p in parts if local(p.tag) not in ("ValueReference", "PropertyName", "Distance")
        ]
        if refs and property_name(refs[0].text) != GEOMETRY:
            raise _fail(
                f"{property_name(refs[0].text)!r} is not a geometry property "
                f"(the geometry of {self.ftype.name} is {GEOMETRY!r})."
            )
        if len(geoms) != 1:
            raise _fail(f"{name} needs one geometry.", "OperationParsingFailed")
        literal = self.geometry_sql(geoms[0])
        sql = SPATIAL[name].format(g=self.ftype.spec.geom_sql, x=literal.sql)
        params = list(literal.params)
        if name in ("DWithin", "Beyond"):
            distance = self.one(element, ("Distance",))
            unit = distance.get("uom", "m")
            if unit not in UNITS:
                raise _fail(f"Distance unit {unit!r} is not supported (m, km).")
            try:
                value = float((distance.text or "").strip()) * UNITS[unit]
            except ValueError as exc:
                raise _fail("Distance must be a number.") from exc
            if not math.isfinite(value) or value < 0:
                raise _fail("Distance must be a non-negative number.")
            params.append(value)
        return Condition(f"({sql})", params)

    def resource_ids(self, elements: list[etree._Element]) -> Condition:
        ids = []
        for element in elements:
            rid = (
                element.get("rid")
                or element.get("fid")
                or element.get("{http://www.opengis.net/gml}id")
                or element.get("{http://www.opengis.net/gml/3.2}id")
                or ""
            )
            pk = feature_pk(self.ftype, rid)
            if pk is not None:
                ids.append(pk)
        if not ids:
            return Condition("FALSE")
        return Condition(f"{self.ftype.spec.id_sql} = ANY(%s)", [ids])


def feature_pk(ftype: FeatureType, rid: str) -> int | None:
    """``dzialki.12`` -> 12 when the id belongs to this type; None otherwise."""
    head, _, tail = rid.strip().rpartition(".")
    if head != ftype.local_name or not tail.isdigit() or len(tail) > 18:
        return None
    return int(tail)


def compile_filter(root: etree._Element, ftype: FeatureType, default_crs: CrsRef) -> Condition:
    return Compiler(ftype, default_crs).compile(root)
