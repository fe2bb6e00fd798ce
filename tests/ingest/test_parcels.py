"""Parcels from EGiB GML and GeoPackage: identifiers, areas, positions, history on re-import."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from layers.models import Layer, Parcel
from plans.ingest.pipeline import import_parcels
from tests.conftest import FIXTURES, fixture_path

EGIB_FILES = sorted((FIXTURES / "egib-samples").glob("*.gml"))


def test_the_fifteen_egib_samples_are_there():
    fixture_path("egib-samples")
    assert len(EGIB_FILES) == 15


@pytest.mark.parametrize("path", EGIB_FILES, ids=[p.stem for p in EGIB_FILES])
def test_it_imports_each_egib_sample(gmina_egib, path: Path):
    report = import_parcels(municipality=gmina_egib, paths=[path])
    assert report.ok, report.as_text()
    parcel = Parcel.objects.for_municipality(gmina_egib).current().get()
    # the file is named after the parcel: 221101_1.0001.138_28 is parcel 138/28
    assert parcel.identifier == path.stem.replace("_", "/").replace("221101/1", "221101_1")
    assert parcel.precinct.identifier == "221101_1.0001"
    # The stored area (EPSG:2180) is the PL-2000 area up to the projections' scale difference,
    # and close to the registered area (old registers differ from the geometry by up to ~12 %).
    in_pl2000 = parcel.geom.transform(2177, clone=True).area
    assert parcel.area_m2 == pytest.approx(in_pl2000, rel=0.003)
    registered_m2 = float(parcel.registered_area_ha) * 10000
    assert parcel.area_m2 == pytest.approx(registered_m2, rel=0.13)
    # EPSG:2177 (zone 6) written northing first -> EPSG:2180, x = easting: Pomorskie (22), north
    x, y = parcel.geom.centroid.coords
    assert 400_000 < x < 560_000 and 700_000 < y < 790_000, (x, y)


def test_egib_positions_agree_with_an_independent_transform(gmina_egib):
    from pyproj import Transformer

    path = fixture_path("egib-samples", "221101_1.0001.741.gml")
    import_parcels(municipality=gmina_egib, paths=[path])
    parcel = Parcel.objects.get(identifier="221101_1.0001.741")
    # first vertex as written: northing 6053539.5, easting 6551817.29 (EPSG:2177)
    to_2180 = Transformer.from_crs(2177, 2180, always_xy=True)
    x, y = to_2180.transform(6551817.29, 6053539.5)
    assert min(abs(x - vx) + abs(y - vy) for vx, vy in parcel.geom[0][0].coords) < 0.01


def test_a_reimport_supersedes_parcels_and_keeps_history(gmina_egib):
    paths = EGIB_FILES[:3]
    import_parcels(municipality=gmina_egib, paths=paths)
    first = set(Parcel.objects.for_municipality(gmina_egib).values_list("pk", flat=True))
    between = timezone.now()
    versions = Layer.objects.get(municipality=gmina_egib, kind=Layer.Kind.PARCELS).data_version
    report = import_parcels(municipality=gmina_egib, paths=paths[:2])
    assert report.ok and report.summary["superseded"] == 3 and report.summary["created"] == 2
    current = Parcel.objects.for_municipality(gmina_egib).current()
    assert current.count() == 2 and not set(current.values_list("pk", flat=True)) & first
    assert (
        Parcel.objects.for_municipality(gmina_egib)
        .filter(pk__in=first, valid_to__isnull=False)
        .count()
        == 3
    )
    assert Parcel.objects.for_municipality(gmina_egib).as_of(between).count() == 3
    layer = Layer.objects.get(municipality=gmina_egib, kind=Layer.Kind.PARCELS)
    assert layer.data_version == versions + 1


def test_a_dry_run_writes_nothing(gmina_egib):
    report = import_parcels(municipality=gmina_egib, paths=EGIB_FILES[:2], dry_run=True)
    assert report.ok and report.status == "valid" and len(report.features) == 2
    assert not Parcel.objects.filter(municipality=gmina_egib).exists()


def test_it_rejects_parcels_of_another_gmina(gmina_testowa):
    report = import_parcels(municipality=gmina_testowa, paths=EGIB_FILES[:1])
    assert "parcel.wrong_municipality" in report.rules()
    assert not Parcel.objects.exists()


def test_registered_area_is_kept(gmina_egib):
    import_parcels(
        municipality=gmina_egib, paths=[fixture_path("egib-samples", "221101_1.0001.741.gml")]
    )
    parcel = Parcel.objects.get()
    assert parcel.registered_area_ha == Decimal("0.1169")
    # the geometry in the source CRS measures 1163.4 m² (shoelace over the file's posList)
    assert parcel.geom.transform(2177, clone=True).area == pytest.approx(1163.4, abs=0.1)


def test_a_large_area_mismatch_is_a_warning_not_an_error(gmina_egib):
    report = import_parcels(
        municipality=gmina_egib, paths=[fixture_path("egib-samples", "221101_1.0001.152_3.gml")]
    )
    assert report.ok and "parcel.area_mismatch" in report.rules()


def test_a_layer_is_read_and_written_in_slices(world, monkeypatch):
    from plans.ingest import parcels as bulk
    from tests.ingest.conftest import fixture

    monkeypatch.setattr(bulk, "CHUNK", 2)  # 5 parcels -> slices of 2, 2, 1
    seen = []
    report = import_parcels(
        municipality=world.gmina_a,
        paths=[fixture("parcels.gpkg")],
        progress=lambda stage, done, total: seen.append((stage, done)),
    )
    assert report.ok and report.summary["created"] == 5 and len(report.features) == 5
    assert ("validate", 2) in seen and ("validate", 5) in seen
    assert (
        Parcel.objects.for_municipality(world.gmina_a)
        .current()
        .filter(identifier__startswith="209901_2.0001.10")
        .count()
        == 5
    )


def test_duplicates_are_found_across_slices(world, monkeypatch, tmp_path):
    from plans.ingest import parcels as bulk
    from tests.ingest.conftest import fixture

    monkeypatch.setattr(bulk, "CHUNK", 2)
    report = import_parcels(
        municipality=world.gmina_a, paths=[fixture("parcels.gpkg"), fixture("parcels.gpkg")]
    )
    assert "parcel.duplicate" in report.rules() and report.status == "rejected"
    assert not Parcel.objects.filter(identifier__startswith="209901_2.0001.10").exists()
