"""Import a plan or parcels: read every file, validate, report, and write only a clean whole.

These two functions are what the management commands and the background job call. Nothing is
written when any finding is an error, when ``dry_run`` is set, or when reading fails; the write
itself is one transaction (``writer``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext_noop as _

from layers.messages import problem
from layers.models import Municipality
from plans.ingest import writer
from plans.ingest.addresses import import_addresses, is_prg_addresses
from plans.ingest.app_plan import build_plan
from plans.ingest.drafts import ParcelDraft, PlanDraft
from plans.ingest.egib import read_egib
from plans.ingest.gml_app import read_app_file
from plans.ingest.pace import paced
from plans.ingest.parcels import ParcelChecker, prepare_for_writing
from plans.ingest.position import PositionError, check_near_municipality
from plans.ingest.provisions import normalise, read_provisions
from plans.ingest.provisions_review import apply_fix, provisions_summary
from plans.ingest.report import INFO, WARNING, FeatureSummary, IngestError, Report
from plans.ingest.validate import validate_plan
from plans.ingest.vector import (
    VECTOR_SUFFIXES,
    ParcelMapping,
    ZoneMapping,
    iter_parcels,
    read_zones,
)
from plans.models import Plan

Progress = Callable[[str, int, int | None], None]
GML_SUFFIXES = {".gml", ".xml"}


@dataclass
class ActExtent:
    """The act's extent (the plan boundary) as a feature of the report."""

    label: str
    file: str
    geom: object


@dataclass
class PlanOptions:
    title: str = ""
    kind: str = "MPZP"
    status: str = "elaboration"
    resolution_number: str = ""
    provisions: Path | None = None
    mapping: ZoneMapping = field(default_factory=ZoneMapping)
    repair: bool = False
    publish: bool = False
    # the planner's corrections: designation -> {"paragraphs": [indices], "text": pasted text}
    provisions_fix: dict = field(default_factory=dict)
    act_plan: Plan | None = None  # a plan in the portal to check files without an act against


def _noop(stage: str, done: int, total: int | None) -> None:
    return None


def _summaries(report: Report, items, kind_of) -> None:
    """Every feature read, with area and bbox; parcels carry them measured already."""
    failed = {(f.file, f.feature) for f in report.errors}
    for item in items:
        label = getattr(item, "label", None) or getattr(item, "identifier", "")
        geom = item.geom
        if hasattr(item, "bbox"):
            area, bbox = (item.area, item.bbox) if geom is not None else (None, None)
        else:
            area, bbox = (geom.area, geom.extent) if geom is not None else (None, None)
        report.features.append(
            FeatureSummary(
                identifier=label,
                kind=kind_of(item),
                file=item.file,
                area_m2=round(area, 2) if area is not None else None,
                bbox=tuple(round(v, 2) for v in bbox) if bbox is not None else None,
                imported=geom is not None and (item.file, label) not in failed,
            )
        )


def _read_plan(paths: list[Path], options: PlanOptions, report: Report) -> PlanDraft | None:
    gml = [p for p in paths if p.suffix.lower() in GML_SUFFIXES]
    vector = [p for p in paths if p.suffix.lower() in VECTOR_SUFFIXES]
    for other in set(paths) - set(gml) - set(vector):
        raise IngestError(
            problem(
                _(
                    "%(suffix)s files are not plan data (APP GML, GeoPackage, zipped Shapefile, GeoJSON)"
                ),
                suffix=other.suffix or other.name,
            ),
            file=other.name,
            rule="file.format",
        )
    if gml:
        features = []
        for path in gml:
            try:
                features += read_app_file(path, report)
            except IngestError as exc:  # one unreadable file does not hide the others' findings
                report.add_error(exc)
        if not features:
            return None
        act_from = None
        if options.act_plan is not None and not any(
            f.type == "AktPlanowaniaPrzestrzennego" for f in features
        ):
            act_from = draft_of_portal_act(options.act_plan, report)
        return build_plan(features, report, act_from=act_from)
    plan = PlanDraft(
        kind=options.kind,
        title=options.title or paths[0].stem,
        status=options.status,
        resolution_number=options.resolution_number,
        file=paths[0].name,
        boundary_from_zones=True,
    )
    for path in vector:
        plan.zones += read_zones(path, report, mapping=options.mapping)
    shapes = [z.geom for z in plan.zones if z.geom is not None]
    if shapes:
        union = shapes[0]
        for shape in shapes[1:]:
            union = union.union(shape)
        plan.boundary = union if union.geom_type == "MultiPolygon" else _as_multi(union)
    return plan


def draft_of_portal_act(plan: Plan, report: Report) -> PlanDraft:
    """A plan already in the portal standing in for the act the files do not hold."""
    report.add(
        "app.act_from_portal",
        problem(
            _(
                "the files hold no act; checked against plan %(pk)s (%(plan)s) already in the "
                "portal; nothing is written"
            ),
            pk=plan.pk,
            plan=plan.local_id or plan.title,
        ),
        feature=plan.local_id or str(plan.pk),
        severity=INFO,
    )
    return PlanDraft(
        kind=plan.kind,
        title=plan.title,
        namespace=plan.namespace,
        local_id=plan.local_id,
        version_id=plan.version_id,
        status=plan.status,
        in_force_from=plan.in_force_from,
        boundary=plan.boundary,
        act_from_portal=plan.pk,
    )


def _as_multi(geom):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    parts = [geom] if isinstance(geom, Polygon) else [g for g in geom if isinstance(g, Polygon)]
    return MultiPolygon(*parts, srid=2180)


def _attach_provisions(
    plan: PlanDraft, path: Path, report: Report, *, fix: dict | None = None
) -> None:
    """Each zone's provisions from the resolution; never a rejection: a zone the text does not
    name is a warning, and the resolution is kept as a document of the plan either way."""
    provisions = apply_fix(
        read_provisions(path, designations=[z.designation for z in plan.zones]), fix or {}
    )
    plan.general_provisions = provisions.general or plan.general_provisions
    plan.resolution_file = path
    report.summary["provisions"] = provisions_summary(provisions, plan.zones)
    matched = set()
    for zone in plan.zones:
        key = normalise(zone.designation)
        if provisions.zones.get(key):
            zone.provisions = provisions.zones[key]
            matched.add(key)
        elif zone.provisions == "":
            report.add(
                "provisions.zone_without_text",
                problem(
                    _("no part of the resolution names this zone; it has no provisions of its own")
                ),
                file=path.name,
                feature=zone.designation,
                severity=WARNING,
            )
    for key in set(provisions.zones) - matched:
        report.add(
            "provisions.unknown_designation",
            problem(
                _("provisions for %(designation)s, which is no zone of the plan"), designation=key
            ),
            file=path.name,
            feature=key,
            severity=WARNING,
        )


def import_plan(
    *,
    municipality: Municipality,
    paths: list[Path],
    options: PlanOptions | None = None,
    dry_run: bool = False,
    actor=None,
    progress: Progress = _noop,
) -> tuple[Report, Plan | None]:
    """Read the plan's files, check it whole, report; write it only when clean and not a dry run."""
    options = options or PlanOptions()
    report = Report(kind="plan", files=[p.name for p in paths], dry_run=dry_run)
    try:
        progress("read", 0, len(paths))
        plan = _read_plan(paths, options, report)
        if plan is not None and options.provisions:
            _attach_provisions(plan, options.provisions, report, fix=options.provisions_fix)
    except IngestError as exc:
        report.add_error(exc)
        return report, None
    if plan is None:
        return report, None
    progress("validate", len(paths), len(paths))
    _check_plan(plan, municipality, report, repair=options.repair)
    _summarise_plan(plan, report)
    if not report.ok or dry_run or plan.act_from_portal is not None:
        return report, None
    progress("write", 0, len(plan.zones))
    saved = writer.write_plan(
        municipality=municipality,
        draft=plan,
        actor=actor,
        publish=options.publish,
        source=", ".join(report.files),
    )
    report.written = True
    report.summary["plan_id"] = saved.pk
    return report, saved


def _check_plan(plan: PlanDraft, municipality: Municipality, report: Report, *, repair: bool):
    """Every check of a plan read whole: position, the validator's rules, version, force."""
    _check_position(
        ((z.file, z.geom.extent) for z in plan.zones if z.geom is not None), municipality, report
    )
    validate_plan(plan, municipality, report, repair=repair)
    if (
        plan.local_id
        and plan.act_from_portal is None
        and Plan.objects.filter(
            namespace=plan.namespace, local_id=plan.local_id, version_id=plan.version_id
        ).exists()
    ):
        report.add(
            "plan.version_exists",
            problem(
                _("version %(version)s of %(plan)s is already imported"),
                version=plan.version_id,
                plan=plan.local_id,
            ),
            file=plan.file,
            feature=plan.label,
        )
    if plan.status == "legalForce" and plan.in_force_from is None:
        report.add(
            "plan.in_force_missing",
            problem(_("a plan in force needs obowiazujeOd")),
            file=plan.file,
            feature=plan.label,
        )


def _summarise_plan(plan: PlanDraft, report: Report) -> None:
    """Every feature read: the act's extent, zones, OUZ/OZS/OSD, documents (no geometry)."""
    if plan.act_read:
        act = ActExtent(label=plan.label, file=plan.file, geom=plan.boundary)
        _summaries(report, [act], lambda a: "act")
    _summaries(report, plan.zones, lambda z: "zone")
    _summaries(report, plan.regulations, lambda r: r.kind)
    for document in plan.documents:
        report.features.append(
            FeatureSummary(
                identifier=document["local_id"] or document["title"],
                kind="document",
                file=document.get("file", ""),
                area_m2=None,
                bbox=None,
            )
        )
    report.summary.update(
        {
            "title": plan.title,
            "kind": plan.kind,
            "zones": len(plan.zones),
            "regulations": len(plan.regulations),
            "local_id": plan.local_id,
            "version_id": plan.version_id,
            "documents": len(plan.documents),
        }
    )
    if plan.act_from_portal is not None:
        report.summary["checked_against_plan"] = plan.act_from_portal


def _check_position(boxes, municipality: Municipality, report: Report) -> None:
    """``boxes``: (file, bbox in EPSG:2180) of every feature."""
    by_file: dict[str, list[float]] = {}
    for file, bbox in boxes:
        if bbox is None:
            continue
        x0, y0, x1, y1 = bbox
        box = by_file.setdefault(file, [x0, y0, x1, y1])
        box[:] = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
    for file, box in by_file.items():
        try:
            check_near_municipality(tuple(box), municipality.boundary)
        except PositionError as exc:
            report.add(exc.rule, exc.text, file=file)


def _parcel_source(
    path: Path, mapping: ParcelMapping, report: Report, progress: Progress
) -> Callable[[Report], Iterator[list[ParcelDraft]]]:
    """A way to read a file's parcels, repeatable for the writing pass.

    EGiB GML is streamed once (the newest version of each parcel wins, so it is kept in memory);
    vector layers are read slice by slice in both passes.
    """

    def counted(n: int) -> None:
        progress(f"read {path.name}", n, None)

    suffix = path.suffix.lower()
    if suffix in GML_SUFFIXES:
        drafts = read_egib(path, report, progress=counted)
        return lambda _report: iter([drafts])
    if suffix in VECTOR_SUFFIXES:
        return lambda rep: iter_parcels(path, rep, mapping=mapping, progress=counted)
    raise IngestError(
        problem(
            _(
                "%(suffix)s files are not parcel data (EGiB GML, GeoPackage, zipped Shapefile, GeoJSON)"
            ),
            suffix=suffix or path.name,
        ),
        file=path.name,
        rule="file.format",
    )


def import_parcels(
    *,
    municipality: Municipality,
    paths: list[Path],
    dry_run: bool = False,
    actor=None,
    whole_municipality: bool = False,
    mapping: ParcelMapping | None = None,
    repair: bool = False,
    progress: Progress = _noop,
) -> Report:
    """Validate every parcel (first pass), then write them all in one transaction (second pass).

    PRG address exports (the gmina's address points) take the same path: the import page and
    ``import_parcels`` recognise them and hand them to :func:`plans.ingest.addresses`."""
    if paths and all(is_prg_addresses(p) for p in paths):
        return import_addresses(municipality=municipality, paths=paths, dry_run=dry_run)
    progress = paced(progress)  # leaves the node's CPU to the maps it serves (plans/ingest/pace.py)
    report = Report(kind="parcels", files=[p.name for p in paths], dry_run=dry_run)
    checker = ParcelChecker(municipality, report, repair=repair)
    sources = []
    try:
        for path in paths:
            source = _parcel_source(path, mapping or ParcelMapping(), report, progress)
            for chunk in source(report):
                checker.check(chunk)
                _summaries(report, chunk, lambda p: "parcel")
                progress("validate", checker.total, None)
            sources.append(source)
    except IngestError as exc:
        report.add_error(exc)
        return report
    checker.finish()
    report.summary = {"parcels": checker.total}
    if not report.ok or dry_run:
        return report

    def chunks() -> Iterator[list[ParcelDraft]]:
        scratch = Report(kind="parcels")
        for source in sources:
            for chunk in source(scratch):
                yield prepare_for_writing(chunk, repair=repair)

    result = writer.write_parcels(
        municipality=municipality,
        chunks=chunks(),
        precinct_ids=checker.precincts,
        total=checker.total,
        actor=actor,
        whole_municipality=whole_municipality,
        source=", ".join(report.files)[:200],
        progress=lambda done, total: progress("write", done, total),
    )
    report.written = True
    report.summary.update(result)
    return report
