"""The one place that writes an import: atomically, with history, the layer versions bumped.

A new version of a plan links to the previous one (``previous_version``) and, when it enters into
force, closes it (status obsolete, ``in_force_to``) without deleting it. A parcel re-import closes
the current parcels of the precincts (or the whole gmina) it covers (``valid_to``) and adds new
rows, so that history stays queryable with ``Parcel.objects.as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import numpy as np
import shapely
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from accounts.audit import record
from layers.identifiers import parse_parcel_id
from layers.models import Layer, Municipality, Parcel, Precinct
from layers.municipalities import extend_boundary_to_data
from plans.ingest.drafts import PARAMETERS, ParcelDraft, PlanDraft
from plans.models import Plan, PlanDocument, PlanZone, Regulation

PLAN_LAYER_KINDS = [Layer.Kind.PLAN_BOUNDARIES, Layer.Kind.PLAN_ZONES, Layer.Kind.REGULATIONS]
PARCEL_LAYER_KINDS = [Layer.Kind.PARCELS, Layer.Kind.PRECINCTS]
BATCH = 2000
STORAGE_SRID = 2180


def previous_version_of(municipality: Municipality, draft: PlanDraft) -> Plan | None:
    if not draft.local_id:
        return None
    return (
        Plan.objects.for_municipality(municipality)
        .filter(namespace=draft.namespace, local_id=draft.local_id, next_version__isnull=True)
        .exclude(version_id=draft.version_id)
        .order_by("-created_at")
        .first()
    )


def _supersede(previous: Plan, new: Plan, *, actor) -> None:
    if new.status != Plan.Status.LEGAL_FORCE or previous.status == Plan.Status.OBSOLETE:
        return
    old_status = previous.status
    previous.status = Plan.Status.OBSOLETE
    fields = ["status", "updated_at"]
    if previous.in_force_to is None and previous.in_force_from is not None:
        previous.in_force_to = max(new.in_force_from, previous.in_force_from)
        fields.append("in_force_to")
    previous.save(update_fields=fields)
    record(
        action="plan.status_change",
        actor=actor,
        municipality=previous.municipality,
        target=previous,
        details={"from": old_status, "to": previous.status, "superseded_by": new.pk},
    )


@transaction.atomic
def write_plan(
    *,
    municipality: Municipality,
    draft: PlanDraft,
    actor=None,
    publish: bool = False,
    source: str = "",
) -> Plan:
    """The plan, its zones and regulations, in one transaction; audited, layers bumped."""
    previous = previous_version_of(municipality, draft)
    plan = _create_plan(municipality, draft, previous=previous, publish=publish)
    _create_features(municipality, plan, draft)
    _keep_resolution(municipality, plan, draft)
    if publish and previous is not None:
        _supersede(previous, plan, actor=actor)
    details = {
        "zones": len(draft.zones),
        "regulations": len(draft.regulations),
        "source": source,
        "previous_version": previous.pk if previous else None,
    }
    record(
        action="plan.import", actor=actor, municipality=municipality, target=plan, details=details
    )
    if publish:
        record(action="plan.publish", actor=actor, municipality=municipality, target=plan)
    _after_import(municipality, PLAN_LAYER_KINDS)
    return plan


def _create_plan(
    municipality: Municipality, draft: PlanDraft, *, previous: Plan | None, publish: bool
) -> Plan:
    return Plan.objects.create(
        municipality=municipality,
        kind=draft.kind,
        title=draft.title[:500],
        resolution_number=draft.resolution_number[:80],
        resolution_date=draft.resolution_date,
        publication=draft.publication[:200],
        status=draft.status,
        in_force_from=draft.in_force_from,
        in_force_to=draft.in_force_to,
        namespace=draft.namespace,
        local_id=draft.local_id,
        version_id=draft.version_id,
        boundary=draft.boundary,
        drawing_scale=draft.drawing_scale,
        general_provisions=draft.general_provisions,
        previous_version=previous,
        is_published=publish,
    )


def _create_features(municipality: Municipality, plan: Plan, draft: PlanDraft) -> None:
    """The plan's zones and regulations (texts cut to their column sizes)."""
    PlanZone.objects.bulk_create(
        PlanZone(
            municipality=municipality,
            plan=plan,
            designation=zone.designation[:40],
            symbol=zone.symbol[:40],
            number=zone.number,
            name=zone.name[:300],
            zone_kind=zone.zone_kind[:4],
            profile=[code.removeprefix("KPT-MPZP-")[:12] for code in zone.profile],
            provisions=zone.provisions,
            local_id=zone.local_id[:120],
            geom=zone.geom,
            area_m2=zone.geom.area,
            **{field: zone.parameter(app) for app, field in PARAMETERS.items()},
        )
        for zone in draft.zones
    )
    Regulation.objects.bulk_create(
        Regulation(
            municipality=municipality,
            plan=plan,
            kind=r.kind,
            name=r.name[:300],
            designation=r.designation[:40],
            local_id=r.local_id[:120],
            parameters=r.parameters,
            geom=r.geom,
        )
        for r in draft.regulations
    )
    PlanDocument.objects.bulk_create(
        PlanDocument(
            municipality=municipality,
            plan=plan,
            kind=PlanDocument.Kind.RESOLUTION if d.get("resolution") else PlanDocument.Kind.OTHER,
            title=(d["title"] or d["local_id"] or "-")[:300],
            local_id=d["local_id"][:120],
            date=_iso_date(d.get("date", "")),
            url=next(
                (
                    u
                    for u in d.get("links", [])
                    if u.startswith(("http://", "https://")) and len(u) <= 200
                ),
                "",
            ),
        )
        for d in draft.documents
    )


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _keep_resolution(municipality: Municipality, plan: Plan, draft: PlanDraft) -> None:
    """The resolution text the provisions came from, as a document of the plan."""
    path = draft.resolution_file
    if path is None or not path.exists():
        return
    document = PlanDocument(
        municipality=municipality,
        plan=plan,
        kind=PlanDocument.Kind.RESOLUTION,
        title=(draft.resolution_number or path.name)[:300],
        date=draft.resolution_date,
    )
    with path.open("rb") as handle:
        document.file.save(path.name, File(handle), save=False)
    document.save()


@transaction.atomic
def publish_plan(*, plan: Plan, actor=None) -> Plan:
    plan.is_published = True
    plan.save(update_fields=["is_published", "updated_at"])
    if plan.previous_version_id:
        _supersede(plan.previous_version, plan, actor=actor)
    record(action="plan.publish", actor=actor, municipality=plan.municipality, target=plan)
    Layer.bump(municipality=plan.municipality, kinds=PLAN_LAYER_KINDS)
    return plan


def _after_import(municipality: Municipality, kinds: list[str]) -> None:
    Layer.bump(municipality=municipality, kinds=kinds)
    if municipality.boundary is None:
        extend_boundary_to_data(municipality=municipality)


def _precincts(municipality: Municipality, precinct_ids: set[str]) -> dict[str, Precinct]:
    """The gmina's precincts named ``WWPPGG_R.OOOO``; missing ones are created."""
    wanted = {key: tuple(key.split(".")) for key in precinct_ids}
    existing = {
        p.identifier: p
        for p in Precinct.objects.for_municipality(municipality).filter(
            unit__in={u for u, _n in wanted.values()}
        )
    }
    for key, (unit, number) in wanted.items():
        if key not in existing:
            existing[key] = Precinct.objects.create(
                municipality=municipality, unit=unit, number=number
            )
    return existing


COPY_FIELDS = (
    "municipality",
    "precinct",
    "identifier",
    "number",
    "geom",
    "registered_area_ha",
    "area_m2",
    "valid_from",
    "source",
)


def _copy_parcels(rows) -> int:
    """COPY rows into the parcel table (the column list comes from the model, not from input)."""
    opts = Parcel._meta
    columns = ", ".join(connection.ops.quote_name(opts.get_field(f).column) for f in COPY_FIELDS)
    sql = f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


@transaction.atomic
def write_parcels(
    *,
    municipality: Municipality,
    chunks: Iterable[list[ParcelDraft]],
    precinct_ids: set[str],
    total: int,
    actor=None,
    whole_municipality: bool = False,
    source: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Close the current parcels of the precincts (or the gmina) and COPY the new ones in."""
    now = timezone.now()
    precincts = _precincts(municipality, precinct_ids)
    current = Parcel.objects.for_municipality(municipality).current()
    if not whole_municipality:
        current = current.filter(precinct__in=list(precincts.values()))
    superseded = current.update(valid_to=now)
    valid_from = now + dt.timedelta(microseconds=1)

    def rows():
        done = 0
        for chunk in chunks:
            geoms = shapely.set_srid(np.array([p.geom for p in chunk], dtype=object), STORAGE_SRID)
            ewkb = shapely.to_wkb(geoms, hex=True, include_srid=True)
            for draft, geom in zip(chunk, ewkb, strict=True):
                pid = parse_parcel_id(draft.identifier)
                yield (
                    municipality.pk,
                    precincts[pid.precinct_id].pk,
                    str(pid),
                    pid.number,
                    geom,
                    draft.registered_area_ha,
                    draft.area,
                    valid_from,
                    source[:200],
                )
            done += len(chunk)
            if progress:
                progress(done, total)

    created = _copy_parcels(rows())
    details = {
        "created": created,
        "superseded": superseded,
        "source": source,
        "precincts": sorted(precincts),
    }
    record(
        action="parcel.import",
        actor=actor,
        municipality=municipality,
        target=f"{created} parcels",
        details=details,
    )
    _after_import(municipality, PARCEL_LAYER_KINDS)
    return {"created": created, "superseded": superseded}
