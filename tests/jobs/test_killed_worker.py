"""A worker killed (SIGKILL) in the middle of a job: the job ends failed with its reason, the user
sees it, a retry finishes it, and nothing is half-written.

Each test runs a real ``manage.py procrastinate worker`` on the test database that pauses at a
known point of the job (tests/jobs/pausing_worker.py), kills it there, runs the stalled-job
recovery that the portal runs every minute, then retries as the user would.
"""

from __future__ import annotations

import io
import signal
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from extracts import tasks as extract_tasks
from extracts.models import ExtractBatch
from layers.jobs import INTERRUPTED
from plans import tasks as plan_tasks
from plans.models import ImportJob, Plan, PlanZone
from tests.conftest import client_for
from tests.ingest.conftest import fixture
from tests.workers import run_worker, start_pausing_worker, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _kill(process) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def _job_status(task_name: str, **arg) -> list[str]:
    """The statuses of the procrastinate jobs of this task for this object (jobs outlive tests)."""
    ((key, value),) = arg.items()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status FROM procrastinate_jobs WHERE task_name = %s AND args->>%s = %s "
            "ORDER BY id",
            [task_name, key, str(value)],
        )
        return [row[0] for row in cursor.fetchall()]


def _confirmed_plan_import(world, planner_a, client) -> ImportJob:
    response = client.post(
        "/gmina-a/import/",
        {
            "kind": "plan",
            "title": "MPZP Zarzecze",
            "files": [SimpleUploadedFile("zones.gpkg", fixture("mpzp_zones.gpkg").read_bytes())],
        },
    )
    assert response.status_code == 302
    run_worker("ingest")  # the validation
    job = ImportJob.objects.get()
    assert job.status == "valid", job.report
    assert client.post(f"/gmina-a/import/{job.pk}/confirm").status_code == 302
    return job


def test_an_import_whose_worker_is_killed_mid_write_fails_and_a_retry_imports_it_once(
    world, planner_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_for(planner_a)
    job = _confirmed_plan_import(world, planner_a, client)
    plans_before = Plan.objects.count()
    marker = tmp_path / "paused"
    # the pause: inside the writer's transaction, after the plan and its zones were inserted
    worker = start_pausing_worker(
        queue="ingest", pause_after="plans.ingest.writer:_after_import", marker=marker
    )
    wait_for(marker, worker)
    _kill(worker)

    assert plan_tasks.recover_stalled(seconds_since_heartbeat=0) == [job.pk]
    job.refresh_from_db()
    assert job.status == "failed" and job.error == INTERRUPTED
    assert Plan.objects.count() == plans_before  # the transaction died with the worker
    assert not PlanZone.objects.filter(plan__title="MPZP Zarzecze").exists()
    assert _job_status("plans.apply_import", job_id=job.pk) == ["failed"]
    page = client.get(f"/gmina-a/import/{job.pk}/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "przerwane: proces roboczy zakończył pracę" in page and "Ponów" in page

    assert client.post(f"/gmina-a/import/{job.pk}/retry").status_code == 302
    assert client.post(f"/gmina-a/import/{job.pk}/retry").status_code == 302  # a double click
    assert _job_status("plans.apply_import", job_id=job.pk) == ["failed", "todo"]  # queued once
    run_worker("ingest")
    job.refresh_from_db()
    assert job.status == "done" and job.error == ""
    plan = Plan.objects.get(title="MPZP Zarzecze")
    assert job.plan == plan and plan.is_published
    assert sorted(plan.zones.values_list("designation", flat=True)) == ["1KDD", "1MN", "2U"]


def test_a_batch_whose_worker_is_killed_mid_render_fails_and_a_retry_renders_it(
    world, surveyor, settings, tmp_path
):
    settings.EXTRACT_BATCH_WORKERS = 1
    batch = ExtractBatch.objects.create(
        owner=surveyor,
        parcel_ids=[world.parcel_a.identifier, world.parcel_b.identifier],
        as_of=timezone.localdate(),
    )
    extract_tasks.queue_batch(batch=batch)
    marker = tmp_path / "paused"
    # the pause: after the first parcel's PDF, in the worker process itself (one process)
    worker = start_pausing_worker(
        queue="extracts",
        pause_after="extracts.batches:build_document",
        marker=marker,
        EXTRACT_BATCH_WORKERS="1",
    )
    wait_for(marker, worker)
    batch.refresh_from_db()
    assert batch.status == "running"
    _kill(worker)

    assert extract_tasks.recover_stalled(seconds_since_heartbeat=0) == [batch.pk]
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.failure == INTERRUPTED
    assert batch.zip_file is None  # nothing half-written
    body = client_for(surveyor).get(f"/api/extracts/{batch.pk}/", HTTP_ACCEPT_LANGUAGE="pl").json()
    assert body["status"] == "failed"
    assert body["failure"] == "przerwane: proces roboczy zakończył pracę"
    assert body["retry_url"] == f"/api/extracts/{batch.pk}/retry"

    assert extract_tasks.retry_batch(batch=batch) is True
    assert extract_tasks.retry_batch(batch=batch) is False  # already queued: nothing more
    assert _job_status("extracts.build_batch", batch_id=batch.pk) == ["failed", "todo"]
    run_worker("extracts")
    batch.refresh_from_db()
    assert batch.status == "done" and batch.failure == "" and batch.errors == []
    names = zipfile.ZipFile(io.BytesIO(bytes(batch.zip_file))).namelist()
    assert sorted(names) == [
        "wypis-informacyjny-069901_2.0001.12_3.pdf",
        "wypis-informacyjny-209901_2.0001.12_3.pdf",
    ]
