"""Background jobs (procrastinate) of the extracts app, queue ``extracts``; their one failure path.

The tasks call the domain (``extracts/batches.py``), never the reverse; views queue work through
the functions here. A batch whose job raises, or whose worker dies (found by ``recover_stalled``,
every minute and before a retry), ends ``failed`` with its reason, and ``retry_batch`` queues it
again.
"""

from __future__ import annotations

from django.db import transaction
from procrastinate.contrib.django import app

from extracts import batches
from extracts.models import ExtractBatch
from layers.jobs import INTERRUPTED, STALLED_AFTER_S, fail_stalled_jobs


@app.task(queue="extracts", name="extracts.build_batch")
def build_batch(batch_id: int) -> None:
    try:
        batches.run_batch(batch_id=batch_id)
    except Exception as exc:  # the one failure path: the batch says why, the job fails too
        batches.fail_batch(batch_id=batch_id, reason=f"{type(exc).__name__}: {exc}")
        raise


def queue_batch(*, batch: ExtractBatch) -> ExtractBatch:
    """Queue the batch's job (when the current transaction commits) and remember its id."""
    batch.job_id = build_batch.defer(batch_id=batch.pk)
    batch.save(update_fields=["job_id"])
    return batch


def _interrupted(args: dict) -> bool:
    return batches.fail_batch(batch_id=args["batch_id"], reason=INTERRUPTED)


def recover_stalled(*, seconds_since_heartbeat: float = STALLED_AFTER_S) -> list[int]:
    """Fail the batches whose worker died (and their jobs); the ids of the batches failed."""
    failed = fail_stalled_jobs(
        task_names=[build_batch.name],
        fail=_interrupted,
        seconds_since_heartbeat=seconds_since_heartbeat,
    )
    return [args["batch_id"] for args in failed]


@app.periodic(cron="* * * * *", periodic_id="extracts.recover_stalled")
@app.task(queue="recovery", name="extracts.recover_stalled", queueing_lock="extracts.recover")
def recover_stalled_batches(timestamp: int) -> None:
    recover_stalled()


def retry_batch(*, batch: ExtractBatch) -> bool:
    """Queue a failed (or stuck: its worker died) batch again; False when it is not failed.

    Idempotent: a second retry finds the batch queued and queues nothing.
    """
    recover_stalled()
    with transaction.atomic():
        if not batches.requeue_failed(batch_id=batch.pk):
            return False
        queue_batch(batch=ExtractBatch.objects.get(pk=batch.pk))
    return True
