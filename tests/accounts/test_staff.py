"""A gmina admin invites, re-roles and removes that gmina's staff; every change is audited."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts.models import AuditEvent
from layers.models import Membership
from layers.permissions import can
from tests.conftest import client_for

TEAM = "/konto/gminy/gmina-a/zespol/"


def test_the_gmina_admin_invites_a_new_person_who_sets_a_password(
    admin_a, world, django_capture_on_commit_callbacks
):
    client = client_for(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(TEAM, {"email": "Nowa.Planistka@Gmina-A.pl", "role": "planner"})
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nowa.planistka@gmina-a.pl")
    assert not user.has_usable_password()
    assert can(user, "plan.import", world.gmina_a)
    assert not can(user, "plan.import", world.gmina_b)
    event = AuditEvent.objects.get(action="staff.invite")
    assert (event.actor, event.municipality, event.target) == (
        admin_a,
        world.gmina_a,
        user.username,
    )
    assert event.details == {"role": "planner", "new_account": True}

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nowa.planistka@gmina-a.pl"]
    link = re.search(r"https?://\S+/konto/haslo/reset/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    newcomer = Client()
    form_page = newcomer.get("/" + path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = newcomer.post(
        set_url, {"new_password1": "Plany-Miejscowe-2026", "new_password2": "Plany-Miejscowe-2026"}
    )
    assert done.status_code == 302
    assert Client().login(username=user.username, password="Plany-Miejscowe-2026")
    assert AuditEvent.objects.filter(action="auth.password_set", actor=user).exists()


def test_inviting_an_existing_account_adds_the_role(admin_a, surveyor, world):
    surveyor.email = "geodeta@example.org"
    surveyor.save()
    response = client_for(admin_a).post(TEAM, {"email": "GEODETA@example.org", "role": "clerk"})
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=surveyor, municipality=world.gmina_a, role="clerk"
    ).exists()
    assert AuditEvent.objects.get(action="staff.invite").details["new_account"] is False


def test_inviting_the_same_role_twice_is_a_clear_error(admin_a, planner_a):
    planner_a.email = "p@gmina-a.pl"
    planner_a.save()
    response = client_for(admin_a).post(TEAM, {"email": "p@gmina-a.pl", "role": "planner"})
    assert response.status_code == 400
    assert "already" in response.content.decode() or "już" in response.content.decode()
    assert not AuditEvent.objects.filter(action="staff.invite").exists()


def test_the_gmina_admin_changes_a_role_and_it_is_audited(admin_a, planner_a, world):
    membership = Membership.objects.get(user=planner_a)
    response = client_for(admin_a).post(f"{TEAM}{membership.pk}/rola/", {"role": "clerk"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "clerk"
    event = AuditEvent.objects.get(action="staff.role_change")
    assert event.details == {"from": "planner", "to": "clerk"}
    assert event.municipality == world.gmina_a
    planner_a.refresh_from_db()
    assert not can(planner_a, "plan.import", world.gmina_a)
    assert can(planner_a, "extract.issue", world.gmina_a)


def test_an_unknown_role_is_refused(admin_a, planner_a):
    membership = Membership.objects.get(user=planner_a)
    response = client_for(admin_a).post(f"{TEAM}{membership.pk}/rola/", {"role": "superuser"})
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.role == "planner"


def test_the_gmina_admin_removes_a_member(admin_a, clerk_a, world):
    membership = Membership.objects.get(user=clerk_a)
    client = client_for(admin_a)
    asked = client.post(f"{TEAM}{membership.pk}/usun/")
    assert asked.status_code == 200 and Membership.objects.filter(pk=membership.pk).exists()
    assert 'name="confirm"' in asked.content.decode()
    assert client.post(f"{TEAM}{membership.pk}/usun/", {"confirm": "1"}).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.get(action="staff.remove").target == "clerk_a"
    clerk_a.refresh_from_db()
    assert not can(clerk_a, "extract.issue", world.gmina_a)


def test_the_last_admin_cannot_remove_or_demote_themselves(admin_a):
    membership = Membership.objects.get(user=admin_a)
    client = client_for(admin_a)
    client.post(f"{TEAM}{membership.pk}/usun/", {"confirm": "1"})
    client.post(f"{TEAM}{membership.pk}/rola/", {"role": "planner"})
    membership.refresh_from_db()
    assert membership.role == "admin"
    assert not AuditEvent.objects.filter(action__startswith="staff.").exists()


def test_another_gminas_membership_is_a_404_even_for_an_admin(admin_a, planner_b):
    membership_b = Membership.objects.get(user=planner_b)
    client = client_for(admin_a)
    assert client.post(f"{TEAM}{membership_b.pk}/usun/").status_code == 404
    assert client.post(f"{TEAM}{membership_b.pk}/rola/", {"role": "clerk"}).status_code == 404
    assert Membership.objects.filter(pk=membership_b.pk, role="planner").exists()


def test_staff_pages_of_gmina_b_do_not_exist_for_gmina_a_admins(admin_a, planner_b):
    client = client_for(admin_a)
    assert client.get("/konto/gminy/gmina-b/zespol/").status_code == 404
    assert (
        client.post(
            "/konto/gminy/gmina-b/zespol/", {"email": "x@y.pl", "role": "admin"}
        ).status_code
        == 404
    )
    assert not get_user_model().objects.filter(email="x@y.pl").exists()


def test_planners_and_clerks_may_not_manage_staff(planner_a, clerk_a, planner_b):
    for user in (planner_a, clerk_a):
        response = client_for(user).post(TEAM, {"email": "x@y.pl", "role": "admin"})
        assert response.status_code == 403
    assert client_for(planner_b).get(TEAM).status_code == 404
    assert not get_user_model().objects.filter(email="x@y.pl").exists()
    assert not AuditEvent.objects.filter(action__startswith="staff.").exists()


def test_the_platform_admin_manages_any_gmina(platform_admin, planner_b):
    membership_b = Membership.objects.get(user=planner_b)
    client = client_for(platform_admin)
    assert client.get("/konto/gminy/gmina-b/zespol/").status_code == 200
    assert (
        client.post(
            f"/konto/gminy/gmina-b/zespol/{membership_b.pk}/rola/", {"role": "admin"}
        ).status_code
        == 302
    )
    membership_b.refresh_from_db()
    assert membership_b.role == "admin"


def test_one_person_may_hold_roles_in_several_gminy(planner_a, world):
    Membership.objects.create(user=planner_a, municipality=world.gmina_b, role="clerk")
    planner_a.refresh_from_db()
    assert can(planner_a, "plan.import", world.gmina_a)
    assert can(planner_a, "extract.issue", world.gmina_b)
    assert not can(planner_a, "plan.import", world.gmina_b)
