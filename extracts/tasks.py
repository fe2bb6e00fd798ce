"""Background jobs (procrastinate): a surveyor's batch of informational extracts as one zip."""

from __future__ import annotations

import io
import zipfile

from django.db import transaction
from django.utils import timezone
from procrastinate.contrib.django import app

from extracts.document import ExtractMeta, build_document
from extracts.engine import ParcelProblem, compute_extract, resolve_parcels
from extracts.models import ExtractBatch, ExtractKind

BATCH_DPI = 150


def run_batch(*, batch_id: int) -> ExtractBatch:
    """Render one informational PDF per parcel of the batch and store them as a zip."""
    with transaction.atomic():
        batch = ExtractBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status in (ExtractBatch.Status.DONE, ExtractBatch.Status.RUNNING):
            return batch
        batch.status = ExtractBatch.Status.RUNNING
        batch.save(update_fields=["status"])
    errors: list[str] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        try:
            by_gmina = resolve_parcels(identifiers=batch.parcel_ids)
        except ParcelProblem as exc:  # parcels retired between the request and the job
            errors.extend(exc.problems)
            by_gmina = {}
        for municipality, parcels in by_gmina.items():
            for parcel in parcels:
                content = compute_extract(
                    municipality=municipality, parcels=[parcel], on=batch.as_of
                )
                built = build_document(
                    content=content,
                    meta=ExtractMeta(kind=ExtractKind.WYPIS_WYRYS, informational=True),
                    dpi=BATCH_DPI,
                )
                name = parcel.identifier.replace("/", "_")
                archive.writestr(f"wypis-informacyjny-{name}.pdf", built.pdf)
    batch.zip_file = buffer.getvalue()
    batch.errors = errors
    batch.status = ExtractBatch.Status.DONE
    batch.finished_at = timezone.now()
    batch.save(update_fields=["zip_file", "errors", "status", "finished_at"])
    return batch


@app.task(queue="extracts", name="extracts.build_batch")
def build_batch(batch_id: int) -> None:
    run_batch(batch_id=batch_id)
