"""Procrastinate workers for the tests: one in this process, or real ones in their own process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from procrastinate.contrib.django import app
from procrastinate.periodic import PeriodicRegistry


def run_worker(queue: str) -> None:
    """Run the queued jobs of ``queue`` with a real worker (in this process) until none is left.

    Without periodic jobs: their deferrer would leave a database session open in a thread.
    """
    worker = app.with_connector(app.connector.get_worker_connector())
    worker.periodic_registry = PeriodicRegistry()
    worker.run_worker(
        queues=[queue], wait=False, install_signal_handlers=False, listen_notify=False
    )


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker process on the test database (and this test's MEDIA_ROOT)."""
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra,
    }


def start_pausing_worker(
    *, queue: str, pause_after: str, marker: Path, **env: str
) -> subprocess.Popen:
    """``manage.py procrastinate worker`` that stops after ``pause_after`` (``module:function``)
    returns, until it is killed; it has got there when ``marker`` exists (see pausing_worker.py)."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.pausing_worker", pause_after, str(marker), "-q", queue],
        cwd=settings.BASE_DIR,
        env=worker_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(marker: Path, process: subprocess.Popen, timeout: float = 60) -> None:
    """Until the worker has reached its pause (or fail with what it printed if it ended)."""
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(f"the worker ended: {process.stderr.read().decode()[-3000:]}")
        if time.monotonic() > deadline:
            process.kill()
            said = process.stderr.read().decode()[-3000:]
            raise AssertionError(f"the worker did not reach its pause in time: {said}")
        time.sleep(0.1)
