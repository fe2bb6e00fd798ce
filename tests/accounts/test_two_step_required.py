"""TWO_FACTOR_REQUIRED_FOR_ADMINS (issue 19, point 9): platform and gmina admins set up TOTP before
any staff page; other staff and public pages are not affected."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import totp_now
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
SETUP = "/konto/dwuetapowe/"


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_ADMINS = True


@pytest.mark.parametrize(
    "url",
    [
        "/konto/gminy/gmina-a/zespol/",
        "/konto/gminy/gmina-a/audyt/",
        "/konto/geodeci/",
        "/wypisy/gmina-a/kolejka/",
        "/gmina-a/import/",
    ],
)
def test_a_gmina_admin_without_a_second_factor_is_sent_to_set_it_up(required, admin_a, url):
    response = client_for(admin_a).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{SETUP}?next=")


@pytest.mark.parametrize("url", ["/admin/", "/konto/audyt/", "/admin/layers/municipality/"])
def test_the_platform_admin_is_sent_to_set_it_up_too(required, platform_admin, url):
    response = client_for(platform_admin).get(url)
    assert response.status_code == 302 and response["Location"].startswith(SETUP)


def test_public_pages_the_account_and_the_setup_stay_open(required, admin_a):
    client = client_for(admin_a)
    for url in ("/", "/gmina-a/", "/konto/", SETUP):
        assert client.get(url).status_code == 200, url
    assert (
        "Administratorzy muszą używać logowania dwuetapowego" in client.get(SETUP).content.decode()
    )


def test_other_staff_are_not_required(required, clerk_a, planner_a):
    assert client_for(clerk_a).get("/wypisy/gmina-a/kolejka/").status_code == 200
    assert client_for(planner_a).get("/gmina-a/import/").status_code == 200


def test_after_setting_it_up_the_admin_goes_on_to_the_page_asked_for(required, admin_a):
    client = client_for(admin_a)
    client.get(f"{SETUP}?next=/konto/gminy/gmina-a/zespol/")
    device = TOTPDevice.objects.get(user=admin_a, confirmed=False)
    response = client.post(
        f"{SETUP}?next=/konto/gminy/gmina-a/zespol/", {"token": totp_now(device)}
    )
    assert response.status_code == 302 and response["Location"] == "/konto/gminy/gmina-a/zespol/"
    assert client.get("/konto/gminy/gmina-a/zespol/").status_code == 200


def test_the_setting_is_off_under_debug_and_on_without_it():
    code = "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED_FOR_ADMINS)"
    base = {"DJANGO_SETTINGS_MODULE": "gis_portal.settings", "SECRET_KEY": "abcdefghij" * 6}

    for debug, expected in (("1", "False"), ("0", "True")):
        env = {**os.environ, **base, "DEBUG": debug}
        env.pop("TWO_FACTOR_REQUIRED_FOR_ADMINS", None)
        out = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert out == expected, (debug, out)
