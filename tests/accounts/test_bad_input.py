"""Odd input to the accounts pages: a clear answer, never a 500, nothing written."""

from __future__ import annotations

from django.test import Client

from accounts.models import AuditEvent, SurveyorProfile
from layers.models import Membership
from tests.conftest import client_for

ODD = ["", " ", "x" * 5000, "'; DROP TABLE x; --", "\x00", "<script>alert(1)</script>", "ąę" * 100]


def test_odd_values_never_cause_a_server_error(admin_a, planner_a, world):
    membership = Membership.objects.get(user=planner_a)
    admin = client_for(admin_a)
    anonymous = Client()
    before = Membership.objects.count(), SurveyorProfile.objects.count()
    problems = []
    for value in ODD:
        requests = [
            (anonymous, "/konto/logowanie/", {"username": value, "password": value}),
            (anonymous, "/konto/logowanie/kod/", {"token": value}),
            (anonymous, "/konto/haslo/reset/", {"email": value}),
            (anonymous, "/konto/geodeta/rejestracja/", {"email": value, "licence_number": value}),
            (admin, "/konto/gminy/gmina-a/zespol/", {"email": value, "role": value}),
            (admin, f"/konto/gminy/gmina-a/zespol/{membership.pk}/rola/", {"role": value}),
            (admin, "/konto/dwuetapowe/", {"token": value}),
            (admin, "/konto/dwuetapowe/wylacz/", {"token": value}),
        ]
        for client, url, data in requests:
            status = client.post(url, data).status_code
            if status >= 500:
                problems.append(f"POST {url} {value[:20]!r}: {status}")
        for url in (
            f"/konto/gminy/gmina-a/audyt/?action={value}&page={value}",
            f"/konto/geodeci/?status={value}",
        ):
            status = admin.get(url).status_code
            if status != 200:
                problems.append(f"GET {url[:60]!r}: {status}")
    assert not problems, "\n".join(problems)
    assert (Membership.objects.count(), SurveyorProfile.objects.count()) == before
    assert not AuditEvent.objects.filter(action__startswith="staff.").exists()
