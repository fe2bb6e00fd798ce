"""Small, explicit builders of test data in EPSG:2180 (x = easting)."""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import MultiPolygon, Polygon

from layers.models import Municipality, Parcel, Precinct
from layers.municipalities import create_municipality
from plans.designations import parse_designation
from plans.models import Plan, PlanZone


def box(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((x0, y0, x1, y1)), srid=2180)


def make_municipality(
    teryt: str, name: str, slug: str, origin: tuple[float, float]
) -> Municipality:
    x, y = origin
    return create_municipality(
        teryt=teryt, name=name, slug=slug, boundary=box(x, y, x + 2000, y + 2000)
    )


def make_precinct(
    municipality: Municipality, number: str = "0001", name: str = "Obręb"
) -> Precinct:
    unit = (
        municipality.teryt
        if not municipality.teryt.endswith("_3")
        else municipality.teryt[:6] + "_5"
    )
    return Precinct.objects.create(
        municipality=municipality, unit=unit, number=number, name=name, geom=municipality.boundary
    )


def make_parcel(precinct: Precinct, number: str, geom: MultiPolygon, **extra) -> Parcel:
    return Parcel.objects.create(
        municipality=precinct.municipality,
        precinct=precinct,
        identifier=f"{precinct.identifier}.{number}",
        number=number,
        geom=geom,
        area_m2=geom.area,
        **extra,
    )


def make_plan(
    municipality: Municipality,
    *,
    boundary: MultiPolygon,
    published: bool = True,
    status: str = Plan.Status.LEGAL_FORCE,
    title: str = "Plan testowy",
    **extra,
) -> Plan:
    defaults = {
        "kind": Plan.Kind.MPZP,
        "resolution_number": "Uchwała Nr I/1/2024",
        "resolution_date": dt.date(2024, 1, 10),
        "in_force_from": dt.date(2024, 2, 15)
        if status in (Plan.Status.LEGAL_FORCE, Plan.Status.OBSOLETE)
        else None,
        "drawing_scale": 1000,
    }
    defaults.update(extra)
    return Plan.objects.create(
        municipality=municipality,
        title=title,
        status=status,
        is_published=published,
        boundary=boundary,
        **defaults,
    )


def make_zone(plan: Plan, designation: str, geom: MultiPolygon, **extra) -> PlanZone:
    parsed = parse_designation(designation)
    return PlanZone.objects.create(
        municipality=plan.municipality,
        plan=plan,
        designation=designation,
        symbol=parsed.symbol,
        number=parsed.number,
        geom=geom,
        area_m2=geom.area,
        **extra,
    )


def settle_fee(req, *, reference: str = "przelew 2026/001"):
    """Record the payment of a request's fee (issuing is refused before), without a clerk."""
    req.payment_reference = reference
    req.save(update_fields=["payment_reference"])
    return req
