"""scripts/serve.sh (make demo): SITE_URL follows HOST and PORT unless given (issue 19, point 2)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# stands in for .venv/bin/python: the "worker" ends at once, "runserver" prints SITE_URL
FAKE_PYTHON = (
    '#!/bin/sh\ncase "$*" in *runserver*|*serve_demo*) echo "SITE_URL=$SITE_URL"; '
    'echo "DEBUG=$DEBUG ALLOWED_HOSTS=$ALLOWED_HOSTS SSL=$SECURE_SSL_REDIRECT '
    'COOKIES=$SECURE_COOKIES";; esac\n'
)


def run_serve(tmp_path: Path, *args: str, env: dict[str, str]) -> str:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "serve.sh", tmp_path / "scripts" / "serve.sh")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    (tmp_path / ".var").mkdir()
    names = {"SITE_URL", "DEBUG", "DEMO_DEBUG", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"}
    clean = {k: v for k, v in os.environ.items() if k not in names | {"SECURE_COOKIES"}}
    result = subprocess.run(
        ["bash", str(tmp_path / "scripts" / "serve.sh"), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout


def test_site_url_follows_host_and_port(tmp_path):
    assert "SITE_URL=http://127.0.0.1:8123\n" in run_serve(tmp_path, "127.0.0.1", "8123", env={})


def test_a_given_site_url_is_kept(tmp_path):
    out = run_serve(tmp_path, "127.0.0.1", "8123", env={"SITE_URL": "https://plany.example.pl"})
    assert "SITE_URL=https://plany.example.pl\n" in out


def test_the_demo_runs_with_debug_off_over_plain_http_on_its_host(tmp_path):
    """Issue 19 point 2: the demo shows the real error pages; plain HTTP, so no HTTPS redirect."""
    out = run_serve(tmp_path, "127.0.0.1", "8123", env={"DEBUG": "1"})
    assert "DEBUG=0 ALLOWED_HOSTS=127.0.0.1,127.0.0.1,localhost,[::1] SSL=0 COOKIES=0" in out


def test_demo_debug_brings_the_debug_pages_back(tmp_path):
    out = run_serve(tmp_path, "127.0.0.1", "8123", env={"DEMO_DEBUG": "1"})
    assert "DEBUG=1 " in out
