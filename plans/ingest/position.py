"""Is the data where it claims to be? PL-2000 zone against the easting, Poland's border, EPSG:2180.

When a geometry lies outside Poland the message names the likely cause: coordinates written in the
other axis order than the srsName implies, or a PL-2000 zone other than the declared one.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.gis.gdal import CoordTransform, GDALException, SpatialReference
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.contrib.gis.geos.prepared import PreparedGeometry
from django.utils.translation import gettext_noop as _

from layers.crs import PL2000_SRIDS, pl2000_srid_of_zone, pl2000_zone_of_easting
from layers.messages import Message, problem
from layers.readers import read_area
from plans.ingest.report import IngestError

STORAGE_SRID = 2180
BORDER_FILE = "fixtures/border/A00_Granice_panstwa_bufor_300m.shp"
_local = threading.local()


class PositionError(IngestError):
    pass


@lru_cache(maxsize=1)
def border_wkb() -> bytes:
    path = Path(
        getattr(settings, "INGEST_BORDER_FILE", "") or Path(settings.BASE_DIR) / BORDER_FILE
    )
    return bytes(read_area(path).wkb)


def poland() -> PreparedGeometry:
    """Poland's border (buffered by 300 m), prepared once per thread."""
    if not hasattr(_local, "poland"):
        _local.poland = GEOSGeometry(memoryview(border_wkb()), srid=STORAGE_SRID).prepared
    return _local.poland


def _transform_from(srid: int) -> CoordTransform:
    """One CoordTransform per source SRID and thread (GDAL objects are not shared across threads)."""
    cache = _local.__dict__.setdefault("transforms", {})
    if srid not in cache:
        cache[srid] = CoordTransform(SpatialReference(srid), SpatialReference(STORAGE_SRID))
    return cache[srid]


def to_storage(geom: GEOSGeometry) -> GEOSGeometry:
    if geom.srid == STORAGE_SRID:
        return geom
    try:
        return geom.transform(_transform_from(geom.srid), clone=True)
    except GDALException as exc:
        raise PositionError(
            problem(
                _(
                    "the coordinates cannot be transformed from EPSG:%(srid)s (extent %(extent)s): "
                    "wrong coordinate system declared? "
                    "(GeoJSON without a crs member is WGS 84 longitude/latitude)"
                ),
                srid=geom.srid,
                extent=", ".join(f"{v:.0f}" for v in geom.extent),
            ),
            rule="crs.transform",
        ) from exc


def check_zone(geom: GEOSGeometry) -> None:
    """A PL-2000 CRS must carry its zone as the first digit of every easting."""
    zone = PL2000_SRIDS.get(geom.srid or 0)
    if zone is None:
        return
    x0, y0, x1, y1 = geom.extent
    for x, y in ((x0, y0), (x1, y1)):
        if pl2000_zone_of_easting(x) == zone:
            continue
        if pl2000_zone_of_easting(y) == zone:
            raise PositionError(
                problem(
                    _(
                        "EPSG:%(srid)s eastings start with %(zone)s, but these x values (%(x).0f) "
                        "do not while the y values (%(y).0f) do: the axes are probably swapped "
                        "(northing written first with an srsName that implies easting first, "
                        "or vice versa)"
                    ),
                    srid=geom.srid,
                    zone=zone,
                    x=x,
                    y=y,
                ),
                rule="crs.axis_order",
            )
        found = pl2000_zone_of_easting(x)
        text = (
            _(
                "EPSG:%(srid)s is PL-2000 zone %(zone)s, but the easting %(x).0f does not start "
                "with %(zone)s: wrong zone declared; the eastings belong to zone %(found)s "
                "(EPSG:%(found_srid)s)"
            )
            if found
            else _(
                "EPSG:%(srid)s is PL-2000 zone %(zone)s, but the easting %(x).0f does not start "
                "with %(zone)s: wrong zone declared"
            )
        )
        raise PositionError(
            problem(
                text,
                srid=geom.srid,
                zone=zone,
                x=x,
                found=found,
                found_srid=pl2000_srid_of_zone(found) if found else None,
            ),
            rule="crs.wrong_zone",
        )


def _inside(geom: GEOSGeometry) -> bool:
    try:
        return poland().intersects(to_storage(geom))
    except (PositionError, GEOSException):
        return False


def _swapped(geom: GEOSGeometry) -> GEOSGeometry:
    polygons = geom if geom.geom_type.startswith("Multi") else [geom]
    swapped = [
        Polygon(*[[(c[1], c[0]) for c in ring.coords] for ring in poly], srid=geom.srid)
        for poly in polygons
    ]
    return MultiPolygon(*swapped, srid=geom.srid)


def explain_outside(geom: GEOSGeometry) -> Message:
    if _inside(_swapped(geom)):
        return problem(
            _("the axes are probably swapped (northing written where the easting belongs)")
        )
    if geom.srid in PL2000_SRIDS or geom.srid == STORAGE_SRID:
        for srid in (2176, 2177, 2178, 2179, 2180):
            if srid != geom.srid:
                other = GEOSGeometry(geom.wkb, srid=srid)
                if _inside(other):
                    return problem(
                        _(
                            "the coordinates fit EPSG:%(srid)s: wrong coordinate system/zone declared"
                        ),
                        srid=srid,
                    )
    return problem(_("neither swapping the axes nor another PL-2000 zone puts it in Poland"))


def check_in_poland(source: GEOSGeometry, stored: GEOSGeometry) -> None:
    if poland().intersects(stored):
        return
    raise PositionError(
        problem(
            _("the geometry lies outside Poland (EPSG:%(srid)s): %(hint)s"),
            srid=source.srid,
            hint=explain_outside(source),
        ),
        rule="position.outside_poland",
    )


def place(source: GEOSGeometry) -> GEOSGeometry:
    """Check a geometry in its source CRS and return it in EPSG:2180."""
    check_zone(source)
    stored = to_storage(source)
    check_in_poland(source, stored)
    return stored


def outside_hint(bbox: tuple[float, float, float, float], area: GEOSGeometry) -> Message:
    """Why data in EPSG:2180 might miss a gmina: swapped axes (2180 stays in Poland when swapped)."""
    x0, y0, x1, y1 = bbox
    if Polygon.from_bbox((y0, x0, y1, x1)).intersects(area):
        return problem(
            _("the axes are probably swapped (with them swapped the data fall on the gmina)")
        )
    return problem(
        _("is the file for another gmina, or in another coordinate system than declared?")
    )


def check_near_municipality(
    bbox: tuple[float, float, float, float], area: GEOSGeometry | None, *, margin: float = 1000
) -> None:
    """Data whose extent misses the gmina's boundary (plus a margin) are in the wrong place."""
    if area is None:
        return
    box = Polygon.from_bbox(bbox).buffer(margin)
    box.srid = STORAGE_SRID
    if not box.intersects(area):
        raise PositionError(
            problem(
                _("the data (extent %(extent)s in EPSG:2180) do not touch the gmina: %(hint)s"),
                extent=", ".join(f"{v:.0f}" for v in bbox),
                hint=outside_hint(bbox, area),
            ),
            rule="position.outside_municipality",
        )
