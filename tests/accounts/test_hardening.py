"""Deploy-grade settings: check --deploy, secrets, CSP, HSTS and secure cookies, upload limits."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from gis_portal.settings import envstr
from tests.accounts.conftest import PASSWORD
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]
SHOW_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "debug": settings.DEBUG,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "img_src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    "secret_ok": settings.SECRET_KEY == EXPECTED,
}))
"""


def production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production never does)
        if not key.startswith(
            ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "BASEMAP", "SECURE_", "DJANGO_ALLOW_ASYNC")
        )
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=envstr("DATABASE_URL"),  # the environment, or the checkout's .env.local
        DJANGO_SETTINGS_MODULE="gis_portal.settings",
        LOCAL_ENV_FILE="",  # production never reads a checkout's .env.local
    )
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_mode_secures_cookies_and_sends_hsts_and_reads_the_secret_from_a_file(tmp_path):
    key = secrets.token_urlsafe(60)
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(key + "\n", encoding="utf-8")
    env = production_env(
        SECRET_KEY=None,
        SECRET_KEY_FILE=str(secret_file),
        BASEMAP_URL="https://{s}.tile.example.org/{z}/{x}/{y}.png",
    )
    env.pop("SECRET_KEY", None)
    code = f"EXPECTED = {key!r}\n" + SHOW_SETTINGS
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown == {
        "debug": False,
        "session_secure": True,
        "csrf_secure": True,
        "hsts": 31536000,
        "ssl_redirect": True,
        "img_src": ["'self'", "data:", "https://*.tile.example.org"],
        "secret_ok": True,
    }


def test_production_mode_refuses_to_start_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_production_mode_refuses_a_short_secret_key():
    result = manage("check", env=production_env(SECRET_KEY="changeme"))
    assert result.returncode != 0
    assert "at least 50" in result.stderr


def test_a_basemap_url_that_is_not_http_is_refused():
    result = manage("check", env=production_env(BASEMAP_URL="javascript:alert(1)"))
    assert result.returncode != 0
    assert "BASEMAP_URL" in result.stderr


def test_a_secret_file_wins_over_the_variable(tmp_path, monkeypatch):
    secret_file = tmp_path / "password"
    secret_file.write_text("from-file\n", encoding="utf-8")
    monkeypatch.setenv("EMAIL_HOST_PASSWORD", "from-env")
    monkeypatch.setenv("EMAIL_HOST_PASSWORD_FILE", str(secret_file))
    assert envstr("EMAIL_HOST_PASSWORD") == "from-file"
    monkeypatch.delenv("EMAIL_HOST_PASSWORD_FILE")
    assert envstr("EMAIL_HOST_PASSWORD") == "from-env"


def test_a_missing_secret_file_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL_FILE", str(tmp_path / "nope"))
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL_FILE"):
        envstr("DATABASE_URL")


CSP_PAGES = ["/", "/gmina-a/", "/konto/logowanie/", "/konto/geodeta/rejestracja/"]


@pytest.mark.parametrize("url", CSP_PAGES)
def test_pages_carry_a_strict_content_security_policy(world, url):
    response = Client().get(url)
    assert response.status_code == 200
    policy = {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=|<style[\s>]", re.I)


def html_pages(world, personas) -> dict[str, Client]:
    anonymous = Client()
    admin = client_for(personas["admin_a"])
    return {
        "/": anonymous,
        "/gmina-a/": anonymous,
        f"/gmina-a/dzialki/{world.parcel_a.identifier}/": anonymous,
        "/gmina-a/plany/": anonymous,
        f"/gmina-a/plany/{world.plan_a.pk}/": anonymous,
        "/gmina-a/szukaj/?q=12/3": anonymous,
        "/szukaj/?q=12/3": anonymous,
        "/wypisy/": anonymous,
        "/weryfikacja/": anonymous,
        "/api/docs/": anonymous,
        "/konto/logowanie/": anonymous,
        "/konto/haslo/reset/": anonymous,
        "/konto/geodeta/rejestracja/": anonymous,
        "/konto/": admin,
        "/konto/dwuetapowe/": admin,
        "/konto/geodeci/": admin,
        "/konto/gminy/gmina-a/zespol/": admin,
        "/konto/gminy/gmina-a/audyt/": admin,
        "/wypisy/gmina-a/kolejka/": admin,
    }


def test_html_pages_work_under_the_policy_no_inline_scripts_handlers_or_styles(world, admin_a):
    problems = []
    for url, client in html_pages(world, {"admin_a": admin_a}).items():
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{url}: HTTP {response.status_code}")
            continue
        body = response.content.decode()
        for label, pattern in (
            ("inline script", INLINE_SCRIPT),
            ("inline event handler", INLINE_HANDLER),
            ("inline style", INLINE_STYLE),
        ):
            for match in pattern.finditer(body):
                problems.append(f"{url}: {label} {match.group(0)[:80]!r}")
        if "javascript:" in body:
            problems.append(f"{url}: javascript: URL")
    assert not problems, "\n".join(problems)


@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_SSL_REDIRECT=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_over_https_it_sends_hsts_and_secure_cookies_and_redirects_plain_http(planner_a):
    assert Client().get("/konto/logowanie/").status_code == 301
    assert Client().get("/healthz").status_code == 200  # the container health check
    client = Client()
    page = client.get("/konto/logowanie/", secure=True)
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    response = client.post(
        "/konto/logowanie/", {"username": "planner_a", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"


def test_upload_limits_are_set():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 100
    assert 0 < settings.IMPORT_MAX_BYTES <= 2 * 1024**3


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_an_oversized_form_body_is_refused_with_400(world):
    response = Client().post("/konto/logowanie/", {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 400


def test_the_admin_map_widget_runs_under_the_policy_by_its_nonce(platform_admin, world):
    response = client_for(platform_admin).get(
        f"/admin/layers/municipality/{world.gmina_a.pk}/change/"
    )
    assert response.status_code == 200
    nonces = set(re.findall(r'<script nonce="([^"]+)"', response.content.decode()))
    assert len(nonces) == 1
    assert f"'nonce-{nonces.pop()}'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
