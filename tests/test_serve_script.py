"""scripts/serve.sh (make demo): SITE_URL follows HOST and PORT unless given (issue 19, point 2)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# stands in for .venv/bin/python: the "worker" ends at once, "runserver" prints SITE_URL
FAKE_PYTHON = '#!/bin/sh\ncase "$*" in *runserver*) echo "SITE_URL=$SITE_URL";; esac\n'


def run_serve(tmp_path: Path, *args: str, env: dict[str, str]) -> str:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "serve.sh", tmp_path / "scripts" / "serve.sh")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    (tmp_path / ".var").mkdir()
    clean = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
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
