"""The planners' web upload, end to end with a real procrastinate worker on PostGIS."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url

from accounts.models import AuditEvent
from layers.models import Layer, Membership
from plans.models import ImportJob, Plan
from tests.conftest import client_for
from tests.ingest.conftest import fixture, pog_testowa
from tests.workers import run_worker as run_queue


def _upload(path, name=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def run_worker() -> None:
    """Run the queued ``ingest`` jobs with a real worker (in this process) until none is left."""
    run_queue("ingest")


def _post_plan(client, slug="testowa"):
    return client.post(
        f"/{slug}/import/",
        {
            "kind": "plan",
            "files": [
                _upload(pog_testowa("AktPlanowaniaPrzestrzennego.gml")),
                _upload(pog_testowa("StrefaPlanistyczna_OK.gml")),
            ],
        },
    )


@pytest.mark.django_db(transaction=True)
def test_a_planner_uploads_a_plan_checks_the_report_and_publishes_it(
    planner_testowa, gmina_testowa
):
    client = client_for(planner_testowa)
    assert client.get("/testowa/import/").status_code == 200
    response = _post_plan(client)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "queued" and job.created_by == planner_testowa
    page = client.get(response["Location"])
    assert 'http-equiv="refresh"' in page.content.decode()

    run_worker()
    job.refresh_from_db()
    assert job.status == "valid", job.report
    assert not Plan.objects.filter(municipality=gmina_testowa).exists()  # nothing yet
    page = client.get(f"/testowa/import/{job.pk}/").content.decode()
    assert (
        "1SJ" in page and "import-job-confirm" not in page and f"/import/{job.pk}/confirm" in page
    )
    status = client.get(f"/testowa/import/{job.pk}/status.json").json()
    assert status["status"] == "valid" and status["errors"] == 0

    before = Layer.objects.get(municipality=gmina_testowa, kind=Layer.Kind.PLAN_ZONES).data_version
    assert client.post(f"/testowa/import/{job.pk}/confirm").status_code == 302
    run_worker()
    job.refresh_from_db()
    assert job.status == "done" and job.plan is not None
    plan = job.plan
    assert plan.is_published and plan.zones.count() == 4
    assert (
        Layer.objects.get(municipality=gmina_testowa, kind=Layer.Kind.PLAN_ZONES).data_version
        == before + 1
    )
    actions = set(
        AuditEvent.objects.filter(municipality=gmina_testowa).values_list("action", flat=True)
    )
    assert {"plan.import", "plan.publish"} <= actions
    gmina_testowa.refresh_from_db()
    assert gmina_testowa.boundary is not None  # grown to the imported plan


@pytest.mark.django_db(transaction=True)
def test_a_rejected_upload_shows_the_defect_and_cannot_be_confirmed(planner_testowa, gmina_testowa):
    client = client_for(planner_testowa)
    client.post(
        "/testowa/import/",
        {
            "kind": "plan",
            "files": [
                _upload(pog_testowa("AktPlanowaniaPrzestrzennego.gml")),
                _upload(pog_testowa("StrefaPlanistyczna_LUKA.gml")),
            ],
        },
    )
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == "rejected"
    page = client.get(f"/testowa/import/{job.pk}/").content.decode()
    assert "topology.gap" in page and f"/import/{job.pk}/confirm" not in page
    # the rule's title and the severity in Polish (the default language) next to its code
    assert "Luka między terenami" in page and "<td>błąd</td>" in page
    english = client.get(f"/testowa/import/{job.pk}/", headers={"accept-language": "en"})
    assert "A gap between zones" in english.content.decode()
    assert client.post(f"/testowa/import/{job.pk}/confirm").status_code == 409
    assert not Plan.objects.filter(municipality=gmina_testowa).exists()
    # the rejected import is in the audit log, with the rules that refused it
    event = AuditEvent.objects.get(action="plan.import_rejected")
    assert event.municipality == gmina_testowa and event.actor == planner_testowa
    assert event.details["rules"]["topology.gap"] >= 1
    assert event.details["files"] == [
        "AktPlanowaniaPrzestrzennego.gml",
        "StrefaPlanistyczna_LUKA.gml",
    ]


def test_a_planner_of_gmina_b_cannot_import_into_gmina_a(world, planner_b):
    client = client_for(planner_b)
    assert client.get("/gmina-a/import/").status_code == 404
    response = client.post(
        "/gmina-a/import/", {"kind": "parcels", "files": [_upload(fixture("parcels.gpkg"))]}
    )
    assert response.status_code == 404
    assert not ImportJob.objects.exists()


def test_another_gminas_job_is_a_404(world, planner_a, planner_b):
    job = ImportJob.objects.create(
        municipality=world.gmina_a, kind="parcels", folder="x", created_by=planner_a, status="valid"
    )
    client = client_for(planner_b)
    for url in (
        f"/gmina-a/import/{job.pk}/",
        f"/gmina-a/import/{job.pk}/status.json",
        f"/gmina-b/import/{job.pk}/",
        f"/gmina-b/import/{job.pk}/status.json",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/gmina-b/import/{job.pk}/confirm").status_code == 404
    assert client.post(f"/gmina-a/import/{job.pk}/confirm").status_code == 404
    job.refresh_from_db()
    assert job.status == "valid"


def test_clerks_surveyors_and_anonymous_visitors_cannot_import(world, clerk_a, surveyor, anonymous):
    assert client_for(clerk_a).get("/gmina-a/import/").status_code == 404
    assert client_for(surveyor).get("/gmina-a/import/").status_code == 404
    response = anonymous.get("/gmina-a/import/")
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url("accounts:login"))


def test_a_gmina_admin_may_import(world, admin_a):
    assert client_for(admin_a).get("/gmina-a/import/").status_code == 200


def test_an_upload_over_the_size_limit_is_refused_with_a_message(world, planner_a, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = client_for(planner_a).post(
        "/gmina-a/import/", {"kind": "parcels", "files": [_upload(fixture("parcels.gpkg"))]}
    )
    assert response.status_code == 400 and "parcels.gpkg" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_job_is_created_and_queued_on_upload(
    world, planner_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(planner_a).post(
            "/gmina-a/import/",
            {
                "kind": "parcels",
                "files": [_upload(fixture("parcels.gpkg"))],
                "identifier_field": "identifier",
            },
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.municipality == world.gmina_a and job.files == ["parcels.gpkg"]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT task_name, args->>'job_id' FROM procrastinate_jobs WHERE queue_name = 'ingest'"
        )
        assert cursor.fetchall() == [("plans.validate_import", str(job.pk))]


def test_membership_role_planner_is_what_grants_the_upload(world, planner_a):
    Membership.objects.filter(user=planner_a).update(role=Membership.Role.CLERK)
    planner_a._portal_roles = None
    assert client_for(planner_a).get("/gmina-a/import/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_planner_uploads_parcels_and_confirms_them(world, planner_a):
    from layers.models import Parcel

    client = client_for(planner_a)
    response = client.post(
        "/gmina-a/import/", {"kind": "parcels", "files": [_upload(fixture("parcels.gpkg"))]}
    )
    assert response.status_code == 302
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == "valid" and job.report["features_total"] == 5
    assert (Path(settings.MEDIA_ROOT) / job.folder / "parcels.gpkg").exists()
    assert not Parcel.objects.filter(identifier="209901_2.0001.100").exists()
    client.post(f"/gmina-a/import/{job.pk}/confirm")
    run_worker()
    job.refresh_from_db()
    assert job.status == "done" and job.report["summary"]["created"] == 5
    assert not (Path(settings.MEDIA_ROOT) / job.folder).exists()  # uploads removed when done
    assert Parcel.objects.current().filter(identifier="209901_2.0001.100").exists()
    assert AuditEvent.objects.filter(action="parcel.import", actor=planner_a).exists()


@pytest.mark.django_db(transaction=True)
def test_a_planner_gives_an_unmatched_zone_its_paragraphs_before_publishing(world, planner_a):
    """The text names 1MN only; the planner assigns paragraphs to 2U, confirms; the zone has them."""
    text = (
        "<html><body><p>§ 1. Przepisy ogólne.</p><p>Rozdział 2. Ustalenia szczegółowe</p>"
        "<p>§ 5. Teren oznaczony symbolem 1MN: zabudowa mieszkaniowa.</p>"
        "<p>Ustalenia dla terenu usług: usługi handlu.</p></body></html>"
    ).encode()
    client = client_for(planner_a)
    response = client.post(
        f"/{world.gmina_a.slug}/import/",
        {
            "kind": "plan",
            "files": [_upload(fixture("mpzp_zones.gpkg"))],
            "provisions": SimpleUploadedFile("uchwala.htm", text),
        },
    )
    job = ImportJob.objects.get()
    run_worker()
    job.refresh_from_db()
    assert job.status == "valid", job.report
    page = client.get(response["Location"]).content.decode()
    assert "bez własnych ustaleń" in page and "Tekst uchwały, akapit po akapicie" in page
    url = f"/{world.gmina_a.slug}/import/{job.pk}/provisions"
    assert client.post(url, {"designation": "2U", "paragraphs": "99"}).status_code == 400
    assert client.post(url, {"designation": "2U", "paragraphs": "4"}).status_code == 302
    client.post(f"/{world.gmina_a.slug}/import/{job.pk}/confirm")
    run_worker()
    job.refresh_from_db()
    assert job.status == "done", job.report
    zone = job.plan.zones.get(designation="2U")
    assert zone.provisions == "Ustalenia dla terenu usług: usługi handlu."
    assert "usługi handlu" not in job.plan.general_provisions
    assert job.plan.documents.get().kind == "resolution"
