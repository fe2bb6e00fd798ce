"""Surveyors register with their licence number; a gmina admin or a platform admin decides."""

from __future__ import annotations

from django.test import Client

from accounts.models import AuditEvent, SurveyorProfile
from layers.permissions import can
from tests.conftest import client_for

SIGN_UP = "/konto/geodeta/rejestracja/"


def sign_up(client: Client, world, **overrides):
    data = {
        "email": "Jan.Geodeta@example.org",
        "first_name": "Jan",
        "last_name": "Geodeta",
        "password1": "Mierzenie-Dzialek-2026",
        "password2": "Mierzenie-Dzialek-2026",
        "licence_number": "GK-I-7341/2014",
        "company": "Geo-Pomiar",
        "municipality": world.gmina_a.pk,
    }
    data.update(overrides)
    return client.post(SIGN_UP, data)


def test_a_surveyor_signs_up_and_acts_as_a_resident_until_approved(world):
    client = Client()
    response = sign_up(client, world)
    assert response.status_code == 302
    profile = SurveyorProfile.objects.get()
    user = profile.user
    assert user.username == "jan.geodeta@example.org"
    assert profile.status == SurveyorProfile.Status.PENDING
    assert profile.municipality == world.gmina_a
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not can(user, "extract.request")
    assert can(user, "extract.informational")
    assert AuditEvent.objects.filter(action="surveyor.apply", municipality=world.gmina_a).exists()


def test_it_rejects_a_bad_licence_number_and_writes_nothing(world):
    response = sign_up(Client(), world, licence_number="<script>")
    assert response.status_code == 200
    assert "licence_number" in response.context["form"].errors
    assert not SurveyorProfile.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_applies_the_password_rules(world):
    response = sign_up(Client(), world, password1="12345678", password2="12345678")
    assert "password1" in response.context["form"].errors
    assert not SurveyorProfile.objects.exists()


def test_a_signed_in_resident_applies_without_a_new_account(surveyor, world):
    client = client_for(surveyor)
    response = client.post(
        SIGN_UP, {"licence_number": "12345", "municipality": world.gmina_b.pk, "company": ""}
    )
    assert response.status_code == 302
    assert surveyor.surveyor_profile.licence_number == "12345"
    # one application per account
    again = client.post(SIGN_UP, {"licence_number": "999", "municipality": world.gmina_a.pk})
    assert again.status_code == 302
    assert SurveyorProfile.objects.count() == 1


def make_application(surveyor, world, gmina=None) -> SurveyorProfile:
    return SurveyorProfile.objects.create(
        user=surveyor, licence_number="12345", municipality=gmina or world.gmina_a
    )


def test_the_gmina_admin_approves_and_the_surveyor_may_request_extracts(
    surveyor, admin_a, world, django_capture_on_commit_callbacks
):
    from django.core import mail

    surveyor.email = "geodeta@example.org"
    surveyor.save()
    profile = make_application(surveyor, world)
    client = client_for(admin_a)
    listing = client.get("/konto/geodeci/")
    assert listing.status_code == 200
    assert "12345" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/konto/geodeci/{profile.pk}/decyzja/", {"decision": "approved"})
    assert [m.to for m in mail.outbox] == [["geodeta@example.org"]]
    assert "12345" in mail.outbox[0].body
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.is_approved
    assert profile.decided_by == admin_a
    surveyor.refresh_from_db()
    assert can(surveyor, "extract.request")
    assert can(surveyor, "extract.request_batch")
    event = AuditEvent.objects.get(action="surveyor.approve")
    assert event.actor == admin_a
    assert event.municipality == world.gmina_a
    assert event.details["licence_number"] == "12345"


def test_rejecting_takes_a_reason(surveyor, admin_a, world):
    profile = make_application(surveyor, world)
    client = client_for(admin_a)
    url = f"/konto/geodeci/{profile.pk}/decyzja/"
    assert client.post(url, {"decision": "rejected"}).status_code == 400
    assert (
        client.post(url, {"decision": "rejected", "reason": "brak w rejestrze"}).status_code == 302
    )
    profile.refresh_from_db()
    assert profile.status == "rejected"
    assert AuditEvent.objects.filter(action="surveyor.reject").count() == 1


def test_another_gminas_admin_cannot_see_or_decide_the_application(
    surveyor, world, django_user_model
):
    from layers.models import Membership

    admin_b = django_user_model.objects.create_user("admin_b", password="x-long-password-1")
    Membership.objects.create(user=admin_b, municipality=world.gmina_b, role="admin")
    profile = make_application(surveyor, world)
    client = client_for(admin_b)
    assert "12345" not in client.get("/konto/geodeci/").content.decode()
    response = client.post(f"/konto/geodeci/{profile.pk}/decyzja/", {"decision": "approved"})
    assert response.status_code == 404
    profile.refresh_from_db()
    assert profile.status == "pending"


def test_planners_and_clerks_cannot_decide(surveyor, planner_a, clerk_a, world):
    profile = make_application(surveyor, world)
    for user in (planner_a, clerk_a):
        client = client_for(user)
        assert client.get("/konto/geodeci/").status_code == 403
        response = client.post(f"/konto/geodeci/{profile.pk}/decyzja/", {"decision": "approved"})
        assert response.status_code == 404
    profile.refresh_from_db()
    assert profile.status == "pending"


def test_the_platform_admin_decides_in_any_gmina(surveyor, platform_admin, world):
    profile = make_application(surveyor, world, gmina=world.gmina_b)
    client = client_for(platform_admin)
    assert (
        client.post(f"/konto/geodeci/{profile.pk}/decyzja/", {"decision": "approved"}).status_code
        == 302
    )
    profile.refresh_from_db()
    assert profile.is_approved


def test_a_deactivated_approved_surveyor_may_not_request(surveyor, world):
    profile = make_application(surveyor, world)
    profile.status = "approved"
    profile.save()
    surveyor.is_active = False
    surveyor.save()
    assert not can(surveyor, "extract.request")
