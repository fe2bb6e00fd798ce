"""An import shares the machine with the maps it feeds (issue 17).

A gmina's 60,000 parcels are validated and written in about 7 s of full CPU (the worker's Python and
the database backend that takes the COPY). On a node that also answers the other gminy, that burst
raised their p95 by 1.6-2.6 times. Pacing spreads the same work: after each chunk (the import's own
progress step, a few thousand parcels) the import rests in proportion to the time the chunk took, so
it takes at most ``IMPORT_CPU_SHARE`` of the time it runs (default 0.2: 60,000 parcels in 25 s
instead of 7 s, and the others' p95 within 1.42 times idle instead of 2.6; bench/README.md). The
transaction is unchanged (still one, still atomic); rows of the gmina being imported are the only
ones it locks. 1 (or more) turns pacing off, e.g. for a first load of a whole union at night.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings


class Pace:
    """Rests after each step for ``worked * (1 / share - 1)`` seconds."""

    def __init__(
        self,
        *,
        share: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.share, self.clock, self.sleep = share, clock, sleep
        self.mark = clock()

    def step(self) -> None:
        worked = self.clock() - self.mark
        if 0 < self.share < 1 and worked > 0:
            self.sleep(worked * (1 / self.share - 1))
        self.mark = self.clock()


def paced(progress: Callable[..., None], *, share: float | None = None) -> Callable[..., None]:
    """``progress`` that also paces the import (``share``: ``IMPORT_CPU_SHARE`` by default)."""
    share = settings.IMPORT_CPU_SHARE if share is None else share
    if share >= 1 or share <= 0:
        return progress
    pace = Pace(share=share)

    def report(*args) -> None:
        progress(*args)
        pace.step()

    return report
