"""Each role's journey from the home page by clicking only (issue 19, "Done when"): after the home
page and the sign-in form nothing is typed. Every page is checked (tests/browser/journeys.py) at a
phone's width of 390 px; the first page after sign-in is saved in test-artifacts/browser/."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from accounts.models import SurveyorProfile
from extracts.workflow import Requester, submit_request
from tests.browser.conftest import screenshot
from tests.browser.journeys import PageChecks

pytestmark = pytest.mark.browser
PASSWORD = "test-pass-123"  # tests/conftest.py


@pytest.fixture
def walk(browser, live_server, world):
    """A 390 px wide page in Polish, with the checks attached; fails at the end on any problem."""
    cache.clear()
    context = browser.new_context(locale="pl-PL", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.checks = PageChecks(page)
    page.goto(f"{live_server.url}/")
    page.checks.check(page, "home")
    yield page
    context.close()
    assert page.checks.problems == [], "\n".join(page.checks.problems)


def click(page, name: str, *, where: str = "nav.menu") -> None:
    page.locator(where).get_by_role("link", name=name, exact=True).first.click()
    page.checks.check(page, name)


def sign_in(page, username: str, role: str) -> None:
    click(page, "Zaloguj się", where="header")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/konto/")
    page.checks.check(page, "konto")
    assert page.locator("h1").inner_text().startswith("Twoje konto")
    screenshot(page, f"role-{role}-first-page")


def test_a_resident_walks_from_the_map_to_plans_and_verification(walk):
    page = walk
    screenshot(page, "role-resident-first-page")
    page.locator("main table").get_by_role("link", name="Gmina A").click()
    page.checks.check(page, "gmina map")
    click(page, "Plany")
    page.locator("main").get_by_role("link", name="MPZP wsi Gmina A").first.click()
    page.checks.check(page, "plan")
    click(page, "Sprawdź wypis")
    click(page, "Szukaj")
    click(page, "Mapa")


def test_a_surveyor_reaches_the_request_form_and_the_api_docs(walk, surveyor, world):
    SurveyorProfile.objects.create(
        user=surveyor, licence_number="1", municipality=world.gmina_a, status="approved"
    )
    sign_in(walk, "surveyor", "surveyor")
    click(walk, "Nowy wniosek o wypis")
    click(walk, "Dokumentacja API")


def test_a_planner_reaches_the_import_page_and_the_plans(walk, planner_a):
    sign_in(walk, "planner_a", "planner")
    click(walk, "Import")
    click(walk, "Plany")


def test_a_clerk_reaches_the_queue_and_a_request(walk, clerk_a, world):
    submit_request(
        identifiers=[world.parcel_a.identifier],
        kind="wypis",
        requester=Requester(name="Jan Kowalski", address="Wieś 1"),
        submission_key="journey",
    )
    sign_in(walk, "clerk_a", "clerk")
    click(walk, "Kolejka wypisów")
    walk.locator("main table").first.get_by_role("link").first.click()
    walk.checks.check(walk, "request")
    click(walk, "Powrót do kolejki", where="main")


def test_a_gmina_admin_reaches_team_audit_log_and_approvals(walk, admin_a, clerk_a):
    sign_in(walk, "admin_a", "gmina-admin")
    click(walk, "Pracownicy")
    walk.locator("main form.inline button.danger").first.click()  # "Usuń…": asks first
    walk.checks.check(walk, "confirmation")
    click(walk, "Anuluj", where="main")
    click(walk, "Dziennik zdarzeń")
    click(walk, "Wnioski geodetów")
    click(walk, "Kolejka wypisów")


def test_the_platform_admin_reaches_audit_log_approvals_and_the_django_admin(walk, platform_admin):
    sign_in(walk, "platform_admin", "platform-admin")
    click(walk, "Dziennik zdarzeń platformy")
    click(walk, "Wnioski geodetów")
    click(walk, "Wszystkie gminy")
