"""A procrastinate worker that pauses at one known point of a job, to be killed there (tests only).

    python -m tests.jobs.pausing_worker MODULE:FUNCTION MARKER [worker options…]

wraps FUNCTION of MODULE: after its first call returns, the worker writes the file MARKER and
sleeps until it is killed, so a test knows the job is mid-way (e.g. inside the import's
transaction) when it sends SIGKILL. The pause lives only in this test script: the portal itself has
no setting or environment variable that slows a job down.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path


def _pause_after(target: str, marker: Path) -> None:
    module_name, name = target.split(":")
    module = importlib.import_module(module_name)
    original = getattr(module, name)

    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        marker.write_text(f"{os.getpid()} paused after {target}\n")
        time.sleep(3600)
        return result

    setattr(module, name, paused)


def main(argv: list[str]) -> None:
    target, marker, *options = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    _pause_after(target, Path(marker))
    execute_from_command_line(["manage.py", "procrastinate", "worker", *options])


if __name__ == "__main__":
    main(sys.argv[1:])
