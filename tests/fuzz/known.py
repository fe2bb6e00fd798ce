"""Inputs of known bugs that other branches fix (issue 20), left out of the fuzzers until merged.

Each entry names the issue item and the branch that fixes it; after that branch is merged, delete
the entry and run ``pytest -m fuzz_long tests/fuzz`` once. A probe matching an entry is rejected
(``hypothesis.reject``): the fuzzer draws another instead of killing a worker on every run.
``FUZZ_INCLUDE_KNOWN=1`` sends them all the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from hypothesis import reject

from tests.fuzz.stack import Probe


@dataclass(frozen=True)
class KnownBug:
    item: str
    fixed_on: str
    matches: Callable[[Probe], bool]


def _params(probe: Probe) -> dict[str, str]:
    """The parameters as the WMS reads them: upper-cased names, the last value wins."""
    pairs = probe.pairs
    if probe.method == "POST" and probe.body is not None:
        pairs = parse_qsl(probe.body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name.upper(): value for name, value in pairs}


# Empty: items 1 (far BBOX in GetFeatureInfo) and 3 (wrong Basic password) are fixed and their
# inputs are fuzzed again. Add an entry here only while a known bug's fix is on another branch.
KNOWN_UNTIL_MERGED: list[KnownBug] = []


def skip_known(probe: Probe) -> Probe:
    if os.environ.get("FUZZ_INCLUDE_KNOWN") == "1":  # to check a fix: send them too
        return probe
    for bug in KNOWN_UNTIL_MERGED:
        if bug.matches(probe):
            reject()
    return probe
