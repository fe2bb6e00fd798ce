"""MPZP zones and parcels from GeoPackage, zipped Shapefile or GeoJSON (through layers.readers).

Before any row is used the file is checked like GeoDjango's LayerMapping does: the archive is safe,
there is a CRS (.prj), the geometries are all polygons, the attributes named in the mapping exist,
the text decodes. Zones need a designation column (and optionally a name column); parcels need an
identifier column (and optionally a registered area in ha).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import MultiPolygon, Polygon
from django.utils.translation import gettext_noop as _

from layers.messages import problem
from layers.readers import ReaderError, VectorFeature, layer_names, read_features
from plans.designations import parse_designation
from plans.ingest.drafts import ParcelDraft, ZoneDraft
from plans.ingest.parcels import iter_parcel_table
from plans.ingest.position import PositionError, place
from plans.ingest.report import IngestError, Report
from plans.ingest.safety import check_file, extract_zip

VECTOR_SUFFIXES = {".gpkg", ".geojson", ".json", ".shp", ".zip"}
POLYGONAL = {"POLYGON", "MULTIPOLYGON", "POLYGON25D", "MULTIPOLYGON25D"}


@dataclass(frozen=True)
class ZoneMapping:
    designation: str = "designation"
    name: str = "name"
    provisions: str = "provisions"
    layer: str | None = None  # required when the file has several layers


@dataclass(frozen=True)
class ParcelMapping:
    identifier: str = "identifier"
    area: str = "registered_area_ha"
    area_unit: str = "ha"  # or "m2"
    layer: str | None = None


@contextmanager
def opened(path: Path) -> Iterator[Path]:
    """The path to hand to GDAL: a zip is checked and extracted to a temporary folder first."""
    check_file(path)
    if path.suffix.lower() == ".geojson" or path.suffix.lower() == ".json":
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise IngestError(
                problem(
                    _("the GeoJSON is not UTF-8 (byte %(byte)s): save it as UTF-8"), byte=exc.start
                ),
                file=path.name,
                rule="file.encoding",
            ) from exc
    if path.suffix.lower() != ".zip":
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="ingest-") as tmp:
        files = extract_zip(path, Path(tmp))
        shps = [f for f in files if f.suffix.lower() in {".shp", ".gpkg", ".geojson"}]
        if not shps:
            raise IngestError(
                problem(_("the zip holds no .shp, .gpkg or .geojson")),
                file=path.name,
                rule="zip.no_data",
            )
        if len(shps) > 1:
            raise IngestError(
                problem(
                    _("the zip holds %(count)s data files; send one at a time"), count=len(shps)
                ),
                file=path.name,
                rule="zip.several_files",
            )
        shp = shps[0]
        if (
            shp.suffix.lower() == ".shp"
            and not shp.with_suffix(".prj").exists()
            and not any(f.name.lower() == shp.with_suffix(".prj").name.lower() for f in files)
        ):
            raise IngestError(
                problem(_("%(name)s has no .prj: the coordinate system is unknown"), name=shp.name),
                file=path.name,
                rule="crs.missing",
                where=shp.name,
            )
        yield shp


def _layer(path: Path, wanted: str | None) -> str | None:
    names = layer_names(path)
    if wanted is not None and wanted not in names:
        raise IngestError(
            problem(
                _("no layer '%(layer)s'; the file has %(layers)s"),
                layer=wanted,
                layers=", ".join(names),
            ),
            rule="mapping.missing_layer",
        )
    if wanted is None and len(names) > 1:
        raise IngestError(
            problem(
                _("the file has %(count)s layers (%(layers)s): name the one to import"),
                count=len(names),
                layers=", ".join(names),
            ),
            rule="mapping.several_layers",
        )
    return wanted


def _features(
    path: Path,
    report: Report,
    progress: Callable[[int], None] | None,
    layer: str | None = None,
) -> Iterator[VectorFeature]:
    count = 0
    types = set()
    try:
        for feature in read_features(path, in_source_crs=True, layer_name=_layer(path, layer)):
            count += 1
            if progress and count % 1000 == 0:
                progress(count)
            types.add(feature.geom_type.upper())
            if len(types - POLYGONAL) and types & POLYGONAL:
                raise IngestError(
                    problem(
                        _(
                            "mixed geometry types (%(types)s); zones and parcels must all be polygons"
                        ),
                        types=", ".join(sorted(types)),
                    ),
                    rule="geometry.mixed_types",
                    where=f"feature {feature.fid}",
                )
            if types - POLYGONAL - {""}:
                raise IngestError(
                    problem(
                        _("%(type)s geometries; polygons are required"), type=feature.geom_type
                    ),
                    rule="geometry.type",
                    where=f"feature {feature.fid}",
                )
            yield feature
    except ReaderError as exc:
        rule = "crs.missing" if "coordinate reference system" in str(exc) else "file.unreadable"
        raise IngestError(str(exc), rule=rule) from exc
    except UnicodeDecodeError as exc:
        raise IngestError(
            problem(
                _(
                    "the attribute text is not in the declared encoding (%(reason)s); "
                    "add a .cpg file naming it, e.g. CP1250"
                ),
                reason=exc.reason,
            ),
            rule="file.encoding",
        ) from exc
    if count == 0:
        raise IngestError(problem(_("the file holds no features")), rule="file.empty")


def _multi(geom) -> MultiPolygon:
    if isinstance(geom, Polygon):
        return MultiPolygon(geom, srid=geom.srid)
    return geom


def _placed(feature: VectorFeature, report: Report, file: str, label: str) -> MultiPolygon | None:
    if feature.geometry is None:
        report.add(
            "geometry.missing",
            problem(_("the feature has no geometry")),
            file=file,
            feature=label,
            where=f"feature {feature.fid}",
        )
        return None
    try:
        return _multi(place(_multi(feature.geometry)))
    except PositionError as exc:
        report.add(exc.rule, exc.text, file=file, feature=label, where=f"feature {feature.fid}")
        return None


def _require(attributes: dict, column: str, file: str) -> None:
    if column not in attributes:
        raise IngestError(
            problem(
                _("no attribute '%(name)s'; the file has %(fields)s (set the mapping)"),
                name=column,
                fields=", ".join(attributes) or "-",
            ),
            file=file,
            rule="mapping.missing_attribute",
        )


def read_zones(
    path: Path, report: Report, *, mapping: ZoneMapping = ZoneMapping()
) -> list[ZoneDraft]:
    zones = []
    with opened(path) as data:
        try:
            for feature in _features(data, report, None, mapping.layer):
                _require(feature.attributes, mapping.designation, path.name)
                designation = str(feature.attributes.get(mapping.designation) or "").strip()
                parsed = parse_designation(designation)
                zones.append(
                    ZoneDraft(
                        designation=designation,
                        file=path.name,
                        geom=_placed(feature, report, path.name, designation),
                        symbol=parsed.symbol,
                        number=parsed.number,
                        name=str(feature.attributes.get(mapping.name) or ""),
                        provisions=str(feature.attributes.get(mapping.provisions) or ""),
                        where=f"feature {feature.fid}",
                    )
                )
        except IngestError as exc:
            exc.file = exc.file or path.name
            raise
    return zones


def iter_parcels(
    path: Path,
    report: Report,
    *,
    mapping: ParcelMapping = ParcelMapping(),
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[ParcelDraft]]:
    """Parcels of one layer in slices (see ``parcels.iter_parcel_table``)."""
    with opened(path) as data:
        try:
            yield from iter_parcel_table(
                data,
                report,
                identifier=mapping.identifier,
                area=mapping.area,
                area_unit=mapping.area_unit,
                layer=_layer(data, mapping.layer),
                progress=progress,
            )
        except IngestError as exc:
            exc.file = exc.file or path.name
            raise
