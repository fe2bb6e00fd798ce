"""One real EGiB parcel written in every srsName form: the form decides the axis order."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pyproj import Transformer

from layers.models import Parcel
from plans.ingest.pipeline import import_parcels
from plans.ingest.vector import ParcelMapping
from tests.conftest import fixture_path

SAMPLE = ("egib-samples", "221101_1.0001.741.gml")
SRS_RE = re.compile(r'srsName="[^"]*"')


def _variant(tmp_path: Path, srs_name: str, *, srid: int, northing_first: bool) -> Path:
    text = fixture_path(*SAMPLE).read_text(encoding="utf-8")
    to_srid = Transformer.from_crs(2177, srid, always_xy=True)

    def rewrite(match: re.Match) -> str:
        values = [float(v) for v in match.group(1).split()]
        out = []
        for n, e in zip(values[0::2], values[1::2], strict=True):
            x, y = to_srid.transform(e, n)
            out += [y, x] if northing_first else [x, y]
        digits = 9 if srid == 4326 else 3
        return "<gml:posList>" + " ".join(f"{v:.{digits}f}" for v in out) + "</gml:posList>"

    text = re.sub(r"<gml:posList>([^<]*)</gml:posList>", rewrite, text)
    text = SRS_RE.sub(f'srsName="{srs_name}"', text)
    path = tmp_path / f"{srid}-{'ne' if northing_first else 'en'}.gml"
    path.write_text(text, encoding="utf-8")
    return path


FORMS = [
    ("urn:ogc:def:crs:EPSG::2177", 2177, True),
    ("http://www.opengis.net/def/crs/EPSG/0/2177", 2177, True),
    ("http://www.opengis.net/gml/srs/epsg.xml#2177", 2177, False),
    ("EPSG:2177", 2177, False),
    ("urn:ogc:def:crs:EPSG::2180", 2180, True),
    ("http://www.opengis.net/def/crs/EPSG/0/2180", 2180, True),
    ("http://www.opengis.net/gml/srs/epsg.xml#2180", 2180, False),
    ("EPSG:2180", 2180, False),
    ("urn:ogc:def:crs:EPSG::4326", 4326, True),
    ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326, False),
]


@pytest.mark.parametrize("srs_name,srid,northing_first", FORMS, ids=[f[0] for f in FORMS])
def test_each_srs_name_form_lands_in_the_same_place(
    gmina_egib, tmp_path, srs_name, srid, northing_first
):
    import_parcels(municipality=gmina_egib, paths=[fixture_path(*SAMPLE)])
    original = Parcel.objects.get().geom
    Parcel.objects.all().delete()
    path = _variant(tmp_path, srs_name, srid=srid, northing_first=northing_first)
    report = import_parcels(municipality=gmina_egib, paths=[path])
    assert report.ok, report.as_text()
    parcel = Parcel.objects.current().get()
    assert parcel.geom.centroid.distance(original.centroid) < 0.05
    assert parcel.area_m2 == pytest.approx(original.area, rel=1e-4)


@pytest.mark.parametrize("srs_name,srid,northing_first", FORMS[:8], ids=[f[0] for f in FORMS[:8]])
def test_the_opposite_axis_order_is_rejected_as_swapped_axes(
    gmina_egib, tmp_path, srs_name, srid, northing_first
):
    # EPSG:2180 swapped still lies in Poland: the gmina's boundary tells them apart
    import_parcels(municipality=gmina_egib, paths=[fixture_path(*SAMPLE)])
    gmina_egib.refresh_from_db()
    assert gmina_egib.boundary is not None  # extended to the data after the first import
    Parcel.objects.all().delete()
    path = _variant(tmp_path, srs_name, srid=srid, northing_first=not northing_first)
    report = import_parcels(municipality=gmina_egib, paths=[path])
    assert not report.ok
    finding = report.errors[0]
    assert finding.rule in {
        "crs.axis_order",
        "position.outside_poland",
        "position.outside_municipality",
    }
    assert "swapped" in finding.message
    assert not Parcel.objects.exists()


def test_a_wrong_pl2000_zone_is_named(gmina_egib, tmp_path):
    text = fixture_path(*SAMPLE).read_text(encoding="utf-8")
    path = tmp_path / "zone.gml"
    path.write_text(SRS_RE.sub('srsName="urn:ogc:def:crs:EPSG::2178"', text), encoding="utf-8")
    report = import_parcels(municipality=gmina_egib, paths=[path])
    finding = report.errors[0]
    assert finding.rule == "crs.wrong_zone"
    assert "zone 6" in finding.message and "EPSG:2177" in finding.message


def test_data_outside_poland_is_rejected(gmina_egib, tmp_path):
    text = fixture_path(*SAMPLE).read_text(encoding="utf-8")
    # 2180 coordinates far west of Poland (the numbers are valid, the place is wrong)
    text = SRS_RE.sub('srsName="EPSG:2180"', text)
    text = re.sub(
        r"<gml:posList>([^<]*)</gml:posList>",
        "<gml:posList>10 10 110 10 110 110 10 110 10 10</gml:posList>",
        text,
    )
    path = tmp_path / "far.gml"
    path.write_text(text, encoding="utf-8")
    report = import_parcels(municipality=gmina_egib, paths=[path])
    assert report.errors[0].rule == "position.outside_poland"
    assert not Parcel.objects.exists()


def test_a_whole_file_outside_poland_reports_twenty_explained_and_counts_the_rest(
    gmina_egib, tmp_path
):
    """Only the reported findings are explained (axes, zones tried: about 1 ms a parcel); the rest
    are counted. A 60,000-parcel file in the wrong place spent a minute explaining (issue 17)."""
    features = [
        {
            "type": "Feature",
            "properties": {"id_dzialki": f"221101_1.0001.{n + 1}"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[x, 10], [x + 50, 10], [x + 50, 60], [x, 60], [x, 10]]],
            },
        }
        for n, x in enumerate(range(1_000, 1_000 + 25 * 100, 100))
    ]
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2180"}},
        "features": features,
    }
    path = tmp_path / "far.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    report = import_parcels(
        municipality=gmina_egib, paths=[path], mapping=ParcelMapping(identifier="id_dzialki")
    )
    outside = [f for f in report.errors if f.rule == "position.outside_poland"]
    assert len(outside) == 20
    assert all("neither swapping the axes" in f.message for f in outside)
    more = [f for f in report.findings if f.rule == "position.more"]
    assert more and "5 more features are misplaced" in more[0].message
    assert not Parcel.objects.exists()
