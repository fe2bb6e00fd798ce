"""The one module that reads vector files through GDAL/OGR (GeoDjango's ``gdal`` bindings).

Callers get GEOS geometries in EPSG:2180 (x = easting) and plain attribute dicts; CRS and axis
handling happens here, at the edge.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.gis.gdal import (
    CoordTransform,
    DataSource,
    GDALException,
    GDALRaster,
    SpatialReference,
)
from django.contrib.gis.gdal.error import SRSException
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon

STORAGE_SRID = 2180


class ReaderError(ValueError):
    """A file that cannot be read: the message names the file and the reason."""


@dataclass
class VectorFeature:
    layer: str
    fid: int
    geometry: GEOSGeometry | None  # EPSG:2180, x = easting (source CRS with in_source_crs=True)
    attributes: dict[str, Any]
    geom_type: str = ""  # the OGR geometry type name, e.g. Polygon, MultiPolygon, Point


def _traditional_gis_order(srs: SpatialReference) -> SpatialReference:
    # GDAL 3 honours the authority's axis order (northing first for EPSG:2180); we want x = easting.
    srs.axis_order = 0  # OAMS_TRADITIONAL_GIS_ORDER
    return srs


def _srid_of(srs: SpatialReference) -> int | None:
    with contextlib.suppress(GDALException, SRSException):
        srs.identify_epsg()  # no EPSG code found: the caller falls back to GDAL's transform
    try:
        return srs.srid
    except (GDALException, SRSException):
        return None


_raster_srids: dict[tuple[str, int, int], int | None] = {}


def raster_srid(path: str | Path) -> int | None:
    """The EPSG code of a georeferenced raster (GeoTIFF), or None when it is missing or has none we
    know. Kept per file, size and modification time: a map request may name many drawings.
    """
    try:
        stat = Path(path).stat()
    except FileNotFoundError:
        return None
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _raster_srids:
        try:
            srs = GDALRaster(str(path)).srs
        except GDALException:
            srs = None
        _raster_srids[key] = _srid_of(srs) if srs is not None else None
    return _raster_srids[key]


def layer_names(path: str | Path) -> list[str]:
    try:
        return [layer.name for layer in DataSource(str(path))]
    except GDALException as exc:
        raise ReaderError(f"{Path(path).name}: GDAL cannot read this file ({exc})") from exc


def read_features(
    path: str | Path,
    *,
    assume_srid: int | None = None,
    in_source_crs: bool = False,
    layer_name: str | None = None,
) -> Iterator[VectorFeature]:
    """Every feature of every layer of a GDAL-readable file, geometry transformed to EPSG:2180.

    With ``in_source_crs=True`` geometries stay in the file's CRS (x = easting, srid = its EPSG
    code) when that CRS has an EPSG code, so that the caller can check zones and axes itself;
    otherwise they are transformed as usual. ``layer_name`` reads only that layer.
    """
    path = Path(path)
    if not path.exists():
        raise ReaderError(f"{path}: no such file")
    try:
        source = DataSource(str(path))
    except GDALException as exc:
        raise ReaderError(f"{path.name}: GDAL cannot read this file ({exc})") from exc
    target = _traditional_gis_order(SpatialReference(STORAGE_SRID))
    for layer in source:
        if layer_name is not None and layer.name != layer_name:
            continue
        srs = layer.srs
        if srs is None and assume_srid is None:
            raise ReaderError(
                f"{path.name}, layer {layer.name}: no coordinate reference system (.prj missing?)"
            )
        srs = _traditional_gis_order(srs if srs is not None else SpatialReference(assume_srid))
        source_srid = _srid_of(srs) if in_source_crs else None
        transform = CoordTransform(srs, target)
        fields = list(layer.fields)
        for feature in layer:
            geom = feature.geom if feature.geom_type.num != 100 else None
            geos = None
            type_name = ""
            if geom is not None:
                type_name = geom.geom_name
                if source_srid:
                    geos = GEOSGeometry(geom.wkb, srid=source_srid)
                else:
                    geom = geom.clone()
                    geom.srs = srs
                    geom.transform(transform)
                    geos = GEOSGeometry(geom.wkb, srid=STORAGE_SRID)
            attributes = {name: feature.get(name) for name in fields}
            yield VectorFeature(
                layer=layer.name,
                fid=feature.fid,
                geometry=geos,
                attributes=attributes,
                geom_type=type_name,
            )


def read_area(path: str | Path) -> MultiPolygon:
    """The union of all polygons in a file, as one valid MultiPolygon in EPSG:2180."""
    polygons = [f.geometry for f in read_features(path) if f.geometry is not None]
    if not polygons:
        raise ReaderError(f"{Path(path).name}: no geometries")
    union = polygons[0]
    for geom in polygons[1:]:
        union = union.union(geom)
    if not union.valid:
        union = union.make_valid()
    parts = [union] if isinstance(union, Polygon) else [g for g in union if isinstance(g, Polygon)]
    if not parts:
        raise ReaderError(f"{Path(path).name}: no polygon geometries")
    return MultiPolygon(*parts, srid=STORAGE_SRID)


@dataclass
class VectorTable:
    """A whole layer at once (for large files): WKB geometries and attribute columns."""

    layer: str
    fids: list[int]
    wkb: list[bytes | None]  # as stored in the file, in its CRS (x = easting)
    columns: dict[str, list[Any]]
    srid: int | None  # the EPSG code of the layer's CRS, None when it has none
    crs_wkt: str | None
    fields: list[str]  # all attribute names of the layer, read or not
    total: int  # features in the layer (-1 when the driver cannot tell cheaply)


def read_table(
    path: str | Path,
    *,
    layer_name: str | None = None,
    columns: list[str] | None = None,
    skip_features: int = 0,
    max_features: int | None = None,
) -> VectorTable:
    """One layer (or a slice of it) of a GDAL-readable file in one call (pyogrio, vectorised; no
    transform); read big layers slice by slice with ``skip_features``/``max_features``.

    Attribute text that is not valid in the file's declared encoding raises UnicodeDecodeError.
    """
    import pyogrio.raw
    from pyogrio.errors import DataLayerError, DataSourceError, FieldError
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    path = Path(path)
    try:
        info = pyogrio.read_info(str(path), layer=layer_name)
        fields = [str(f) for f in info["fields"]]
        if columns is not None:  # only those that exist; the caller reports missing ones
            columns = [c for c in columns if c in fields]
        meta, fids, geometry, data = pyogrio.raw.read(
            str(path),
            layer=layer_name,
            columns=columns,
            return_fids=True,
            skip_features=skip_features,
            max_features=max_features,
        )
    except (DataSourceError, DataLayerError, FieldError) as exc:
        raise ReaderError(f"{path.name}: GDAL cannot read this file ({exc})") from exc
    srid = None
    if meta.get("crs"):
        try:
            srid = CRS.from_user_input(meta["crs"]).to_epsg()
        except CRSError:
            srid = None
    names = list(meta.get("fields", []))
    return VectorTable(
        layer=layer_name or "",
        fids=[int(f) for f in fids],
        wkb=list(geometry) if geometry is not None else [],
        columns={name: list(values) for name, values in zip(names, data, strict=True)},
        srid=srid,
        crs_wkt=meta.get("crs"),
        fields=fields,
        total=int(info.get("features", -1)),
    )
