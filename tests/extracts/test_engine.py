"""The engine: plans in force over parcels, zone areas and shares against shapely, slivers."""

from __future__ import annotations

import datetime as dt

import pytest
from shapely import wkb

from extracts.engine import ParcelProblem, compute_extract, resolve_parcels
from plans.models import Plan
from tests.factories import box, make_plan, make_zone

pytestmark = pytest.mark.django_db


def shapely_of(geos):
    return wkb.loads(bytes(geos.wkb))


def test_it_states_each_zone_of_a_straddling_parcel_with_area_and_share_like_shapely(world):
    content = compute_extract(municipality=world.gmina_a, parcels=[world.parcel_a])
    (section,) = content.parcels
    (plan_section,) = section.plans
    assert plan_section.plan == world.plan_a
    parcel = shapely_of(world.parcel_a.geom)
    got = {s.zone.designation: s for s in plan_section.zones}
    assert set(got) == {"1MN", "1KDD", "1U"}
    for designation, share in got.items():
        zone = shapely_of(share.zone.geom)
        expected = parcel.intersection(zone).area
        assert share.area_m2 == pytest.approx(expected, abs=0.01), designation
        assert share.share == pytest.approx(expected / parcel.area, abs=1e-6)
    assert sum(s.share for s in got.values()) == pytest.approx(1.0, abs=1e-9)
    assert section.area_m2 == pytest.approx(parcel.area, abs=0.01)


def test_it_leaves_out_slivers_below_the_threshold_and_keeps_them_listed(world):
    content = compute_extract(municipality=world.gmina_a, parcels=[world.parcel_a], sliver_m2=800.0)
    (plan_section,) = content.parcels[0].plans
    # 1KDD covers 12 m × 60 m = 720 m² of the parcel: below 800 m²
    assert [s.zone.designation for s in plan_section.slivers] == ["1KDD"]
    assert "1KDD" not in {s.zone.designation for s in plan_section.zones}
    assert content.sliver_m2 == 800.0


def test_it_states_no_plan_for_a_parcel_outside_every_plan(world):
    outside = world.gmina_a.parcels.get(number="40")
    content = compute_extract(municipality=world.gmina_a, parcels=[outside])
    assert content.parcels[0].plans == []
    assert not content.parcels[0].has_plan


def test_it_states_only_published_plans_in_force_on_the_date(world):
    x, y = 751000.0, 598000.0
    make_plan(
        world.gmina_a,
        boundary=box(x + 200, y + 150, x + 400, y + 300),
        published=False,
        title="Projekt nieopublikowany",
    )
    later = make_plan(
        world.gmina_a,
        boundary=box(x + 200, y + 150, x + 400, y + 300),
        title="Plan od 2030",
        in_force_from=dt.date(2030, 1, 1),
    )
    make_zone(later, "5MN", box(x + 200, y + 150, x + 400, y + 300), name="przyszły")
    today = compute_extract(municipality=world.gmina_a, parcels=[world.parcel_a])
    assert [p.title for p in today.plans] == [world.plan_a.title]
    future = compute_extract(
        municipality=world.gmina_a, parcels=[world.parcel_a], on=dt.date(2031, 1, 1)
    )
    assert {p.title for p in future.plans} == {world.plan_a.title, "Plan od 2030"}
    before = compute_extract(
        municipality=world.gmina_a, parcels=[world.parcel_a], on=dt.date(2020, 1, 1)
    )
    assert before.plans == []


def test_it_gives_a_plan_ogolny_zone_with_its_parameters(world):
    x, y = 751000.0, 598000.0
    pog = make_plan(
        world.gmina_a,
        boundary=box(x, y, x + 2000, y + 2000),
        kind=Plan.Kind.POG,
        title="Plan ogólny gminy A",
        drawing_scale=None,
    )
    make_zone(
        pog,
        "3SW",
        box(x, y, x + 2000, y + 2000),
        name="strefa wielofunkcyjna",
        zone_kind="SW",
        profile=["MW", "MN", "U"],
        max_building_intensity=1.2,
        max_building_coverage_pct=40,
        max_height_m=16,
        min_biologically_active_pct=30,
    )
    content = compute_extract(municipality=world.gmina_a, parcels=[world.parcel_a])
    pog_section = next(ps for ps in content.parcels[0].plans if ps.plan == pog)
    (share,) = pog_section.zones
    assert share.zone.zone_kind == "SW" and share.share == pytest.approx(1.0)
    assert share.zone.max_height_m == 16


def test_it_names_unknown_retired_and_malformed_parcel_ids(world):
    from django.utils import timezone

    retired = world.gmina_a.parcels.get(number="40")
    retired.valid_to = timezone.now()
    retired.save(update_fields=["valid_to"])
    with pytest.raises(ParcelProblem) as err:
        resolve_parcels(
            identifiers=[retired.identifier, "209901_2.0001.999", "12/3", world.parcel_a.identifier]
        )
    problems = " | ".join(err.value.problems)
    assert "retired" in problems and retired.identifier in problems
    assert "209901_2.0001.999" in problems
    assert "“12/3”" in problems
    assert len(err.value.problems) == 3


def test_it_splits_parcels_by_gmina(world):
    by_gmina = resolve_parcels(identifiers=[world.parcel_a.identifier, world.parcel_b.identifier])
    assert {m.slug: [p.identifier for p in ps] for m, ps in by_gmina.items()} == {
        "gmina-a": [world.parcel_a.identifier],
        "gmina-b": [world.parcel_b.identifier],
    }


def test_it_says_whether_a_parcel_lies_in_a_pog_overlay_wholly_or_partly(world):
    from plans.models import Regulation

    x, y = 751000.0, 598000.0
    pog = make_plan(
        world.gmina_a,
        boundary=box(x, y, x + 2000, y + 2000),
        kind=Plan.Kind.POG,
        title="Plan ogólny gminy A",
    )
    make_zone(pog, "1SJ", box(x, y, x + 2000, y + 2000), zone_kind="SJ", name="strefa")
    # OUZ covers the western 30 m of parcel 12/3 (x+250 … x+280)
    Regulation.objects.create(
        municipality=world.gmina_a,
        plan=pog,
        kind="OUZ",
        designation="OUZ1",
        geom=box(x, y, x + 280, y + 2000),
    )
    content = compute_extract(municipality=world.gmina_a, parcels=[world.parcel_a])
    section = next(ps for ps in content.parcels[0].plans if ps.plan == pog)
    (reg,) = section.regulations
    assert reg.regulation.kind == "OUZ"
    assert reg.area_m2 == pytest.approx(30 * 60, abs=0.01) and reg.share == pytest.approx(0.3)


@pytest.mark.django_db
def test_the_pdf_states_the_pog_zone_parameters_and_the_overlay_in_polish(world):
    from extracts.document import ExtractMeta, build_document
    from plans.models import Regulation
    from tests.extracts.conftest import pdf_text

    x, y = 751000.0, 598000.0
    pog = make_plan(
        world.gmina_a,
        boundary=box(x, y, x + 2000, y + 2000),
        kind=Plan.Kind.POG,
        title="Plan ogólny gminy A",
        drawing_scale=None,
    )
    make_zone(
        pog,
        "3SW",
        box(x, y, x + 2000, y + 2000),
        name="strefa wielofunkcyjna",
        zone_kind="SW",
        profile=["MW", "MN", "U"],
        max_building_intensity=1.2,
        max_building_coverage_pct=40,
        max_height_m=16,
        min_biologically_active_pct=30,
    )
    Regulation.objects.create(
        municipality=world.gmina_a, plan=pog, kind="OUZ", geom=box(x, y, x + 2000, y + 2000)
    )
    content = compute_extract(municipality=world.gmina_a, parcels=[world.parcel_a])
    built = build_document(
        content=content, meta=ExtractMeta(kind="wypis", informational=True), dpi=72
    )
    text = " ".join(pdf_text(built.pdf).split())
    assert "Plan ogólny gminy: Plan ogólny gminy A" in text
    assert "profil funkcjonalny: MW, MN, U" in text
    assert "maks. wysokość zabudowy: 16" in text
    assert "w całości w obszarze uzupełnienia zabudowy (OUZ)" in text
