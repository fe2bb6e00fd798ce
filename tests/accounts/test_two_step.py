"""The optional TOTP second factor for gmina staff."""

from __future__ import annotations

import re

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD, totp_for_step, totp_now
from tests.conftest import client_for


def enrol(user) -> TOTPDevice:
    client = client_for(user)
    page = client.get("/konto/dwuetapowe/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body
    secret = re.search(r"<code>([A-Z2-7=]+)</code>", body).group(1)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert len(secret) >= 32
    response = client.post("/konto/dwuetapowe/", {"token": totp_now(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def next_window(device: TOTPDevice) -> None:
    """Forget the last used time step and the failure throttle (as if 30+ seconds had passed).

    django-otp refuses a code of an already used time step (replay) and slows down guessing.
    """
    device.refresh_from_db()
    device.last_t = -1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()


def test_a_used_code_cannot_be_replayed(planner_a):
    device = enrol(planner_a)
    device.refresh_from_db()
    client = Client()
    client.post("/konto/logowanie/", {"username": "planner_a", "password": PASSWORD})
    # the code that confirmed the device belongs to the current (used) time step
    replay = client.post("/konto/logowanie/kod/", {"token": totp_for_step(device, device.last_t)})
    assert replay.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_planner_turns_two_step_sign_in_on_and_it_is_audited(planner_a):
    enrol(planner_a)
    assert AuditEvent.objects.filter(action="auth.otp_enabled", actor=planner_a).exists()


def test_it_refuses_a_wrong_code_when_turning_it_on(planner_a):
    client = client_for(planner_a)
    client.get("/konto/dwuetapowe/")
    response = client.post("/konto/dwuetapowe/", {"token": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not TOTPDevice.objects.filter(user=planner_a, confirmed=True).exists()


def test_a_user_with_a_device_is_signed_in_only_after_the_code(planner_a):
    device = enrol(planner_a)
    client = Client()
    response = client.post("/konto/logowanie/", {"username": "planner_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/konto/logowanie/kod/"
    assert "_auth_user_id" not in client.session
    assert client.get("/konto/").status_code == 302  # still anonymous

    wrong = client.post("/konto/logowanie/kod/", {"token": "123456"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.otp_failed").exists()

    next_window(device)
    ok = client.post("/konto/logowanie/kod/", {"token": totp_now(device)})
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(planner_a.pk)
    assert AuditEvent.objects.filter(action="auth.login", actor=planner_a).exists()


def test_the_code_page_without_a_password_first_sends_back_to_sign_in(world):
    response = Client().get("/konto/logowanie/kod/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/logowanie/"


def test_turning_it_off_takes_a_current_code(planner_a):
    device = enrol(planner_a)
    client = client_for(planner_a)
    assert client.post("/konto/dwuetapowe/wylacz/", {"token": "999999"}).status_code == 400
    assert TOTPDevice.objects.filter(user=planner_a).exists()
    next_window(device)
    assert client.post("/konto/dwuetapowe/wylacz/", {"token": totp_now(device)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=planner_a).exists()
    assert AuditEvent.objects.filter(action="auth.otp_disabled").exists()


def test_residents_are_not_offered_a_second_factor(surveyor):
    assert client_for(surveyor).get("/konto/dwuetapowe/").status_code == 403


def test_a_session_that_skipped_the_second_factor_has_no_staff_powers(admin_a, platform_admin):
    enrol(admin_a)
    enrol(platform_admin)
    skipped_a = Client()
    skipped_a.force_login(admin_a)  # signed in without the code (as a stolen password would)
    assert skipped_a.get("/konto/gminy/gmina-a/zespol/").status_code == 404
    assert skipped_a.get("/konto/gminy/gmina-a/audyt/").status_code == 404
    skipped_admin = Client()
    skipped_admin.force_login(platform_admin)
    assert skipped_admin.get("/admin/").status_code == 302
    assert skipped_admin.get("/konto/audyt/").status_code == 403
    # the sessions that passed the code keep their powers
    assert client_for_verified(admin_a).get("/konto/gminy/gmina-a/zespol/").status_code == 200


def client_for_verified(user) -> Client:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    next_window(device)
    client = Client()
    client.post("/konto/logowanie/", {"username": user.username, "password": PASSWORD})
    client.post("/konto/logowanie/kod/", {"token": totp_now(device)})
    assert client.session["_auth_user_id"] == str(user.pk)
    return client


def test_the_api_refuses_a_password_alone_for_two_step_accounts(planner_a, clerk_a):
    import base64

    enrol(planner_a)

    def basic(username: str) -> dict[str, str]:
        token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
        return {"HTTP_AUTHORIZATION": f"Basic {token}"}

    refused = Client().get("/api/extracts/999999/", **basic("planner_a"))
    assert refused.status_code in {401, 403}
    assert "two-step" in refused.json()["detail"] or "dwuetapow" in refused.json()["detail"]
    assert Client().get("/api/extracts/999999/", **basic("clerk_a")).status_code == 404
