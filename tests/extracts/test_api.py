"""Surveyors' API: POST /api/extracts/ → procrastinate job → status → zip; auth, limits, schema."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from rest_framework.throttling import ScopedRateThrottle

from extracts.batches import run_batch
from extracts.models import ExtractBatch
from tests.conftest import client_for
from tests.extracts.conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def surveyor(surveyor, world):
    """The surveyor persona with an approved licence (extract.request_batch)."""
    from accounts.models import SurveyorProfile

    SurveyorProfile.objects.create(
        user=surveyor,
        licence_number="12345",
        municipality=world.gmina_a,
        status=SurveyorProfile.Status.APPROVED,
    )
    return surveyor


def _post(client, parcels, **extra):
    return client.post(
        "/api/extracts/", {"parcels": parcels, **extra}, content_type="application/json"
    )


def _job_args(batch_id: int) -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT task_name, args FROM procrastinate_jobs WHERE args->>'batch_id' = %s",
            [str(batch_id)],
        )
        return [
            (name, json.loads(args) if isinstance(args, str) else args)
            for name, args in cursor.fetchall()
        ]


def test_a_surveyor_gets_a_zip_of_informational_pdfs_through_a_background_job(world, surveyor):
    client = client_for(surveyor)
    response = _post(client, [world.parcel_a.identifier, world.parcel_b.identifier])
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and body["zip_url"] is None
    assert _job_args(body["id"]) == [("extracts.build_batch", {"batch_id": body["id"]})]
    assert client.get(f"/api/extracts/{body['id']}/zip").status_code == 409
    run_batch(batch_id=body["id"], workers=1)  # what the worker does with the job
    status = client.get(body["url"]).json()
    assert status["status"] == "done" and status["zip_url"]
    download = client.get(status["zip_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    names = sorted(archive.namelist())
    assert names == [
        "wypis-informacyjny-069901_2.0001.12_3.pdf",
        "wypis-informacyjny-209901_2.0001.12_3.pdf",
    ]
    text = " ".join(pdf_text(archive.read(names[1])).split())
    assert "nie stanowi wypisu ani wyrysu" in text and "Gmina A" in text and "1KDD" in text


def test_the_api_needs_a_signed_in_user(world, anonymous):
    assert _post(anonymous, [world.parcel_a.identifier]).status_code in (401, 403)
    assert not ExtractBatch.objects.exists()


def test_batches_are_only_for_approved_surveyors(world, planner_b, clerk_a):
    for user in (planner_b, clerk_a):
        response = _post(client_for(user), [world.parcel_a.identifier])
        assert response.status_code == 403
        assert "approved" in response.json()["detail"]
        client = client_for(user)  # translated per request: a Polish client reads Polish
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "pl"
        detail = _post(client, [world.parcel_a.identifier]).json()["detail"]
        assert "uprawnienia zostały zatwierdzone" in detail
    assert not ExtractBatch.objects.exists()


@override_settings(EXTRACT_BATCH_MAX=1)
def test_it_refuses_more_parcels_than_the_batch_size(world, surveyor):
    response = _post(client_for(surveyor), [world.parcel_a.identifier, world.parcel_b.identifier])
    assert response.status_code == 400
    assert "At most 1 parcels" in str(response.json()["parcels"])
    assert not ExtractBatch.objects.exists()


def test_it_names_unknown_and_malformed_parcel_ids(world, surveyor):
    response = _post(client_for(surveyor), ["209901_2.0001.999", "nonsense"])
    assert response.status_code == 400
    problems = " ".join(response.json()["parcels"])
    assert "209901_2.0001.999" in problems and "nonsense" in problems


def test_another_users_batch_is_404(world, surveyor, planner_b):
    body = _post(client_for(surveyor), [world.parcel_a.identifier]).json()
    other = client_for(planner_b)
    assert other.get(f"/api/extracts/{body['id']}/").status_code == 404
    run_batch(batch_id=body["id"], workers=1)
    assert other.get(f"/api/extracts/{body['id']}/zip").status_code == 404


def test_the_api_is_rate_limited(world, surveyor, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"extracts": "2/minute"})
    client = client_for(surveyor)
    codes = [_post(client, [world.parcel_a.identifier]).status_code for _ in range(3)]
    assert codes == [202, 202, 429]
    cache.clear()


def test_the_openapi_schema_and_docs_page_describe_the_extracts_api(world, anonymous):
    schema = anonymous.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/extracts/" in text and "/api/extracts/{id}/zip" in text
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 200 and "/api/extracts/" in docs.content.decode()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_procrastinate_worker_runs_the_batch_job_in_two_processes(world, surveyor):
    body = _post(
        client_for(surveyor), [world.parcel_a.identifier, world.parcel_b.identifier]
    ).json()
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EXTRACT_BATCH_WORKERS": "2",
    }
    subprocess.run(
        [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot", "-q", "extracts"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )
    batch = ExtractBatch.objects.get(pk=body["id"])
    assert batch.status == "done"
    archive = zipfile.ZipFile(io.BytesIO(bytes(batch.zip_file)))
    assert sorted(archive.namelist()) == [
        "wypis-informacyjny-069901_2.0001.12_3.pdf",
        "wypis-informacyjny-209901_2.0001.12_3.pdf",
    ]
    text = " ".join(pdf_text(archive.read("wypis-informacyjny-069901_2.0001.12_3.pdf")).split())
    assert "Gmina B" in text and "1MN" in text


def test_api_errors_speak_the_requests_language(world, surveyor):
    client = client_for(surveyor)
    polish = client.post(
        "/api/extracts/",
        {"parcels": ["nonsense", "209901_2.0001.0"]},
        content_type="application/json",
        headers={"accept-language": "pl"},
    )
    problems = " ".join(polish.json()["parcels"])
    assert "identyfikator działki ma postać" in problems and "numer działki to cyfry" in problems
    assert "is WWPPGG_R" not in problems and "'nonsense'" not in problems
    english = client.post(
        "/api/extracts/",
        {"parcels": ["nonsense"]},
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    assert "a parcel identifier is WWPPGG_R.OOOO.NR" in " ".join(english.json()["parcels"])
    # DRF's own messages follow the same language
    missing = client.post(
        "/api/extracts/", {}, content_type="application/json", headers={"accept-language": "pl"}
    )
    assert missing.json()["parcels"] == ["To pole jest wymagane."]
