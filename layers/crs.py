"""Coordinate reference systems at the edges: identifiers, axis order, the PL-2000 zones.

Inside the portal every geometry is EPSG:2180 with x = easting. Outside, the axis order depends on
the *form* of the CRS identifier (DESIGN.md §5):

================================================  =====================================
identifier form                                   coordinate order
================================================  =====================================
``urn:ogc:def:crs:EPSG::N``                        the EPSG order (2180, 2176–2179: N,E; 4326: lat,lon)
``http://www.opengis.net/def/crs/EPSG/0/N``        the EPSG order
``http://www.opengis.net/gml/srs/epsg.xml#N``      x,y (easting/longitude first)
``EPSG:N`` in GML, WFS, WMS 1.1.1                 x,y
``EPSG:N`` as WMS 1.3.0 ``CRS``                    the EPSG order
``CRS:84``, ``…/OGC/1.3/CRS84``                    lon,lat
================================================  =====================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pyproj import CRS as ProjCRS
from pyproj.exceptions import CRSError

# Offered by the OGC services (DESIGN.md §5), storage first.
OFFERED_CODES = (
    "EPSG:2180",
    "EPSG:2176",
    "EPSG:2177",
    "EPSG:2178",
    "EPSG:2179",
    "EPSG:4258",
    "EPSG:4326",
    "EPSG:3857",
    "CRS:84",
)
PL2000_SRIDS = {2176: 5, 2177: 6, 2178: 7, 2179: 8}


class CRSIdentifierError(ValueError):
    """An identifier that names no CRS we know; the message says which and why."""


@dataclass(frozen=True)
class CrsRef:
    srid: int  # the EPSG code; CRS:84 is 4326 with lon,lat order
    yx: bool  # True when coordinates are written northing/latitude first
    code: str  # canonical short code: EPSG:2180 or CRS:84

    @property
    def is_geographic(self) -> bool:
        return is_geographic(self.srid)

    def urn(self) -> str:
        if self.code == "CRS:84":
            return "urn:ogc:def:crs:OGC:1.3:CRS84"
        return f"urn:ogc:def:crs:EPSG::{self.srid}"

    def to_xy(self, a: float, b: float) -> tuple[float, float]:
        """Coordinates as written -> (x, y) with x = easting/longitude."""
        return (b, a) if self.yx else (a, b)

    def from_xy(self, x: float, y: float) -> tuple[float, float]:
        """(x, y) -> coordinates in this identifier's order."""
        return (y, x) if self.yx else (x, y)

    def bbox_to_xy(
        self, values: tuple[float, float, float, float]
    ) -> tuple[float, float, float, float]:
        """A bbox as written (minA, minB, maxA, maxB) -> (minx, miny, maxx, maxy)."""
        min_x, min_y = self.to_xy(values[0], values[1])
        max_x, max_y = self.to_xy(values[2], values[3])
        return min_x, min_y, max_x, max_y

    def bbox_from_xy(
        self, bbox: tuple[float, float, float, float]
    ) -> tuple[float, float, float, float]:
        a0, b0 = self.from_xy(bbox[0], bbox[1])
        a1, b1 = self.from_xy(bbox[2], bbox[3])
        return a0, b0, a1, b1


@lru_cache(maxsize=256)
def authority_yx(srid: int) -> bool:
    """Does EPSG define this CRS with northing (or latitude) as the first axis?"""
    try:
        crs = ProjCRS.from_epsg(srid)
    except CRSError as exc:
        raise CRSIdentifierError(f"EPSG:{srid} is not a known coordinate reference system") from exc
    axes = crs.axis_info
    return bool(axes) and axes[0].direction.lower() in ("north", "south")


@lru_cache(maxsize=256)
def is_geographic(srid: int) -> bool:
    return ProjCRS.from_epsg(srid).is_geographic


URN_RE = re.compile(r"^urn:(?:ogc|x-ogc):def:crs:EPSG:[0-9.]*:(\d+)$", re.IGNORECASE)
HTTP_DEF_RE = re.compile(r"^https?://www\.opengis\.net/def/crs/EPSG/[0-9.]+/(\d+)$", re.IGNORECASE)
GML_SRS_RE = re.compile(r"^https?://www\.opengis\.net/gml/srs/epsg\.xml#(\d+)$", re.IGNORECASE)
SHORT_RE = re.compile(r"^EPSG:(\d+)$", re.IGNORECASE)
CRS84_FORMS = {
    "crs:84",
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
    "https://www.opengis.net/def/crs/ogc/1.3/crs84",
}


def parse_crs(identifier: str, *, wms_version: str | None = None) -> CrsRef:
    """Understand a CRS identifier and the axis order its form implies.

    ``wms_version`` is the WMS version of a ``CRS``/``SRS`` parameter ("1.3.0" or "1.1.1"); leave it
    out for GML ``srsName``, WFS and OGC API values.
    """
    text = (identifier or "").strip()
    if text.lower() in CRS84_FORMS:
        return CrsRef(srid=4326, yx=False, code="CRS:84")
    if match := URN_RE.match(text) or HTTP_DEF_RE.match(text):
        srid = int(match.group(1))
        return CrsRef(srid=srid, yx=authority_yx(srid), code=f"EPSG:{srid}")
    if match := GML_SRS_RE.match(text):
        srid = int(match.group(1))
        authority_yx(srid)  # known?
        return CrsRef(srid=srid, yx=False, code=f"EPSG:{srid}")
    if match := SHORT_RE.match(text):
        srid = int(match.group(1))
        yx = authority_yx(srid) if wms_version == "1.3.0" else False
        if wms_version != "1.3.0":
            authority_yx(srid)  # known?
        return CrsRef(srid=srid, yx=yx, code=f"EPSG:{srid}")
    raise CRSIdentifierError(
        f"{identifier!r} is not a CRS identifier we understand "
        "(EPSG:N, urn:ogc:def:crs:EPSG::N, http://www.opengis.net/def/crs/EPSG/0/N, CRS:84)"
    )


def pl2000_zone_of_easting(easting: float) -> int | None:
    """PL-2000 eastings carry the zone as their first digit (5 500 000 … 8 500 000)."""
    zone = int(easting // 1_000_000)
    return zone if zone in (5, 6, 7, 8) else None


def pl2000_srid_of_zone(zone: int) -> int:
    if zone not in (5, 6, 7, 8):
        raise CRSIdentifierError(f"PL-2000 zone {zone} does not exist (5, 6, 7, 8)")
    return 2171 + zone
