"""The terminal progress bar: drawn on a terminal, silent in pipes and logs."""

from __future__ import annotations

import io

from plans.ingest.console import ProgressBar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_on_a_terminal():
    out = Terminal()
    bar = ProgressBar(out, width=10)
    bar("write", 5, 10)
    bar("read parcels.gpkg", 3000, None)
    bar.close()
    text = out.getvalue()
    assert "[#####-----] 5/10" in text and "3000 features read" in text and text.endswith("\n")


def test_the_progress_bar_is_silent_when_not_on_a_terminal():
    out = io.StringIO()
    bar = ProgressBar(out)
    bar("write", 5, 10)
    bar.close()
    assert out.getvalue() == ""
