"""Constraints live in the database: bad rows are refused there, not only in forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from layers.models import Layer, Municipality, Parcel, Precinct
from plans.designations import designation_contains_symbol, parse_designation
from plans.models import Plan, PlanZone
from tests.factories import box, make_parcel, make_plan, make_zone

BOWTIE = MultiPolygon(Polygon(((0, 0), (10, 10), (10, 0), (0, 10), (0, 0))), srid=2180)


def refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_a_current_parcel_identifier_is_unique(world):
    precinct = world.parcel_a.precinct
    refused(lambda: make_parcel(precinct, "12/3", box(751100, 598100, 751120, 598120)))


def test_history_keeps_old_versions_of_a_parcel(world):
    old = world.parcel_a
    now = timezone.now()
    old.valid_from = now - dt.timedelta(days=30)
    old.valid_to = now
    old.save(update_fields=["valid_from", "valid_to"])
    new = make_parcel(old.precinct, "12/3", box(751250, 598200, 751360, 598260), valid_from=now)
    versions = Parcel.objects.filter(identifier=old.identifier)
    assert versions.count() == 2
    assert list(Parcel.objects.current().filter(identifier=old.identifier)) == [new]
    assert list(
        Parcel.objects.as_of(now - dt.timedelta(seconds=1)).filter(identifier=old.identifier)
    ) == [old]


def test_a_parcel_cannot_end_before_it_starts(world):
    parcel = world.parcel_a
    parcel.valid_to = parcel.valid_from - dt.timedelta(days=1)
    refused(lambda: parcel.save(update_fields=["valid_to"]))


def test_an_invalid_geometry_is_refused(world):
    precinct = world.parcel_a.precinct
    refused(
        lambda: Parcel.objects.create(
            municipality=world.gmina_a,
            precinct=precinct,
            identifier=f"{precinct.identifier}.99",
            number="99",
            geom=BOWTIE,
            area_m2=50,
        )
    )
    refused(lambda: make_zone(world.plan_a, "7MN", BOWTIE))


def test_an_invalid_geometry_is_a_field_error_in_forms(world):
    world.gmina_a.boundary = BOWTIE
    with pytest.raises(ValidationError) as excinfo:
        world.gmina_a.full_clean()
    assert "not valid" in str(excinfo.value) or "nieprawid" in str(excinfo.value)


def test_malformed_identifiers_never_reach_the_table(world):
    precinct = world.parcel_a.precinct
    refused(
        lambda: Parcel.objects.create(
            municipality=world.gmina_a,
            precinct=precinct,
            identifier="209901_2.1.5",
            number="5",
            geom=box(0, 0, 1, 1),
            area_m2=1,
        )
    )
    refused(
        lambda: Precinct.objects.create(municipality=world.gmina_a, unit="209901_2", number="12")
    )
    refused(lambda: Municipality.objects.create(teryt="2099012", name="X", slug="x"))


def test_a_plan_in_force_needs_a_start_date(world):
    refused(lambda: make_plan(world.gmina_a, boundary=box(0, 0, 1, 1), in_force_from=None))


def test_a_plan_cannot_stop_before_it_starts(world):
    refused(
        lambda: make_plan(
            world.gmina_a,
            boundary=box(0, 0, 1, 1),
            in_force_to=dt.date(2000, 1, 1),
        )
    )


def test_app_identifiers_are_checked(world):
    refused(
        lambda: make_plan(world.gmina_a, boundary=box(0, 0, 1, 1), namespace="PL.ZIPPZP.1/209901")
    )
    refused(lambda: make_plan(world.gmina_a, boundary=box(0, 0, 1, 1), version_id="2024-01-01"))
    plan = make_plan(
        world.gmina_a,
        boundary=box(0, 0, 1, 1),
        namespace="PL.ZIPPZP.9999/209901-MPZP",
        local_id="X",
        version_id="20240101T120000",
    )
    assert plan.pk


def test_designations_are_unique_within_a_plan(world):
    refused(lambda: make_zone(world.plan_a, "1MN", box(751100, 598100, 751200, 598200)))


def test_plans_in_force_depend_on_the_date(world):
    plan = world.plan_a
    assert plan in Plan.objects.in_force(dt.date(2024, 3, 1))
    assert plan not in Plan.objects.in_force(dt.date(2024, 2, 1))
    plan.in_force_to = dt.date(2025, 1, 1)
    plan.save(update_fields=["in_force_to"])
    assert plan not in Plan.objects.in_force(dt.date(2025, 6, 1))
    assert not world.draft_b.is_in_force()


def test_a_new_gmina_gets_its_standard_layers(world):
    names = set(Layer.objects.for_municipality(world.gmina_a).values_list("name", flat=True))
    assert {"granice", "wektor-str", "raster", "dzialki", "obreby"} <= names
    assert Layer.objects.filter(municipality__isnull=True, name="dzialki").count() == 1


def test_an_import_bumps_the_data_version_of_its_layers(world):
    layer = Layer.objects.get(municipality=world.gmina_a, name="dzialki")
    other = Layer.objects.get(municipality=world.gmina_b, name="dzialki")
    Layer.bump(municipality=world.gmina_a, kinds=[Layer.Kind.PARCELS])
    layer.refresh_from_db()
    other.refresh_from_db()
    assert layer.data_version == 2
    assert other.data_version == 1


def test_reserved_paths_cannot_be_a_gmina_slug(db):
    with pytest.raises(ValidationError):
        Municipality(teryt="209901_2", name="Admin", slug="admin").full_clean()


@pytest.mark.parametrize(
    ("raw", "symbol", "number"),
    [
        ("1MN", "MN", 1),
        ("12MN/U", "MN/U", 12),
        ("DJ.KDD", "KDD", None),
        ("3.KDL", "KDL", 3),
        ("SW2", "SW", 2),
        ("1 MW,U", "MW,U", 1),
        ("A.2U", "U", 2),
    ],
)
def test_designations_yield_a_best_effort_symbol(raw, symbol, number):
    parsed = parse_designation(raw)
    assert (parsed.symbol, parsed.number) == (symbol, number)


def test_a_designation_must_contain_its_symbol():
    assert designation_contains_symbol("SW1", "SW")
    assert not designation_contains_symbol("SJ1", "SW")


def test_zone_areas_are_stored_in_square_metres(world):
    zone = PlanZone.objects.get(plan=world.plan_a, designation="1MN")
    assert zone.area_m2 == pytest.approx(200 * 300)
