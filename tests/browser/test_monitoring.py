"""The support centre's dashboard, the survey and the accessibility statement in a browser (axe-core)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from extracts.models import ExtractRequest
from extracts.survey_link import survey_token
from monitoring.demo import load_service_demo
from monitoring.models import SurveyAnswer
from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_the_dashboard_draws_its_charts_and_passes_the_accessibility_check(
    page, live_server, world, admin_a
):
    load_service_demo(municipality=world.gmina_a, seed=1)
    sign_in(page, live_server, admin_a)
    page.goto(f"{live_server.url}/centrum-wsparcia/")
    page.wait_for_selector("svg.chart rect")
    assert page.locator("table.figures tbody tr").count() >= 4  # four months of example requests
    screenshot(page, "10-support-centre-dashboard", full_page=True)
    violations = axe_violations(page)
    assert violations == [], violations


def test_the_survey_and_the_statement_pass_the_accessibility_check(page, live_server, world):
    load_service_demo(municipality=world.gmina_a, seed=2)
    answered = SurveyAnswer.objects.values("subject_id")
    issued = ExtractRequest.objects.filter(status="issued").exclude(pk__in=answered)[0]
    page.goto(f"{live_server.url}/ankieta/{survey_token(req=issued)}/")
    violations = axe_violations(page)
    assert violations == [], violations
    page.check("input[name=score][value='4']")
    page.click("form.survey button")
    page.wait_for_selector(".survey-thanks")
    page.goto(f"{live_server.url}/deklaracja-dostepnosci/")
    assert page.locator("#a11y-kontakty-gmin").count() == 1
    screenshot(page, "11-accessibility-statement", full_page=True)
    violations = axe_violations(page)
    assert violations == [], violations
