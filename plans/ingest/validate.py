"""The checks a plan must pass before it is written: geometry, topology, identifiers, POG rules.

Each finding names the file, the feature (designation or lokalnyId), the rule and where. Rule codes:

``geometry.invalid`` / ``geometry.repaired``, ``topology.overlap``, ``topology.gap``,
``zone.outside_plan``, ``plan.outside_municipality``, ``zone.duplicate_designation``,
``zone.duplicate_local_id``, ``zone.designation_symbol``, ``identifier.namespace``,
``identifier.version_id``, ``identifier.namespace_teryt``, ``pog.unknown_kind``,
``pog.symbol_kind_mismatch``, ``pog.designation_format``, ``pog.mandatory_parameter``,
``pog.parameter_precision``, ``pog.parameter_twice``, ``pog.basic_profile``.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.utils.translation import gettext_noop as _
from shapely import STRtree, from_wkb, make_valid, unary_union
from shapely.geometry.base import BaseGeometry

from layers.messages import Message, problem
from layers.models import Municipality
from plans.designations import designation_contains_symbol
from plans.ingest.drafts import PARAMETERS, PlanDraft, ZoneDraft
from plans.ingest.report import WARNING, Report, point_in_reason
from plans.models import NAMESPACE_RE, VERSION_ID_RE
from plans.pog import BASIC_PROFILES, PARAMETER_KINDS, POG_KINDS, REQUIRED_ONLY


def tolerance_m2() -> float:
    return float(settings.INGEST_TOPOLOGY_TOLERANCE_M2)


def _shape(geom: GEOSGeometry | None) -> BaseGeometry | None:
    return from_wkb(bytes(geom.wkb)) if geom is not None else None


def _to_geos(shape: BaseGeometry) -> MultiPolygon:
    geom = GEOSGeometry(memoryview(shape.wkb), srid=2180)
    if isinstance(geom, Polygon):
        return MultiPolygon(geom, srid=2180)
    if isinstance(geom, MultiPolygon):
        return geom
    return MultiPolygon(*[g for g in geom if isinstance(g, Polygon)], srid=2180)


def check_geometry(
    geom: MultiPolygon | None,
    report: Report,
    *,
    file: str,
    feature: str,
    where: str = "",
    repair: bool = False,
) -> MultiPolygon | None:
    if geom is None:
        return None
    if geom.empty:
        report.add(
            "geometry.empty",
            problem(_("the geometry is empty")),
            file=file,
            feature=feature,
            where=where,
        )
        return None
    if geom.valid:
        return geom
    reason = geom.valid_reason
    if not repair:
        report.add(
            "geometry.invalid",
            problem(_("invalid geometry: %(reason)s"), reason=reason),
            file=file,
            feature=feature,
            where=where,
            point=point_in_reason(reason),
        )
        return geom
    fixed = _to_geos(make_valid(_shape(geom)))
    report.add(
        "geometry.repaired",
        problem(
            _("invalid geometry (%(reason)s) repaired; area %(before).1f -> %(after).1f m²"),
            reason=reason,
            before=geom.area,
            after=fixed.area,
        ),
        file=file,
        feature=feature,
        where=where,
        severity=WARNING,
    )
    return fixed


def _check_identifiers(plan: PlanDraft, municipality: Municipality, report: Report) -> None:
    items = [(plan.label, plan.file, plan.namespace, plan.version_id, "")]
    items += [(z.label, z.file, z.namespace, z.version_id, z.where) for z in plan.zones]
    for label, file, namespace, version_id, where in items:
        if namespace and not re.match(NAMESPACE_RE, namespace):
            report.add(
                "identifier.namespace",
                problem(
                    _(
                        "przestrzenNazw '%(namespace)s' is not PL.ZIPPZP.<n>/<TERYT>-<MPZP|SUIKZP|POG|PZPW>"
                    ),
                    namespace=namespace,
                ),
                file=file,
                feature=label,
                where=where,
            )
        if version_id and not re.match(VERSION_ID_RE, version_id):
            report.add(
                "identifier.version_id",
                problem(_("wersjaId '%(version)s' is not yyyyMMddTHHmmss"), version=version_id),
                file=file,
                feature=label,
                where=where,
            )
    if plan.namespace and re.match(NAMESPACE_RE, plan.namespace):
        teryt = plan.namespace.split("/")[1][:6]
        if teryt != municipality.teryt[:6]:
            report.add(
                "identifier.namespace_teryt",
                problem(
                    _(
                        "przestrzenNazw names gmina %(teryt)s, but the import is into %(name)s (%(own)s)"
                    ),
                    teryt=teryt,
                    name=municipality.name,
                    own=municipality.teryt,
                ),
                file=plan.file,
                feature=plan.label,
            )


def _check_duplicates(plan: PlanDraft, report: Report) -> None:
    for attr, rule, text in (
        (
            "designation",
            "zone.duplicate_designation",
            _("designation '%(value)s' is used by %(count)s zones"),
        ),
        (
            "local_id",
            "zone.duplicate_local_id",
            _("lokalnyId '%(value)s' is used by %(count)s zones"),
        ),
    ):
        counts = Counter(getattr(z, attr) for z in plan.zones if getattr(z, attr))
        for zone in plan.zones:
            value = getattr(zone, attr)
            if value and counts[value] > 1:
                report.add(
                    rule,
                    problem(text, value=value, count=counts[value]),
                    file=zone.file,
                    feature=zone.label,
                    where=zone.where,
                )


def _decimals(text: str) -> int:
    try:
        exponent = Decimal(text.strip()).normalize().as_tuple().exponent
    except InvalidOperation:
        return 0
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _check_pog_zone(zone: ZoneDraft, report: Report) -> None:
    def add(rule: str, message: Message) -> None:
        report.add(rule, message, file=zone.file, feature=zone.label, where=zone.where)

    kind = POG_KINDS.get(zone.kind_code)
    if zone.symbol not in set(POG_KINDS.values()):
        add(
            "pog.unknown_kind",
            problem(_("symbol '%(symbol)s' is none of the 13 POG zone kinds"), symbol=zone.symbol),
        )
        return
    if kind and kind != zone.symbol:
        add(
            "pog.symbol_kind_mismatch",
            problem(
                _("symbol %(symbol)s does not match the zone kind %(code)s (%(kind)s)"),
                symbol=zone.symbol,
                code=zone.kind_code,
                kind=kind,
            ),
        )
    if not re.fullmatch(r"\d+" + re.escape(zone.symbol), zone.designation):
        add(
            "pog.designation_format",
            problem(
                _("designation '%(designation)s' is not <number>%(symbol)s"),
                designation=zone.designation,
                symbol=zone.symbol,
            ),
        )
    symbol = kind or zone.symbol
    profile = set(zone.profile)
    codes = {code.removeprefix("KPT-MPZP-") for code in profile}
    if symbol in BASIC_PROFILES and codes != BASIC_PROFILES[symbol]:
        missing, extra = BASIC_PROFILES[symbol] - codes, codes - BASIC_PROFILES[symbol]
        add(
            "pog.basic_profile",
            problem(
                _(
                    "the basic profile of %(symbol)s is %(profile)s; missing: %(missing)s, not allowed: %(extra)s"
                ),
                symbol=symbol,
                profile=", ".join(sorted(BASIC_PROFILES[symbol])),
                missing=", ".join(sorted(missing)) or "-",
                extra=", ".join(sorted(extra)) or "-",
            ),
        )
    elif symbol in REQUIRED_ONLY and not REQUIRED_ONLY[symbol] <= codes:
        add(
            "pog.basic_profile",
            problem(
                _("the basic profile of %(symbol)s must include %(profile)s"),
                symbol=symbol,
                profile=", ".join(sorted(REQUIRED_ONLY[symbol])),
            ),
        )
    for app_name, values in zone.parameters_raw.items():
        if len(values) > 1:
            add(
                "pog.parameter_twice",
                problem(_("%(name)s is given %(count)s times"), name=app_name, count=len(values)),
            )
        for value in values:
            if _decimals(value) > 1:
                add(
                    "pog.parameter_precision",
                    problem(
                        _("%(name)s = %(value)s: the value is given to one decimal place at most"),
                        name=app_name,
                        value=value,
                    ),
                )
    if symbol in PARAMETER_KINDS:
        for app_name in PARAMETERS:
            if app_name not in zone.parameters_raw:
                add(
                    "pog.mandatory_parameter",
                    problem(
                        _("%(name)s is mandatory for a %(symbol)s zone"),
                        name=app_name,
                        symbol=symbol,
                    ),
                )


def _check_topology(plan: PlanDraft, municipality: Municipality, report: Report) -> None:
    tol = tolerance_m2()
    zones = [(z, _shape(z.geom)) for z in plan.zones if z.geom is not None and z.geom.valid]
    shapes = [s for _z, s in zones]
    pairs = STRtree(shapes).query(shapes, predicate="intersects") if shapes else ([], [])
    for i, j in zip(*pairs, strict=True):
        if i < j:
            common = shapes[i].intersection(shapes[j])
            if common.area > tol:
                a, b = zones[i][0], zones[j][0]
                inside = common.representative_point()
                report.add(
                    "topology.overlap",
                    problem(
                        _(
                            "zones %(a)s and %(b)s overlap by %(area).1f m² (tolerance %(tolerance)s m²)"
                        ),
                        a=a.label,
                        b=b.label,
                        area=common.area,
                        tolerance=tol,
                    ),
                    file=a.file,
                    feature=a.label,
                    where=f"{a.where}; {b.label}",
                    point=(inside.x, inside.y),
                )
    boundary = _shape(plan.boundary) if plan.boundary is not None and plan.boundary.valid else None
    if shapes and boundary is not None and not plan.boundary_from_zones:
        union = unary_union(shapes)
        for part in getattr(boundary.difference(union), "geoms", [boundary.difference(union)]):
            if part.area > tol:
                point = part.representative_point()
                report.add(
                    "topology.gap",
                    problem(
                        _("a gap of %(area).1f m² between the zones (tolerance %(tolerance)s m²)"),
                        area=part.area,
                        tolerance=tol,
                    ),
                    file=plan.file,
                    feature=plan.label,
                    where=f"near x={point.x:.1f} y={point.y:.1f} (EPSG:2180)",
                    point=(point.x, point.y),
                )
        for zone, shape in zones:
            outside = shape.difference(boundary).area
            if outside > tol:
                report.add(
                    "zone.outside_plan",
                    problem(
                        _("%(area).1f m² of the zone lie outside the plan boundary"), area=outside
                    ),
                    file=zone.file,
                    feature=zone.label,
                    where=zone.where,
                )
    if boundary is not None and municipality.boundary is not None:
        outside = boundary.difference(_shape(municipality.boundary)).area
        if outside > tol:
            report.add(
                "plan.outside_municipality",
                problem(
                    _("%(area).1f m² of the plan lie outside the boundary of %(name)s"),
                    area=outside,
                    name=municipality.name,
                ),
                file=plan.file,
                feature=plan.label,
            )


def validate_plan(
    plan: PlanDraft, municipality: Municipality, report: Report, *, repair: bool = False
) -> None:
    plan.boundary = check_geometry(
        plan.boundary, report, file=plan.file, feature=plan.label, repair=repair
    )
    for zone in plan.zones:
        zone.geom = check_geometry(
            zone.geom, report, file=zone.file, feature=zone.label, where=zone.where, repair=repair
        )
        if (
            zone.designation
            and zone.symbol
            and not designation_contains_symbol(zone.designation, zone.symbol)
        ):
            report.add(
                "zone.designation_symbol",
                problem(
                    _("designation '%(designation)s' does not contain its symbol '%(symbol)s'"),
                    designation=zone.designation,
                    symbol=zone.symbol,
                ),
                file=zone.file,
                feature=zone.label,
                where=zone.where,
            )
        if not zone.designation:
            report.add(
                "zone.designation_missing",
                problem(_("the zone has no designation")),
                file=zone.file,
                feature=zone.label,
                where=zone.where,
            )
        if plan.kind == "POG" and zone.kind_code:
            _check_pog_zone(zone, report)
    for regulation in plan.regulations:
        regulation.geom = check_geometry(
            regulation.geom,
            report,
            file=regulation.file,
            feature=regulation.local_id,
            repair=repair,
        )
    _check_identifiers(plan, municipality, report)
    _check_duplicates(plan, report)
    _check_topology(plan, municipality, report)
    _locate(plan, report)


def _locate(plan: PlanDraft, report: Report) -> None:
    """Give a map point to the findings about a zone that name no point of their own."""
    points = {}
    for zone in plan.zones:
        if zone.geom is not None and not zone.geom.empty and zone.label not in points:
            inside = zone.geom.point_on_surface if zone.geom.valid else zone.geom.centroid
            points[zone.label] = (inside.x, inside.y)
    for finding in report.findings:
        if finding.point is None and finding.feature in points:
            x, y = points[finding.feature]
            finding.point = (round(x, 2), round(y, 2))
