"""A surveyor's batch of informational extracts: render one PDF per parcel, store them as a zip.

The batch's life: ``queued`` → ``running`` → ``done``, or ``failed`` with its reason (the job
raised, or its worker died: ``extracts/tasks.py`` finds those). A failed batch can be retried:
it is queued again from scratch. Nothing is half-written: the zip is stored in one update at the
end, and informational extracts carry no number, so a retry renders every parcel again.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import zipfile
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from extracts import batch_worker
from extracts.document import ExtractMeta, build_document
from extracts.engine import ParcelProblem, compute_extract, resolve_parcels
from extracts.models import ExtractBatch, ExtractKind

BATCH_DPI = 150


def render_parcels(
    identifiers: list[str], as_of: dt.date
) -> tuple[list[tuple[str, bytes]], list[str]]:
    """(file name, PDF) of the informational extract of each parcel, and the problems met.

    Also what each spawned process runs (``batch_worker.init`` sets Django up first).
    """
    try:
        by_gmina = resolve_parcels(identifiers=identifiers)
    except ParcelProblem as exc:  # parcels retired between the request and the job
        return [], exc.problems
    files = []
    for municipality, parcels in by_gmina.items():
        for parcel in parcels:
            content = compute_extract(municipality=municipality, parcels=[parcel], on=as_of)
            built = build_document(
                content=content,
                meta=ExtractMeta(kind=ExtractKind.WYPIS_WYRYS, informational=True),
                dpi=BATCH_DPI,
            )
            files.append(
                (f"wypis-informacyjny-{parcel.identifier.replace('/', '_')}.pdf", built.pdf)
            )
    return files, []


def _render_in_workers(identifiers: list[str], as_of: dt.date, workers: int):
    chunks = [identifiers[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("spawn")  # never fork a threaded worker process
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=batch_worker.init,
        initargs=(connection.settings_dict["NAME"],),
    ) as pool:
        # the function is unpickled in the child after the initializer has set Django up
        results = list(pool.map(render_parcels, chunks, [as_of] * workers))
    files = [f for chunk_files, _problems in results for f in chunk_files]
    problems = [p for _files, chunk_problems in results for p in chunk_problems]
    return sorted(files), problems


def _start(batch_id: int) -> ExtractBatch | None:
    """The batch, now ``running``; None when it is not queued (done, failed, or taken already)."""
    with transaction.atomic():
        batch = ExtractBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status != ExtractBatch.Status.QUEUED:
            return None
        batch.status = ExtractBatch.Status.RUNNING
        batch.save(update_fields=["status"])
    return batch


def run_batch(*, batch_id: int, workers: int | None = None) -> ExtractBatch:
    """Render one informational PDF per parcel of a queued batch and store them as a zip.

    With ``workers`` > 1 (``settings.EXTRACT_BATCH_WORKERS``) the parcels are shared among
    spawned processes (PDF layout is CPU-bound Python); they read committed data.
    """
    batch = _start(batch_id)
    if batch is None:
        return ExtractBatch.objects.get(pk=batch_id)
    workers = workers or getattr(settings, "EXTRACT_BATCH_WORKERS", 1)
    workers = max(1, min(workers, len(batch.parcel_ids)))
    if workers > 1:
        files, errors = _render_in_workers(batch.parcel_ids, batch.as_of, workers)
    else:
        files, errors = render_parcels(batch.parcel_ids, batch.as_of)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    batch.zip_file = buffer.getvalue()
    batch.errors = errors
    batch.status = ExtractBatch.Status.DONE
    batch.finished_at = timezone.now()
    batch.save(update_fields=["zip_file", "errors", "status", "finished_at"])
    return batch


def fail_batch(*, batch_id: int, reason: str) -> bool:
    """End an unfinished batch ``failed`` with its reason; False when it had finished already."""
    return bool(
        ExtractBatch.objects.filter(
            pk=batch_id, status__in=[ExtractBatch.Status.QUEUED, ExtractBatch.Status.RUNNING]
        ).update(
            status=ExtractBatch.Status.FAILED,
            failure=reason[:2000],
            finished_at=timezone.now(),
        )
    )


def requeue_failed(*, batch_id: int) -> bool:
    """Put a failed batch back in the queue, cleared; False (nothing done) for any other status.

    Call inside the transaction that queues its job: a repeated retry then queues nothing more.
    """
    batch = ExtractBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status != ExtractBatch.Status.FAILED:
        return False
    batch.status = ExtractBatch.Status.QUEUED
    batch.failure = ""
    batch.errors = []
    batch.zip_file = None
    batch.finished_at = None
    batch.save(update_fields=["status", "failure", "errors", "zip_file", "finished_at"])
    return True
