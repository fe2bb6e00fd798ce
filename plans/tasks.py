"""Background jobs (procrastinate) of the planners' web upload, queue ``ingest``."""

from __future__ import annotations

from procrastinate.contrib.django import app

from plans.ingest import jobs
from plans.models import ImportJob


def _failed(job_id: int, exc: Exception) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
    )


@app.task(queue="ingest", name="plans.validate_import")
def validate_import(job_id: int) -> None:
    """Read and check the uploaded files; store the report (nothing is written)."""
    try:
        jobs.validate_job(job_id)
    except Exception as exc:
        _failed(job_id, exc)
        raise


@app.task(queue="ingest", name="plans.apply_import")
def apply_import(job_id: int) -> None:
    """After the planner's confirmation: import (and publish) in one transaction."""
    try:
        jobs.apply_job(job_id)
    except Exception as exc:
        _failed(job_id, exc)
        raise
