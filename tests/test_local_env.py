"""A checkout's local settings: one git-ignored file the set-up writes, which production never reads."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess

import yaml

from tests.test_deploy import ROOT, run_settings

SECRET = "from-the-local-file-" + "k3Vw9Qz" * 6
SECRET_FROM_ENV = "from-the-environment-" + "p8Rt2Xy" * 6


def write_local_env(tmp_path, *, database: str) -> dict[str, str]:
    """`scripts/setup.sh localenv` alone (nothing else of the set-up runs), into a file of tmp_path."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DATABASE_URL_EXTERNAL", "PGROOT", "PORT", "HOST"}
    }
    env.update(PGDATABASE=database, PGPORT="54329", LOCAL_ENV_FILE=str(tmp_path / ".env.local"))
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup.sh"), "localenv"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / ".env.local").read_text(encoding="utf-8")
    return dict(line.split("=", 1) for line in text.splitlines() if not line.startswith("#"))


def test_the_set_up_writes_the_local_cluster_and_a_secret_it_keeps(tmp_path):
    first = write_local_env(tmp_path, database="portal_one")
    assert first["DATABASE_URL"] == "postgres://postgres@127.0.0.1:54329/portal_one"
    assert first["DEBUG"] == "1" and first["SITE_URL"] == "http://127.0.0.1:8000"
    assert first["PGDATABASE"] == "portal_one" and first["PGROOT"]
    assert len(first["SECRET_KEY"]) >= 50 and len(set(first["SECRET_KEY"])) >= 20
    mode = stat.S_IMODE((tmp_path / ".env.local").stat().st_mode)
    assert mode == 0o600, oct(mode)  # it holds a secret
    with (tmp_path / ".env.local").open("a", encoding="utf-8") as fh:
        fh.write("EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend\n")
    second = write_local_env(tmp_path, database="portal_two")
    assert second["SECRET_KEY"] == first["SECRET_KEY"]  # generated once, kept across runs
    assert second["DATABASE_URL"].endswith("/portal_two")
    assert second["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert not (tmp_path / ".env.local.tmp").exists()


def test_the_written_file_gives_the_settings_a_database_and_a_secret(tmp_path):
    written = write_local_env(tmp_path, database="portal_local")
    result = run_settings({"LOCAL_ENV_FILE": str(tmp_path / ".env.local")})
    assert result.returncode == 0, result.stderr
    key, name, host, debug, _secure = result.stdout.split()  # no password: an empty field
    assert (key, name, host, debug) == (written["SECRET_KEY"], "portal_local", "127.0.0.1", "True")


def local_file(tmp_path, **values: str):
    path = tmp_path / "local.env"
    lines = ["# a comment", "", *(f"{k}={v}" for k, v in values.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_with_debug_off_the_settings_take_the_secret_and_database_from_the_file(tmp_path):
    path = local_file(
        tmp_path, SECRET_KEY=SECRET, DATABASE_URL="postgis://me@127.0.0.1:54329/from_file"
    )
    result = run_settings({"LOCAL_ENV_FILE": path, "DEBUG": "0"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:3] == [SECRET, "from_file", "127.0.0.1"]
    assert result.stdout.split()[3] == "False"  # (the empty password prints nothing)


def test_an_environment_variable_wins_over_the_file(tmp_path):
    path = local_file(
        tmp_path,
        DEBUG="1",
        SECRET_KEY=SECRET,
        DATABASE_URL="postgis://me@127.0.0.1:54329/from_file",
    )
    result = run_settings(
        {
            "LOCAL_ENV_FILE": path,
            "DEBUG": "0",
            "SECRET_KEY": SECRET_FROM_ENV,
            "DATABASE_URL": "postgis://me@db.internal:5432/from_env",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:3] == [SECRET_FROM_ENV, "from_env", "db.internal"]
    assert result.stdout.split()[3] == "False"  # (the empty password prints nothing)


def test_without_the_file_production_mode_refuses_to_start(tmp_path):
    for missing in (str(tmp_path / "no-such-file"), ""):
        result = run_settings(
            {"LOCAL_ENV_FILE": missing, "DEBUG": "0", "DATABASE_URL": "postgis://u@h/db"}
        )
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr
        assert ".env.local" in result.stderr  # says how a development checkout gets one
    result = run_settings({"LOCAL_ENV_FILE": str(tmp_path / "no-such-file"), "DEBUG": "1"})
    assert "DATABASE_URL is not set" in result.stderr


def test_production_never_reads_the_local_file():
    assert ".env.local" in (ROOT / ".gitignore").read_text().split()
    assert ".env.local" in (ROOT / ".dockerignore").read_text().split()
    assert "LOCAL_ENV_FILE=" in (ROOT / "Dockerfile").read_text()
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose (Debian package) is installed by scripts/setup.sh"
    config = subprocess.run(
        [compose, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    services = yaml.safe_load(config)["services"]
    for name in ("web", "worker"):
        assert services[name]["environment"]["LOCAL_ENV_FILE"] == "", name
