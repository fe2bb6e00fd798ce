"""The import page's "Pobierz z Rejestru Urbanistycznego": a harvest job, its report, the confirmation."""

from __future__ import annotations

import pytest

from plans.models import HarvestSource, ImportJob, Plan
from tests.conftest import client_for
from tests.ingest.test_web_upload import run_worker


@pytest.mark.django_db(transaction=True)
def test_a_planner_harvests_the_gminas_pog_checks_the_report_and_confirms(
    planner_testowa, gmina_testowa, replay
):
    HarvestSource.objects.create(municipality=gmina_testowa, kind="pog", url=replay.base)
    client = client_for(planner_testowa)
    page = client.get("/testowa/import/").content.decode()
    assert "/testowa/import/harvest" in page
    response = client.post("/testowa/import/harvest", {"harvest_kind": "pog", "url": "http://x/"})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.options == {"harvest_url": replay.base, "harvest_kind": "pog"}  # never the form's

    run_worker()
    job.refresh_from_db()
    assert job.status == "valid", (job.error, job.report)
    assert "act-1/StrefaPlanistyczna.gml" in job.files
    assert not Plan.objects.exists()  # a dry run first
    assert "3SN" in client.get(f"/testowa/import/{job.pk}/").content.decode()

    assert client.post(f"/testowa/import/{job.pk}/confirm").status_code == 302
    run_worker()
    job.refresh_from_db()
    assert job.status == "done", job.report
    assert job.plan.local_id == "1POG" and job.plan.zones.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_failing_register_fails_the_job_with_the_url_and_writes_nothing(
    planner_testowa, gmina_testowa, replay
):
    HarvestSource.objects.create(municipality=gmina_testowa, kind="pog", url=replay.base)
    replay.fail = "exception"
    client_for(planner_testowa).post("/testowa/import/harvest", {"harvest_kind": "pog"})
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert replay.base in job.error and "database unavailable" in job.error
    assert not Plan.objects.exists()
