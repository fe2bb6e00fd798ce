"""The coordinates each offered CRS accepts at the OGC edge (WMS, WFS, OGC API).

A BBOX far outside a CRS's area of use is refused before anything is computed with it: an
astronomically large coordinate crashed GEOS when written as WKT and made GDAL/PROJ raise
(issue 20). The range of a CRS is its EPSG area of use (pyproj), widened on every side:

============================  ==========================================================
CRS                           accepted range (x = easting/longitude)
============================  ==========================================================
geographic (4326, 4258, 84)   longitude ±360, latitude ±180 (the world widened by half of
                              it: a client zoomed out beyond the world still draws)
projected (2180, 2176–2179,   the area of use in the CRS's metres, widened on each side by
3857)                         its own width and height, at least 1,000 km
============================  ==========================================================

So EPSG:2180 accepts about x -855 km … 1,877 km, y -874 km … 1,908 km, and EPSG:3857 three
world widths. ``world_clamp`` cuts a geographic box to ±180/±90 for the feature services: all
data lies in Poland, so the features a box selects do not change, and PROJ never sees a latitude
beyond a pole.
"""

from __future__ import annotations

from functools import lru_cache

from pyproj import CRS as ProjCRS
from pyproj import Transformer

from layers.crs import is_geographic

Box = tuple[float, float, float, float]
MIN_MARGIN_M = 1_000_000.0
GEOGRAPHIC_RANGE: Box = (-360.0, -180.0, 360.0, 180.0)
WORLD: Box = (-180.0, -90.0, 180.0, 90.0)


@lru_cache(maxsize=64)
def accepted_range(srid: int) -> Box:
    """(minx, miny, maxx, maxy), x = easting/longitude: what a BBOX in ``srid`` may reach."""
    crs = ProjCRS.from_epsg(srid)
    if crs.is_geographic:
        return GEOGRAPHIC_RANGE
    area = crs.area_of_use
    bounds = area.bounds if area is not None else WORLD
    to_crs = Transformer.from_crs(4326, srid, always_xy=True)
    x0, y0, x1, y1 = to_crs.transform_bounds(*bounds)
    dx = max(x1 - x0, MIN_MARGIN_M)
    dy = max(y1 - y0, MIN_MARGIN_M)
    return (x0 - dx, y0 - dy, x1 + dx, y1 + dy)


def within_range(*, bbox: Box, srid: int) -> bool:
    """Does the box (x = easting/longitude) lie within the CRS's accepted range?"""
    x0, y0, x1, y1 = accepted_range(srid)
    return (
        x0 <= bbox[0] <= x1 and x0 <= bbox[2] <= x1 and y0 <= bbox[1] <= y1 and y0 <= bbox[3] <= y1
    )


def range_text(srid: int) -> str:
    """The accepted range in words, for an exception report."""
    x0, y0, x1, y1 = accepted_range(srid)
    return f"x {x0:.0f} … {x1:.0f}, y {y0:.0f} … {y1:.0f}"


def world_clamp(*, bbox: Box, srid: int) -> Box:
    """A geographic box cut to the world; a projected one as it is."""
    if not is_geographic(srid):
        return bbox
    return (
        min(max(bbox[0], WORLD[0]), WORLD[2]),
        min(max(bbox[1], WORLD[1]), WORLD[3]),
        min(max(bbox[2], WORLD[0]), WORLD[2]),
        min(max(bbox[3], WORLD[1]), WORLD[3]),
    )
