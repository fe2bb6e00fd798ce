"""Operators' commands: add_municipality and load_demo."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection

from layers.identifiers import parse_parcel_id
from layers.models import Layer, Municipality, Parcel, Precinct
from plans.models import Plan, PlanZone


def boundary_geojson(tmp_path, *, crs: str | None = "EPSG:4326"):
    # around Tykocin, lon/lat
    feature = {
        "type": "Feature",
        "properties": {"name": "Tykocin"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[22.70, 53.15], [22.85, 53.15], [22.85, 53.25], [22.70, 53.25], [22.70, 53.15]]
            ],
        },
    }
    collection = {"type": "FeatureCollection", "features": [feature]}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    path = tmp_path / "granica.geojson"
    path.write_text(json.dumps(collection))
    return path


def test_add_municipality_reads_a_boundary_file_into_epsg_2180(db, tmp_path, capsys):
    call_command(
        "add_municipality",
        "--teryt",
        "200211_2",
        "--name",
        "Tykocin",
        "--boundary",
        str(boundary_geojson(tmp_path)),
    )
    municipality = Municipality.objects.get(teryt="200211_2")
    assert municipality.slug == "tykocin"
    assert municipality.boundary.srid == 2180
    west, south, east, north = municipality.boundary.extent
    assert 740_000 < west < east < 765_000  # eastings, not latitudes
    assert 590_000 < south < north < 610_000
    assert municipality.pl2000_zone == 8
    assert Layer.objects.filter(municipality=municipality, name="wektor-str").exists()
    assert "/tykocin/" in capsys.readouterr().out


def test_add_municipality_without_a_boundary_leaves_it_to_the_data(db):
    call_command("add_municipality", "--teryt", "226101_1", "--name", "Gdańsk")
    municipality = Municipality.objects.get(teryt="226101_1")
    assert municipality.slug == "gdansk"
    assert municipality.boundary is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--teryt", "2261011", "--name", "X"], "WWPPGG_R"),
        (["--teryt", "226101_1", "--name", "Admin", "--slug", "admin"], "slug: admin"),
        (["--teryt", "226101_1", "--name", "X", "--boundary", "/nonexistent.gpkg"], "no such file"),
    ],
)
def test_add_municipality_explains_what_is_wrong(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("add_municipality", *args)
    assert not Municipality.objects.exists()


def test_add_municipality_refuses_a_duplicate_teryt(db):
    call_command("add_municipality", "--teryt", "226101_1", "--name", "Gdańsk")
    with pytest.raises(CommandError, match="teryt"):
        call_command(
            "add_municipality", "--teryt", "226101_1", "--name", "Gdańsk 2", "--slug", "gdansk-2"
        )


def demo_fingerprint() -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT identifier, round(area_m2::numeric, 2), ST_AsText(ST_SnapToGrid(geom, 0.01))"
            " FROM layers_parcel ORDER BY identifier"
        )
        return cursor.fetchall()


@pytest.mark.slow
def test_the_demo_is_deterministic_real_and_idempotent(db, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "demo-portal-2026" in out and "admin" in out
    first = demo_fingerprint()
    assert len(first) > 2000

    zones = {m.slug: m.pl2000_zone for m in Municipality.objects.all()}
    assert zones == {"wierzbno-demo": 8, "jaworzyn-demo": 7, "lipowo-demo": 8}
    for identifier, *_ in first:
        parse_parcel_id(identifier)
    # a gmina miejsko-wiejska registers its town (_4) and rural area (_5) separately
    units = set(
        Precinct.objects.filter(municipality__slug="jaworzyn-demo").values_list("unit", flat=True)
    )
    assert units == {"069901_4", "069901_5"}
    # the MPZP's zones tessellate its area exactly, with the usual designations
    plan = Plan.objects.get(municipality__slug="wierzbno-demo", status=Plan.Status.LEGAL_FORCE)
    designations = set(plan.zones.values_list("designation", flat=True))
    assert {"1MN", "1U", "1KDD", "1KDL", "1MN/U", "1ZP"} <= designations
    assert sum(plan.zones.values_list("area_m2", flat=True)) == pytest.approx(plan.boundary.area)
    assert "§ " in plan.zones.get(designation="1MN").provisions
    assert plan.previous_version.status == Plan.Status.OBSOLETE
    assert not Plan.objects.get(municipality__slug="lipowo-demo").is_published
    # every parcel lies inside its precinct and its gmina
    assert (
        count_sql(
            "SELECT count(*) FROM layers_parcel p JOIN layers_precinct pr ON pr.id = p.precinct_id"
            " JOIN layers_municipality m ON m.id = p.municipality_id"
            " WHERE NOT ST_CoveredBy(p.geom, pr.geom) OR NOT ST_CoveredBy(p.geom, m.boundary)"
        )
        == 0
    )
    assert Parcel.objects.filter(area_m2__lte=50).count() == 0

    call_command("load_demo")
    assert "already there" in capsys.readouterr().out
    assert demo_fingerprint() == first
    call_command("load_demo", "--force")
    assert demo_fingerprint() == first
    assert PlanZone.objects.filter(municipality__slug="wierzbno-demo").count() == 38


def test_the_demo_has_a_parcel_in_two_zones_and_addresses_on_streets(db):
    from layers.models import Address
    from layers.search import search
    from portal.panel import find_parcel, parcel_panel

    call_command("load_demo")
    wierzbno = Municipality.objects.get(slug="wierzbno-demo")
    zone = PlanZone.objects.get(
        plan__status=Plan.Status.LEGAL_FORCE, plan__municipality=wierzbno, designation="2ZP"
    )
    split = find_parcel(municipality=wierzbno, point=zone.geom.point_on_surface)
    panel = parcel_panel(municipality=wierzbno, parcel=split, user=AnonymousUser())
    shares = {
        row.zone.designation: round(row.share_pct)
        for plan in panel.plans
        if plan.plan.status == Plan.Status.LEGAL_FORCE
        for row in plan.zones
    }
    assert shares == {"1R": 60, "2ZP": 40}, shares
    assert Address.objects.for_municipality(wierzbno).filter(street="Polna").count() > 5
    [hit] = search(municipality=wierzbno, text="ul. Polna 5").addresses
    assert hit.parcel.startswith("209901_2.0001.") and hit.locality == "Wierzbno"
    assert search(municipality=wierzbno, text="Główna 2, Wierzbno").addresses[0].parcel


def count_sql(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]
