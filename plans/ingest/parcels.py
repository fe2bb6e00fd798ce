"""Parcels in bulk: vectorised reading of GeoPackage/Shapefile/GeoJSON layers and the checks.

A gmina has tens of thousands of parcels, so this path works on whole arrays (pyogrio through
``layers.readers.read_table``, shapely, pyproj) instead of feature by feature. Axis order and
zone checks follow ``position``: the file's CRS decides, eastings must carry the PL-2000 zone,
everything must lie in Poland, storage is EPSG:2180.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext_noop as _
from pyproj import Transformer

from layers.crs import PL2000_SRIDS
from layers.identifiers import IdentifierError, parse_parcel_id
from layers.messages import Message, problem
from layers.models import Municipality, Precinct
from layers.readers import ReaderError, read_table
from plans.ingest.drafts import ParcelDraft
from plans.ingest.position import (
    PositionError,
    border_wkb,
    check_near_municipality,
    check_zone,
    explain_outside,
)
from plans.ingest.report import WARNING, IngestError, Report, point_in_reason

STORAGE_SRID = 2180
MAX_SAME_FINDINGS = 20
AREA_TOLERANCE = 0.05  # 5 % between the registered and the computed area: a warning


_local = threading.local()


def _border() -> shapely.Geometry:
    """Poland's border as a prepared shapely geometry, one per thread."""
    if not hasattr(_local, "border"):
        _local.border = shapely.from_wkb(border_wkb())
        shapely.prepare(_local.border)
    return _local.border


def measure(parcels: list[ParcelDraft]) -> None:
    """Fill area and bbox of each parcel (vectorised)."""
    geoms = np.array([p.geom for p in parcels], dtype=object)
    if not len(geoms):
        return
    areas = shapely.area(geoms)
    bounds = shapely.bounds(geoms)
    for parcel, area, box in zip(parcels, areas, bounds, strict=True):
        if parcel.geom is not None:
            parcel.area = float(area)
            parcel.bbox = tuple(float(v) for v in box)


def _to_multi(geoms: np.ndarray) -> np.ndarray:
    single = shapely.get_type_id(geoms) == 3
    if single.any():
        geoms = geoms.copy()
        geoms[single] = shapely.multipolygons(geoms[single].reshape(-1, 1).tolist())
    return geoms


def _geos(geom: shapely.Geometry, srid: int) -> GEOSGeometry:
    return GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=srid)


def _place(
    geoms: np.ndarray, srid: int, report: Report, file: str, labels: list[str]
) -> np.ndarray:
    """Check zone and border, transform to EPSG:2180; features that fail become None."""
    ok = np.ones(len(geoms), dtype=bool)
    failures = 0

    def fail(index: int, finding: Callable[[], PositionError]) -> None:
        """Counted always; ``finding`` made only for the reported ones (explaining a misplaced
        parcel tries the axes and every PL-2000 zone: 1 ms, a minute for 60,000)."""
        nonlocal failures
        ok[index] = False
        failures += 1
        if failures <= MAX_SAME_FINDINGS:
            exc = finding()
            report.add(exc.rule, exc.text, file=file, feature=labels[index])

    if srid in PL2000_SRIDS:
        zone = PL2000_SRIDS[srid]
        bounds = shapely.bounds(geoms)
        wrong = (bounds[:, 0] // 1_000_000 != zone) | (bounds[:, 2] // 1_000_000 != zone)
        for index in np.flatnonzero(wrong):
            try:
                check_zone(_geos(geoms[index], srid))
            except PositionError as exc:
                fail(int(index), lambda exc=exc: exc)
    stored = geoms
    if srid != STORAGE_SRID:
        transformer = Transformer.from_crs(srid, STORAGE_SRID, always_xy=True)
        stored = shapely.transform(
            geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
        )
    inside = shapely.intersects(_border(), stored)

    def outside(index: int) -> PositionError:
        return PositionError(
            problem(
                _("the geometry lies outside Poland (EPSG:%(srid)s): %(hint)s"),
                srid=srid,
                hint=explain_outside(_geos(geoms[index], srid)),
            ),
            rule="position.outside_poland",
        )

    for index in np.flatnonzero(~inside & ok):
        fail(int(index), lambda index=index: outside(index))
    if failures > MAX_SAME_FINDINGS:
        report.add(
            "position.more",
            problem(_("%(count)s more features are misplaced"), count=failures - MAX_SAME_FINDINGS),
            file=file,
        )
    stored = stored.copy()
    stored[~ok] = None
    return stored


def _area(value, unit: str) -> Decimal | None:
    try:
        area = Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None
    return area / 10000 if area is not None and unit == "m2" else area


CHUNK = 20_000


def _read_chunk(path: Path, *, layer: str | None, columns: list[str], skip: int):
    try:
        return read_table(
            path, layer_name=layer, columns=columns, skip_features=skip, max_features=CHUNK
        )
    except ReaderError as exc:
        raise IngestError(str(exc), rule="file.unreadable") from exc
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


def _check_table(table, identifier: str) -> None:
    if identifier not in table.columns:
        raise IngestError(
            problem(
                _("no attribute '%(name)s'; the file has %(fields)s (set the mapping)"),
                name=identifier,
                fields=", ".join(table.fields) or "-",
            ),
            rule="mapping.missing_attribute",
        )
    if table.crs_wkt is None:
        raise IngestError(
            problem(_("no coordinate reference system (.prj missing?)")), rule="crs.missing"
        )
    if table.srid is None:
        raise IngestError(
            problem(
                _(
                    "the coordinate reference system has no EPSG code; use EPSG:2180 or "
                    "PL-2000 (2176–2179)"
                )
            ),
            rule="crs.unknown",
        )


def iter_parcel_table(
    path: Path,
    report: Report,
    *,
    identifier: str,
    area: str,
    area_unit: str,
    layer: str | None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[ParcelDraft]]:
    """The parcels of one layer, slice by slice, checked and placed in EPSG:2180.

    Memory stays bounded by the slice size, so callers can validate in one pass and write in a
    second one without holding a whole gmina.
    """
    skip = 0
    while True:
        table = _read_chunk(path, layer=layer, columns=[identifier, area], skip=skip)
        if skip == 0:
            if not table.fids:
                raise IngestError(problem(_("the file holds no features")), rule="file.empty")
            _check_table(table, identifier)
        if not table.fids:
            return
        yield _drafts(path, table, report, identifier=identifier, area=area, area_unit=area_unit)
        skip += len(table.fids)
        if progress:
            progress(skip)
        if len(table.fids) < CHUNK:
            return


def _drafts(
    path: Path, table, report: Report, *, identifier: str, area: str, area_unit: str
) -> list[ParcelDraft]:
    geoms = shapely.from_wkb(np.array(table.wkb, dtype=object))
    types = set(shapely.get_type_id(geoms[~shapely.is_missing(geoms)]).tolist())
    if types - {3, 6}:
        rule = "geometry.mixed_types" if types & {3, 6} else "geometry.type"
        raise IngestError(
            problem(
                _("geometry types %(types)s: parcels must all be polygons"),
                types=sorted(shapely.GeometryType(t).name for t in types),
            ),
            rule=rule,
        )
    labels = [str(v or "").strip() for v in table.columns[identifier]]
    stored = _to_multi(_place(geoms, table.srid, report, path.name, labels))
    areas = table.columns.get(area, [None] * len(labels))
    return [
        ParcelDraft(
            identifier=label,
            file=path.name,
            geom=geom,
            registered_area_ha=_area(value, area_unit),
            where=f"feature {fid}",
        )
        for label, geom, value, fid in zip(labels, stored, areas, table.fids, strict=True)
    ]


def _middle(bbox: tuple[float, float, float, float] | None) -> tuple[float, float] | None:
    return ((bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2) if bbox else None


def _geometry_checks(parcels: list[ParcelDraft], report: Report, repair: bool) -> None:
    geoms = np.array([p.geom for p in parcels], dtype=object)
    present = ~shapely.is_missing(geoms)
    invalid = present & ~shapely.is_valid(geoms)
    for index in np.flatnonzero(invalid):
        parcel = parcels[index]
        reason = shapely.is_valid_reason(parcel.geom)
        if not repair:
            report.add(
                "geometry.invalid",
                problem(_("invalid geometry: %(reason)s"), reason=reason),
                file=parcel.file,
                feature=parcel.identifier,
                where=parcel.where,
                point=point_in_reason(reason),
            )
            continue
        fixed = shapely.make_valid(parcel.geom)
        polygons = [g for g in shapely.get_parts(fixed) if shapely.get_type_id(g) in (3, 6)]
        parcel.geom = (
            shapely.multipolygons([p for g in polygons for p in shapely.get_parts(g)])
            if polygons
            else None
        )
        report.add(
            "geometry.repaired",
            problem(_("invalid geometry (%(reason)s) repaired"), reason=reason),
            file=parcel.file,
            feature=parcel.identifier,
            where=parcel.where,
            severity=WARNING,
        )
    measure(parcels)


class ParcelChecker:
    """Checks parcels slice by slice; what needs all of them (duplicates, extent) at the end."""

    def __init__(self, municipality: Municipality, report: Report, *, repair: bool = False):
        self.municipality = municipality
        self.report = report
        self.repair = repair
        self.units = municipality.registration_units()
        self.foreign = set(
            Precinct.objects.exclude(municipality=municipality)
            .filter(unit__in=self.units)
            .values_list("unit", "number")
        )
        self.counts: Counter[str] = Counter()
        self.first: dict[str, tuple[str, str]] = {}
        self.precincts: set[str] = set()
        self.boxes: dict[str, list[float]] = {}
        self.total = 0

    def check(self, parcels: list[ParcelDraft]) -> None:
        _geometry_checks(parcels, self.report, self.repair)
        self.total += len(parcels)
        for parcel in parcels:
            self.counts[parcel.identifier] += 1
            self.first.setdefault(parcel.identifier, (parcel.file, parcel.where))
            self._check_one(parcel)
            if parcel.bbox is not None:
                x0, y0, x1, y1 = parcel.bbox
                box = self.boxes.setdefault(parcel.file, [x0, y0, x1, y1])
                box[:] = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]

    def _check_one(self, parcel: ParcelDraft) -> None:
        def add(rule: str, message: str | Message, severity: str = "error") -> None:
            self.report.add(
                rule,
                message,
                file=parcel.file,
                feature=parcel.identifier,
                where=parcel.where,
                severity=severity,
                point=_middle(parcel.bbox),
            )

        try:
            pid = parse_parcel_id(parcel.identifier)
        except IdentifierError as exc:
            add("identifier.parcel", str(exc))
            return
        self.precincts.add(pid.precinct_id)
        if pid.unit not in self.units:
            add(
                "parcel.wrong_municipality",
                problem(
                    _("unit %(unit)s is not a unit of %(municipality)s (%(units)s)"),
                    unit=pid.unit,
                    municipality=self.municipality.name,
                    units=", ".join(sorted(self.units)),
                ),
            )
        if (pid.unit, pid.precinct) in self.foreign:
            add(
                "parcel.foreign_precinct",
                problem(
                    _("precinct %(precinct)s belongs to another gmina"), precinct=pid.precinct_id
                ),
            )
        if parcel.geom is None:
            add("geometry.missing", problem(_("no usable geometry")))
        elif parcel.registered_area_ha:
            registered = float(parcel.registered_area_ha) * 10000
            if abs(parcel.area - registered) > max(AREA_TOLERANCE * registered, 10):
                add(
                    "parcel.area_mismatch",
                    problem(
                        _("computed %(area).0f m², registered %(registered).0f m²"),
                        area=parcel.area,
                        registered=registered,
                    ),
                    severity=WARNING,
                )

    def finish(self) -> None:
        for identifier, count in self.counts.items():
            if count > 1:
                file, where = self.first[identifier]
                self.report.add(
                    "parcel.duplicate",
                    problem(_("%(parcel)s occurs %(count)s times"), parcel=identifier, count=count),
                    file=file,
                    feature=identifier,
                    where=where,
                )
        for file, box in self.boxes.items():
            try:
                check_near_municipality(tuple(box), self.municipality.boundary)
            except PositionError as exc:
                self.report.add(exc.rule, exc.text, file=file)


def prepare_for_writing(parcels: list[ParcelDraft], *, repair: bool) -> list[ParcelDraft]:
    """Second pass: the same repairs as during validation, and the measurements."""
    _geometry_checks(parcels, Report(kind="parcels"), repair)
    return parcels
