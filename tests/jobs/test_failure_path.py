"""The one failure path of a job that raises: failed with its reason, shown, retried once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import SurveyorProfile
from extracts import batches
from extracts.models import ExtractBatch
from extracts.tasks import build_batch
from plans.ingest import jobs
from plans.models import ImportJob
from plans.tasks import apply_import, validate_import
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _todo(task_name: str, **arg) -> int:
    ((key, value),) = arg.items()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs "
            "WHERE task_name = %s AND args->>%s = %s AND status = 'todo'",
            [task_name, key, str(value)],
        )
        return cursor.fetchone()[0]


def _boom(*args, **kwargs):
    raise RuntimeError("disk full")


@pytest.fixture
def approved_surveyor(surveyor, world):
    SurveyorProfile.objects.create(
        user=surveyor,
        licence_number="12345",
        municipality=world.gmina_a,
        status=SurveyorProfile.Status.APPROVED,
    )
    return surveyor


def test_a_batch_whose_job_raises_is_failed_and_retried_once_over_the_api(
    world, approved_surveyor, monkeypatch
):
    batch = ExtractBatch.objects.create(
        owner=approved_surveyor, parcel_ids=[world.parcel_a.identifier], as_of=timezone.localdate()
    )
    monkeypatch.setattr(batches, "render_parcels", _boom)
    with pytest.raises(RuntimeError):
        build_batch(batch_id=batch.pk)
    client = client_for(approved_surveyor)
    body = client.get(f"/api/extracts/{batch.pk}/").json()
    assert body["status"] == "failed" and body["failure"] == "RuntimeError: disk full"
    assert body["zip_url"] is None

    for _click in range(2):  # a repeated retry queues nothing more
        response = client.post(body["retry_url"])
        assert response.status_code == 202 and response.json()["status"] == "queued"
        assert response.json()["failure"] == "" and response.json()["retry_url"] is None
    assert _todo("extracts.build_batch", batch_id=batch.pk) == 1

    monkeypatch.undo()
    batches.run_batch(batch_id=batch.pk, workers=1)
    assert client.post(body["retry_url"]).status_code == 409  # done: nothing to retry
    assert client.get(f"/api/extracts/{batch.pk}/").json()["status"] == "done"


def test_a_finished_batch_or_import_is_not_failed_afterwards(world, surveyor, planner_a):
    batch = ExtractBatch.objects.create(
        owner=surveyor, parcel_ids=[], as_of=timezone.localdate(), status="done"
    )
    assert batches.fail_batch(batch_id=batch.pk, reason="late") is False
    job = ImportJob.objects.create(
        municipality=world.gmina_a, kind="plan", created_by=planner_a, status="done"
    )
    assert jobs.fail_job(job_id=job.pk, reason="late") is False
    batch.refresh_from_db()
    job.refresh_from_db()
    assert (batch.status, job.status) == ("done", "done")


@pytest.mark.parametrize(
    ("task", "confirmed", "next_status"),
    [(validate_import, False, "queued"), (apply_import, True, "writing")],
)
def test_an_import_step_that_raises_is_failed_and_the_retry_runs_that_step_again(
    world, planner_a, monkeypatch, django_capture_on_commit_callbacks, task, confirmed, next_status
):
    job = ImportJob.objects.create(
        municipality=world.gmina_a,
        kind="plan",
        created_by=planner_a,
        confirmed_by=planner_a if confirmed else None,
        status="writing" if confirmed else "queued",
        folder="imports/none",
    )
    monkeypatch.setattr(jobs, "_run", _boom)
    with pytest.raises(RuntimeError):
        task(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "RuntimeError: disk full"
    client = client_for(planner_a)
    page = client.get(f"/gmina-a/import/{job.pk}/").content.decode()
    assert "RuntimeError: disk full" in page and f"/gmina-a/import/{job.pk}/retry" in page

    with django_capture_on_commit_callbacks(execute=True):
        for _click in range(2):
            assert client.post(f"/gmina-a/import/{job.pk}/retry").status_code == 302
    job.refresh_from_db()
    assert job.status == next_status and job.error == ""
    assert _todo(task.name, job_id=job.pk) == 1
