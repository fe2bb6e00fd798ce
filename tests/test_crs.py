"""Axis order by the form of the CRS identifier (DESIGN.md §5), checked against real transforms."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from layers.crs import CRSIdentifierError, parse_crs, pl2000_zone_of_easting


@pytest.mark.parametrize(
    ("identifier", "version", "srid", "yx"),
    [
        ("EPSG:2180", "1.3.0", 2180, True),
        ("EPSG:2180", "1.1.1", 2180, False),
        ("EPSG:4326", "1.3.0", 4326, True),
        ("EPSG:4326", "1.1.1", 4326, False),
        ("CRS:84", "1.3.0", 4326, False),
        ("EPSG:3857", "1.3.0", 3857, False),
        ("EPSG:2177", "1.3.0", 2177, True),
        ("EPSG:4258", "1.3.0", 4258, True),
        ("urn:ogc:def:crs:EPSG::2180", None, 2180, True),
        ("urn:ogc:def:crs:EPSG:6.9:2178", None, 2178, True),
        ("http://www.opengis.net/def/crs/EPSG/0/2180", None, 2180, True),
        ("http://www.opengis.net/def/crs/EPSG/0/4326", None, 4326, True),
        ("http://www.opengis.net/gml/srs/epsg.xml#2180", None, 2180, False),
        ("EPSG:2180", None, 2180, False),
        ("urn:ogc:def:crs:OGC:1.3:CRS84", None, 4326, False),
        ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", None, 4326, False),
    ],
)
def test_the_form_of_the_identifier_decides_the_axis_order(identifier, version, srid, yx):
    ref = parse_crs(identifier, wms_version=version)
    assert (ref.srid, ref.yx) == (srid, yx)


def test_northing_first_coordinates_land_where_easting_first_ones_do():
    # Tykocin market square, EPSG:2180: E 751 430, N 600 290
    as_urn = parse_crs("urn:ogc:def:crs:EPSG::2180")
    as_gml = parse_crs("http://www.opengis.net/gml/srs/epsg.xml#2180")
    assert (
        as_urn.to_xy(600290.0, 751430.0) == as_gml.to_xy(751430.0, 600290.0) == (751430.0, 600290.0)
    )
    lonlat = Point(751430.0, 600290.0, srid=2180).transform(4326, clone=True)
    assert 22.7 < lonlat.x < 22.9 and 53.1 < lonlat.y < 53.3


def test_bbox_order_round_trips():
    ref = parse_crs("EPSG:4326", wms_version="1.3.0")
    written = (50.0, 19.0, 51.0, 20.0)  # lat, lon order
    assert ref.bbox_to_xy(written) == (19.0, 50.0, 20.0, 51.0)
    assert ref.bbox_from_xy((19.0, 50.0, 20.0, 51.0)) == written


def test_unknown_identifiers_are_refused_with_a_reason():
    for bad in ("EPSG:999999", "WGS84", "urn:ogc:def:crs:EPSG::abc", ""):
        with pytest.raises(CRSIdentifierError):
            parse_crs(bad)


def test_the_first_digit_of_a_pl2000_easting_is_the_zone():
    assert pl2000_zone_of_easting(6551647.46) == 6
    assert pl2000_zone_of_easting(7500000.0) == 7
    assert pl2000_zone_of_easting(751430.0) is None
