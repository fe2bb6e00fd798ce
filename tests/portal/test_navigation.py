"""The header menu (issue 19, point 1): each role's pages one click away, on every page; the
account page states the roles as they are."""

from __future__ import annotations

import re

import pytest

from accounts.models import SurveyorProfile
from layers.models import Membership
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def menu_links(response) -> set[str]:
    html = response.content.decode()
    nav = re.search(r'<nav class="menu".*?</nav>', html, re.S)
    assert nav, "no header menu on the page"
    return set(re.findall(r'href="([^"]+)"', nav.group(0)))


PUBLIC = {"/", "/szukaj/", "/weryfikacja/"}


def test_a_resident_gets_the_map_search_verification_and_the_gminas_plans(anonymous):
    assert menu_links(anonymous.get("/")) == PUBLIC
    assert menu_links(anonymous.get("/gmina-a/")) == PUBLIC | {"/gmina-a/plany/"}


def test_an_approved_surveyor_gets_the_request_form_their_requests_and_the_api_docs(
    surveyor, world
):
    SurveyorProfile.objects.create(
        user=surveyor, licence_number="1", municipality=world.gmina_a, status="approved"
    )
    response = client_for(surveyor).get("/", HTTP_ACCEPT_LANGUAGE="pl")
    assert menu_links(response) == PUBLIC | {"/wypisy/", "/wypisy/moje/", "/api/docs/"}
    assert "Moje wnioski" in response.content.decode()


def test_a_planner_gets_the_import_page_and_plans_of_their_gmina(planner_a):
    links = menu_links(client_for(planner_a).get("/konto/"))
    assert {"/gmina-a/import/", "/gmina-a/plany/"} <= links
    assert "/wypisy/gmina-a/kolejka/" not in links and "/gmina-b/import/" not in links


def test_a_clerk_gets_the_queue_of_their_gmina(clerk_a):
    links = menu_links(client_for(clerk_a).get("/"))
    assert "/wypisy/gmina-a/kolejka/" in links
    assert "/gmina-a/import/" not in links


def test_a_gmina_admin_gets_team_audit_log_and_surveyor_approvals(admin_a):
    links = menu_links(client_for(admin_a).get("/"))
    assert {
        "/konto/gminy/gmina-a/zespol/",
        "/konto/gminy/gmina-a/audyt/",
        "/konto/geodeci/",
        "/wypisy/gmina-a/kolejka/",
        "/konto/gminy/gmina-a/oplaty/",
        "/gmina-a/centrum-wsparcia/",
        "/gmina-a/konsultacje/zarzadzanie/",
    } <= links
    assert "/admin/" not in links  # no is_staff: the Django admin would not let them in


def test_the_platform_admin_gets_all_gminy_django_admin_audit_log_and_approvals(platform_admin):
    links = menu_links(client_for(platform_admin).get("/"))
    assert {
        "/admin/layers/municipality/",
        "/admin/",
        "/konto/audyt/",
        "/konto/geodeci/",
        "/centrum-wsparcia/",
    } <= links


def test_a_person_with_roles_in_two_gminy_gets_each(clerk_a, world):
    Membership.objects.create(user=clerk_a, municipality=world.gmina_b, role="planner")
    links = menu_links(client_for(clerk_a).get("/"))
    assert {"/wypisy/gmina-a/kolejka/", "/gmina-b/import/"} <= links
    assert "/wypisy/gmina-b/kolejka/" not in links


def test_the_menu_is_on_every_kind_of_page(clerk_a, world):
    client = client_for(clerk_a)
    for url in ("/", "/gmina-a/", "/gmina-a/plany/", "/wypisy/", "/weryfikacja/", "/konto/"):
        assert "/wypisy/gmina-a/kolejka/" in menu_links(client.get(url)), url


def test_the_platform_admins_account_page_does_not_say_no_role(platform_admin):
    html = client_for(platform_admin).get("/konto/").content.decode()
    assert "Administrator platformy: wszystkie gminy" in html
    assert "Brak roli w gminach" not in html


def test_a_clerks_account_page_links_the_queue_and_offers_no_surveyor_application(clerk_a):
    html = client_for(clerk_a).get("/konto/").content.decode()
    main = html[html.index("<main") :]
    assert "/wypisy/gmina-a/kolejka/" in main
    assert "/konto/geodeta/rejestracja/" not in main


def test_a_residents_account_page_says_no_role_and_offers_the_surveyor_application(surveyor):
    html = client_for(surveyor).get("/konto/").content.decode()
    assert "Brak roli w gminach" in html and "/konto/geodeta/rejestracja/" in html


def test_only_the_gmina_admin_gets_the_payment_details_of_their_gmina(admin_a, planner_a, clerk_a):
    response = client_for(admin_a).get("/", HTTP_ACCEPT_LANGUAGE="pl")
    assert "Opłaty i podpis" in response.content.decode()
    for staff in (planner_a, clerk_a):
        assert "/konto/gminy/gmina-a/oplaty/" not in menu_links(client_for(staff).get("/"))


def test_a_planner_reaches_the_consultations_of_the_gmina(planner_a):
    links = menu_links(client_for(planner_a).get("/"))
    assert "/gmina-a/konsultacje/zarzadzanie/" in links
    assert "/gmina-a/centrum-wsparcia/" not in links
