"""Configuration fails loudly, secrets come from files, the deployment files parse, the log is append-only."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, transaction

from accounts.audit import record
from accounts.models import AuditEvent

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'gis_portal.settings'; django.setup();"
    "from django.conf import settings as s; db = s.DATABASES['default'];"
    "print(s.SECRET_KEY, db['NAME'], db['HOST'], db['PASSWORD'], s.DEBUG, s.SESSION_COOKIE_SECURE)"
)


def run_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Settings in a fresh process; the checkout's .env.local is not read unless LOCAL_ENV_FILE is given."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    clean.update({"LOCAL_ENV_FILE": "", **env})
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_settings({"DEBUG": "0", "DATABASE_URL": "postgis://u@h/db"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_to_start_without_a_database():
    result = run_settings({"DEBUG": "1"})
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr


def test_a_malformed_boolean_is_an_error_not_a_guess():
    result = run_settings({"DEBUG": "maybe", "DATABASE_URL": "postgis://u@h/db"})
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_secrets_come_from_files(tmp_path):
    (tmp_path / "key").write_text("s3cret-from-a-file-" + "x7Qp2Lm9" * 6 + "\n")
    (tmp_path / "pw").write_text("db-pass\n")
    result = run_settings(
        {
            "DEBUG": "0",
            "SECRET_KEY_FILE": str(tmp_path / "key"),
            "DATABASE_URL": "postgis://portal@db.internal:5432/portal",
            "DATABASE_PASSWORD_FILE": str(tmp_path / "pw"),
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "s3cret-from-a-file-" + "x7Qp2Lm9" * 6,
        "portal",
        "db.internal",
        "db-pass",
        "False",
        "True",
    ]


def test_docker_compose_file_parses():
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose (Debian package) is installed by scripts/setup.sh"
    result = subprocess.run(
        [compose, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    services = subprocess.run(
        [compose, "-f", str(ROOT / "docker-compose.yml"), "config", "--services"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()
    # (this docker-compose lists the services of the profile `scale` too; they start only with it)
    assert set(services) - {"db-standby", "web2", "redis"} == {"db", "web", "worker", "proxy"}


def test_nginx_does_not_announce_its_version():
    assert "server_tokens off;" in (ROOT / "docker" / "nginx.conf").read_text()


def test_plan_documents_go_through_an_internal_nginx_location_and_media_is_not_public():
    nginx = (ROOT / "docker" / "nginx.conf").read_text()
    compose = (ROOT / "docker-compose.yml").read_text()
    block = nginx.split("location /_protected/ {", 1)[1].split("}", 1)[0]
    assert "internal;" in block and "alias /srv/media/;" in block
    assert "location /media" not in nginx
    assert "DOCUMENTS_ACCEL_REDIRECT: /_protected/" in compose
    assert "- media:/srv/media:ro" in compose


def test_the_image_runs_gunicorn_and_migrates_on_start():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "gunicorn" in dockerfile and "collectstatic" in dockerfile
    assert "migrate" in (ROOT / "docker" / "entrypoint.sh").read_text()


def test_the_audit_log_is_append_only(world, planner_a):
    event = record(
        action="plan.import", actor=planner_a, municipality=world.gmina_a, target=world.plan_a
    )
    assert AuditEvent.objects.for_municipality(world.gmina_a).get().actor_name == "planner_a"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="nothing happened")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    # deleting the user leaves the log as it was
    planner_a.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_name == "planner_a"


def test_the_scale_profile_parses_and_balances_two_app_nodes_over_a_standby():
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose (Debian package) is installed by scripts/setup.sh"
    command = [compose, "-f", str(ROOT / "docker-compose.yml"), "--profile", "scale", "config"]
    result = subprocess.run([*command, "-q"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    services = subprocess.run(
        [*command, "--services"], capture_output=True, text=True, timeout=60
    ).stdout.split()
    assert {"db", "db-standby", "web", "web2", "worker", "redis", "proxy"} <= set(services)
    nginx = (ROOT / "docker" / "nginx-scale.conf").read_text()
    assert "server web:8000" in nginx and "server web2:8000" in nginx
    assert "pg_basebackup" in (ROOT / "docker" / "standby-entrypoint.sh").read_text()
    assert "REPLICATION" in (ROOT / "docker" / "db-init" / "10-replication.sh").read_text()
