"""Signing in to the REST API with HTTP basic authentication: what a wrong password leaves behind."""

from __future__ import annotations

import base64

from axes.models import AccessAttempt
from django.test import Client

from accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD

LOGIN = "/konto/logowanie/"


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def test_a_wrong_api_password_is_a_401_with_a_challenge(surveyor):
    client = Client(HTTP_AUTHORIZATION=basic("surveyor", "wrong-password"))
    response = client.get("/api/extracts/1/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic realm=")


def test_a_wrong_api_password_is_audited_once_and_counted_once(surveyor):
    client = Client(HTTP_AUTHORIZATION=basic("surveyor", "wrong-password"))
    client.get("/api/extracts/1/")
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor is None
    assert event.target == "surveyor"
    assert event.ip == "127.0.0.1"
    assert "wrong-password" not in str(event.details)
    attempt = AccessAttempt.objects.get(username="surveyor")
    assert attempt.failures_since_start == 1


def test_the_right_api_password_still_signs_in(surveyor):
    client = Client(HTTP_AUTHORIZATION=basic("surveyor", PASSWORD))
    response = client.get("/api/extracts/1/")
    assert response.status_code in {403, 404}
    assert not AuditEvent.objects.filter(action="auth.login_failed").exists()


def test_api_failures_from_one_client_do_not_lock_the_owner_out_of_the_web_sign_in(planner_a):
    attacker = Client(REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION=basic("planner_a", "nope"))
    for _ in range(5):
        assert attacker.get("/api/extracts/1/").status_code == 401
    assert AccessAttempt.objects.get(username="planner_a").failures_since_start == 5
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 5
    # the attacker's address is locked for that user name, even with the right password …
    locked = Client(REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION=basic("planner_a", PASSWORD))
    assert locked.get("/api/extracts/1/").status_code in {401, 429}
    attacker_web = Client(REMOTE_ADDR="203.0.113.7")
    assert (
        attacker_web.post(LOGIN, {"username": "planner_a", "password": PASSWORD}).status_code == 429
    )
    # … the owner, from their own address, is not
    owner = Client(REMOTE_ADDR="198.51.100.4")
    response = owner.post(LOGIN, {"username": "planner_a", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in owner.session
