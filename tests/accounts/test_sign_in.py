"""Sign-in, sign-out, brute-force protection and the audit entries they leave."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD

LOGIN = "/konto/logowanie/"


def sign_in(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_it_signs_a_planner_in_and_records_it(planner_a):
    client = Client()
    response = sign_in(client, "planner_a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert client.get("/konto/").context["user"] == planner_a
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == planner_a
    assert event.ip == "127.0.0.1"


def test_it_rejects_a_wrong_password_and_records_the_failure(planner_a):
    client = Client()
    response = sign_in(client, "planner_a", "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].errors
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor is None
    assert event.target == "planner_a"
    assert event.details == {"username": "planner_a", "locked_out": False}
    assert "wrong-password" not in str(event.details)


def test_it_locks_a_username_out_after_five_failures_even_with_the_right_password(planner_a):
    client = Client()
    for _ in range(5):
        assert sign_in(client, "planner_a", "nope-nope-nope").status_code in {200, 429}
    response = sign_in(client, "planner_a", PASSWORD)
    assert response.status_code == 429
    assert "blocked" in response.content.decode() or "zablokowane" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 6
    assert AuditEvent.objects.filter(action="auth.login_failed", details__locked_out=True).exists()
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_the_lockout_holds_only_for_that_username_and_address(planner_a, clerk_a):
    for _ in range(5):
        sign_in(Client(), "planner_a", "nope-nope-nope")
    assert sign_in(Client(), "clerk_a", PASSWORD).status_code == 302
    other_address = Client(REMOTE_ADDR="10.1.2.3")
    assert sign_in(other_address, "planner_a", PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(planner_a):
    client = Client()
    for _ in range(4):
        sign_in(client, "planner_a", "nope-nope-nope")
    assert sign_in(client, "planner_a", PASSWORD).status_code == 302
    client.post("/konto/wylogowanie/")
    for _ in range(4):
        sign_in(client, "planner_a", "nope-nope-nope")
    assert sign_in(client, "planner_a", PASSWORD).status_code == 302


def test_the_test_clients_login_still_works_without_a_request(planner_a):
    assert Client().login(username="planner_a", password=PASSWORD)


def test_it_signs_out_only_by_post(planner_a):
    client = Client()
    sign_in(client, "planner_a", PASSWORD)
    assert client.get("/konto/wylogowanie/").status_code == 405
    response = client.post("/konto/wylogowanie/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_does_not_redirect_to_another_site_after_sign_in(planner_a):
    client = Client()
    response = client.post(
        LOGIN, {"username": "planner_a", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")


@pytest.mark.parametrize("persona", ["planner_a", "admin_a", "surveyor"])
def test_the_account_page_shows_the_roles(request, persona):
    user = request.getfixturevalue(persona)
    client = Client()
    client.force_login(user)
    body = client.get("/konto/").content.decode()
    assert user.username in body


def test_the_admin_sign_in_goes_through_the_portals_sign_in(platform_admin):
    client = Client()
    page = client.get("/admin/login/?next=/admin/layers/")
    assert page.status_code == 302
    assert page["Location"] == "/konto/logowanie/?next=/admin/layers/"
    response = client.post("/admin/login/", {"username": "platform_admin", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session  # a password alone at /admin/login/ does nothing
    sign_in(client, "platform_admin", PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_behind_the_proxy_the_lockout_follows_the_forwarded_client_address(planner_a, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    for _ in range(5):
        sign_in(attacker, "planner_a", "nope-nope-nope")
    assert sign_in(attacker, "planner_a", PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action="auth.login_failed", ip="203.0.113.7").count() == 6
    colleague = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert sign_in(colleague, "planner_a", PASSWORD).status_code == 302


def test_a_password_reset_mails_a_one_time_link(planner_a):
    from django.core import mail

    planner_a.email = "planista@gmina-a.pl"
    planner_a.save()
    client = Client()
    unknown = client.post("/konto/haslo/reset/", {"email": "nikt@example.org"})
    known = client.post("/konto/haslo/reset/", {"email": "planista@gmina-a.pl"})
    assert unknown.status_code == known.status_code == 302  # no hint whether the address exists
    assert unknown["Location"] == known["Location"]
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/konto/haslo/reset/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    form = client.get(path, follow=True)
    new = {"new_password1": "Zupelnie-Nowe-Haslo-7", "new_password2": "Zupelnie-Nowe-Haslo-7"}
    assert client.post(form.redirect_chain[-1][0], new).status_code == 302
    assert Client().login(username="planner_a", password="Zupelnie-Nowe-Haslo-7")
    # the link works once
    assert client.get(path, follow=True).context["validlink"] is False
    assert AuditEvent.objects.filter(action="auth.password_set", actor=planner_a).exists()
