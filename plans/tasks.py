"""Background jobs (procrastinate) of the planners' web upload, queue ``ingest``; their one failure path.

The tasks call the domain (``plans/ingest/jobs.py``), never the reverse; views queue work through
the functions here. An import whose job raises, or whose worker dies (found by ``recover_stalled``,
every minute and before a retry), ends ``failed`` with its reason, and ``retry_import`` runs the
step it failed in again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from procrastinate.contrib.django import app

from layers.jobs import INTERRUPTED, STALLED_AFTER_S, fail_stalled_jobs
from plans.ingest import jobs
from plans.ingest.sync import sync_due
from plans.models import ImportJob


@contextmanager
def _failing_the_import(job_id: int) -> Iterator[None]:
    """The one failure path of a step that raises: the import says why, procrastinate fails too."""
    try:
        yield
    except Exception as exc:
        jobs.fail_job(job_id=job_id, reason=f"{type(exc).__name__}: {exc}")
        raise


@app.task(queue="ingest", name="plans.validate_import")
def validate_import(job_id: int) -> None:
    """Read and check the uploaded files; store the report (nothing is written)."""
    with _failing_the_import(job_id):
        jobs.validate_job(job_id)


@app.task(queue="ingest", name="plans.apply_import")
def apply_import(job_id: int) -> None:
    """After the planner's confirmation: import (and publish) in one transaction."""
    with _failing_the_import(job_id):
        jobs.apply_job(job_id)


STEPS = {"validate": validate_import, "apply": apply_import}


def submit_upload(**upload) -> ImportJob:
    """Save a planner's upload (``jobs.create_job`` arguments) and queue its validation."""
    job = jobs.create_job(**upload)
    transaction.on_commit(lambda: validate_import.defer(job_id=job.pk))
    return job


def submit_harvest(**harvest) -> ImportJob:
    """A planner's "Pobierz z Rejestru Urbanistycznego": queue the download and its dry run."""
    job = jobs.create_harvest_job(**harvest)
    transaction.on_commit(lambda: validate_import.defer(job_id=job.pk))
    return job


def confirm_import(*, job: ImportJob, actor) -> ImportJob:
    """The planner confirms a clean report: queue the real import."""
    jobs.confirm_job(job=job, actor=actor)
    transaction.on_commit(lambda: apply_import.defer(job_id=job.pk))
    return job


def _interrupted(args: dict) -> bool:
    return jobs.fail_job(job_id=args["job_id"], reason=INTERRUPTED)


def recover_stalled(*, seconds_since_heartbeat: float = STALLED_AFTER_S) -> list[int]:
    """Fail the imports whose worker died (and their jobs); the ids of the imports failed."""
    failed = fail_stalled_jobs(
        task_names=[task.name for task in STEPS.values()],
        fail=_interrupted,
        seconds_since_heartbeat=seconds_since_heartbeat,
    )
    return [args["job_id"] for args in failed]


@app.periodic(cron="* * * * *", periodic_id="plans.recover_stalled")
@app.task(queue="recovery", name="plans.recover_stalled", queueing_lock="plans.recover")
def recover_stalled_imports(timestamp: int) -> None:
    recover_stalled()


def retry_import(*, job: ImportJob) -> bool:
    """Queue a failed (or stuck: its worker died) import's step again; False when not failed.

    Idempotent: a second retry finds the job queued or writing and queues nothing.
    """
    recover_stalled()
    with transaction.atomic():
        step = jobs.requeue_failed(job_id=job.pk)
        if step is None:
            return False
        transaction.on_commit(lambda: STEPS[step].defer(job_id=job.pk))
    return True


@app.periodic(cron="17 * * * *", periodic_id="plans.sync_harvested")
@app.task(queue="ingest", name="plans.sync_harvested", queueing_lock="plans.sync_harvested")
def sync_harvested(timestamp: int) -> None:
    """Harvest again the gminy whose source has sync on (``HARVEST_SYNC_HOURS``; 0 = off)."""
    sync_due()
