"""The audit log: visible to gmina admins (their gmina) and platform admins, CSV, never editable."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, transaction

from accounts.audit import record
from accounts.models import AuditEvent
from tests.conftest import client_for


@pytest.fixture
def events(world, admin_a, planner_a, planner_b):
    a = record(action="plan.import", actor=planner_a, municipality=world.gmina_a, target="MPZP A")
    b = record(action="plan.publish", actor=planner_b, municipality=world.gmina_b, target="TAJNE B")
    login_a = record(action="auth.login", actor=planner_a, target="planner_a")
    login_b = record(action="auth.login", actor=planner_b, target="planner_b")
    formula = record(
        action="plan.import", actor=planner_a, municipality=world.gmina_a, target="=HYPERLINK(1)"
    )
    return {"a": a, "b": b, "login_a": login_a, "login_b": login_b, "formula": formula}


def test_the_gmina_admin_sees_only_their_gminas_log(admin_a, events):
    response = client_for(admin_a).get("/konto/gminy/gmina-a/audyt/")
    assert response.status_code == 200
    shown = {e.pk for e in response.context["page"]}
    assert events["a"].pk in shown
    assert events["login_a"].pk in shown  # sign-ins of the gmina's staff
    assert events["b"].pk not in shown
    assert events["login_b"].pk not in shown
    assert "TAJNE B" not in response.content.decode()


def test_the_csv_export_holds_the_same_events_and_defuses_formulas(admin_a, events):
    response = client_for(admin_a).get("/konto/gminy/gmina-a/audyt.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    ids = {int(r["id"]) for r in rows if r["actor"] != "admin_a"}  # minus the admin's own sign-in
    assert ids == {events["a"].pk, events["login_a"].pk, events["formula"].pk}
    assert {r["target"] for r in rows if r["action"] == "plan.import"} == {
        "MPZP A",
        "'=HYPERLINK(1)",
    }
    assert rows[0]["municipality"] in {"gmina-a", ""}


def test_the_platform_admin_sees_everything(platform_admin, events):
    client = client_for(platform_admin)
    response = client.get("/konto/audyt/")
    assert response.status_code == 200
    assert {e.pk for e in response.context["page"]} >= {e.pk for e in events.values()}
    text = b"".join(client.get("/konto/audyt.csv").streaming_content).decode("utf-8-sig")
    assert "TAJNE B" in text and "MPZP A" in text


@pytest.mark.parametrize("persona", ["planner_a", "clerk_a", "surveyor"])
def test_others_may_not_read_the_log(request, persona, events):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/konto/gminy/gmina-a/audyt/").status_code in {403, 404}
    assert client.get("/konto/gminy/gmina-a/audyt.csv").status_code in {403, 404}
    assert client.get("/konto/audyt/").status_code == 403


def test_gmina_b_staff_get_404_for_gmina_as_log(planner_b, events):
    assert client_for(planner_b).get("/konto/gminy/gmina-a/audyt/").status_code == 404


def test_the_log_filters_by_action(admin_a, events):
    response = client_for(admin_a).get("/konto/gminy/gmina-a/audyt/?action=auth.")
    shown = [(e.action, e.actor_name) for e in response.context["page"]]
    assert sorted(shown) == [("auth.login", "admin_a"), ("auth.login", "planner_a")]


def test_the_log_pages_answer_only_get(admin_a, platform_admin, events):
    assert client_for(admin_a).post("/konto/gminy/gmina-a/audyt/").status_code == 405
    assert client_for(platform_admin).post("/konto/audyt.csv").status_code == 405


def test_the_database_refuses_to_change_or_delete_an_entry(events):
    event = events["a"]
    for change in (
        lambda: AuditEvent.objects.filter(pk=event.pk).update(target="forged"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises((InternalError, ProgrammingError, IntegrityError)), transaction.atomic():
            change()
    event.refresh_from_db()
    assert event.target == "MPZP A"


def test_the_admin_site_offers_no_way_to_edit_entries(platform_admin, events):
    client = client_for(platform_admin)
    pk = events["a"].pk
    assert client.get(f"/admin/accounts/auditevent/{pk}/change/").status_code in {200, 403}
    response = client.post(f"/admin/accounts/auditevent/{pk}/change/", {"target": "forged"})
    assert response.status_code == 403
    assert (
        client.post(f"/admin/accounts/auditevent/{pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert client.get("/admin/accounts/auditevent/add/").status_code == 403
    events["a"].refresh_from_db()
    assert events["a"].target == "MPZP A"


def test_the_filter_offers_actions_by_their_titles_and_picks_one_exactly(admin_a, world, events):
    rejected = record(
        action="plan.import_rejected",
        municipality=world.gmina_a,
        target="zly.gml",
        details={"files": ["zly.gml"], "errors": 2, "rules": {"topology.gap": 2}},
    )
    client = client_for(admin_a)
    page = client.get("/konto/gminy/gmina-a/audyt/", headers={"accept-language": "pl"})
    html = page.content.decode()
    assert '<select id="action" name="action">' in html
    assert '<option value="auth.login">zalogowanie</option>' in html
    assert '<option value="plan.import_rejected">odrzucony import planu</option>' in html
    chosen = client.get("/konto/gminy/gmina-a/audyt/?action=plan.import")
    assert [e.pk for e in chosen.context["page"]] == [events["formula"].pk, events["a"].pk]
    chosen = client.get("/konto/gminy/gmina-a/audyt/?action=plan.import_rejected")
    assert [e.pk for e in chosen.context["page"]] == [rejected.pk]
    english = client.get("/konto/gminy/gmina-a/audyt/", headers={"accept-language": "en"})
    assert '<option value="auth.login">signed in</option>' in english.content.decode()


def test_the_log_shows_titles_and_details_as_text_people_read(admin_a, world):
    record(
        action="extract.request",
        municipality=world.gmina_a,
        target="wniosek",
        details={
            "request": 7,
            "parcels": ["209901_2.0001.12/3", "209901_2.0001.40"],
            "kind": "wypis",
        },
    )
    record(
        action="staff.invite",
        municipality=world.gmina_a,
        target="nowy",
        details={"role": "clerk", "new_account": True},
    )
    html = client_for(admin_a).get("/konto/gminy/gmina-a/audyt/").content.decode()
    assert "wniosek o wypis" in html and "zaproszenie pracownika" in html
    # (the database keeps the keys in its own order)
    assert "działki: 0001 12/3, 0001 40" in html and "wniosek: 7" in html
    assert "rodzaj: wypis" in html and "rola: urzędnik" in html and "nowe konto: tak" in html
    assert "parcels=" not in html and "[&#x27;" not in html and "extract.request</td>" not in html
