"""404, 403, 400 and 500 pages in the site's layout, in Polish and English, with nothing internal
(issue 19, point 2). Under DEBUG=False, as the product runs."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TEXTS = {
    "pl": {404: "Nie znaleziono strony", 403: "Brak dostępu", 500: "Coś poszło nie tak"},
    "en": {404: "Page not found", 403: "No access", 500: "Something went wrong"},
}
INTERNAL = ("Traceback", "URLconf", "urlpatterns", "DEBUG = True", "secret internal detail")


def in_language(client: Client, language: str) -> Client:
    client.cookies["django_language"] = language
    return client


def assert_friendly(response, status: int, language: str) -> None:
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert 'class="topbar"' in html and "/static/css/portal.css" in html  # the site's layout
    assert TEXTS[language][status] in html
    assert not [word for word in INTERNAL if word in html]


@pytest.mark.parametrize("language", ["pl", "en"])
@override_settings(DEBUG=False)
def test_missing_pages_gminy_plans_and_requests_are_a_friendly_404(world, language):
    client = in_language(Client(), language)
    for url in (
        "/nie-ma-takiej-gminy/",
        "/gmina-a/plany/999999/",
        "/gmina-a/dzialki/209901_2.0001.999/",
        "/wypisy/wniosek/00000000-0000-0000-0000-000000000000/",
    ):
        assert_friendly(client.get(url), 404, language)


@pytest.mark.parametrize("language", ["pl", "en"])
@override_settings(DEBUG=False)
def test_a_forbidden_staff_page_is_a_friendly_403(world, planner_a, language):
    client = in_language(client_for(planner_a), language)
    assert_friendly(client.get("/konto/gminy/gmina-a/zespol/"), 403, language)


@pytest.mark.parametrize("language", ["pl", "en"])
@override_settings(DEBUG=False, ROOT_URLCONF="tests.portal.error_urls")
def test_a_server_error_is_a_friendly_500_without_internals(world, language):
    client = in_language(Client(raise_request_exception=False), language)
    assert_friendly(client.get("/test-failure/"), 500, language)


@override_settings(DEBUG=False)
def test_the_500_and_400_pages_render_without_a_request_or_the_database(
    django_assert_num_queries,
):
    from django.test import RequestFactory
    from django.views import defaults

    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        for view, status in ((defaults.server_error, 500), (defaults.bad_request, 400)):
            response = (
                view(request)
                if status == 500
                else view(request, exception=ValueError("secret internal"))
            )
            html = response.content.decode()
            assert response.status_code == status
            assert 'class="topbar"' in html and "secret internal" not in html
