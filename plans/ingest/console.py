"""What the import commands share: the terminal progress bar and printing the report."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from django.core.management.base import CommandError

from layers.models import Municipality
from plans.ingest.report import Report


class ProgressBar:
    """A one-line progress bar on a terminal; silent when the output is not a terminal."""

    def __init__(self, stream: TextIO | None = None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = self.stream.isatty()

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if total:
            filled = int(self.width * min(done, total) / total)
            bar = "#" * filled + "-" * (self.width - filled)
            line = f"\r{stage:<28.28} [{bar}] {done}/{total}"
        else:
            line = f"\r{stage:<28.28} {done} features read"
        self.stream.write(line.ljust(70))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def municipality_or_error(slug: str) -> Municipality:
    try:
        return Municipality.objects.get(slug=slug)
    except Municipality.DoesNotExist as exc:
        raise CommandError(f"no gmina with the slug {slug!r}", returncode=2) from exc


def finish(report: Report, *, as_json: bool, stdout) -> None:
    """Print the report; a rejected import ends with a non-zero exit status."""
    if as_json:
        stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    else:
        stdout.write(report.as_text())
    if not report.ok:
        raise CommandError(f"import rejected: {len(report.errors)} errors", returncode=1)
