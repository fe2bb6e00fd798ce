"""Fixtures of the public portal's tests: the `world` of tests/conftest.py plus a parcel under B's draft."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache

from layers.models import Precinct
from tests.conftest import B_ORIGIN
from tests.factories import box, make_parcel


@pytest.fixture
def parcel_under_draft_b(world):
    """A parcel of gmina B that only B's unpublished draft plan (zone 9MW) covers."""
    x, y = B_ORIGIN
    precinct = Precinct.objects.get(municipality=world.gmina_b, number="0001")
    return make_parcel(precinct, "77", box(x + 650, y + 650, x + 700, y + 700))


def lonlat_of(parcel) -> tuple[float, float]:
    """A point inside the parcel, in EPSG:4326 (lon, lat)."""
    point: Point = parcel.geom.point_on_surface.transform(4326, clone=True)
    return point.x, point.y


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Search is rate-limited per client; each test starts with a fresh count."""
    cache.clear()
