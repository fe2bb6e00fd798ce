"""Inputs of known bugs that other branches fix (issue 20), left out of the fuzzers until merged.

Each entry names the issue item and the branch that fixes it; after that branch is merged, delete
the entry and run ``pytest -m fuzz_long tests/fuzz`` once. A probe matching an entry is rejected
(``hypothesis.reject``): the fuzzer draws another instead of killing a worker on every run.
``FUZZ_INCLUDE_KNOWN=1`` sends them all the same.
"""

from __future__ import annotations

import math
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


def _far_bbox_feature_info(probe: Probe) -> bool:
    """Item 1: GetFeatureInfo with a BBOX far outside its CRS kills the worker (GEOS) or is a 500."""
    params = _params(probe)
    if params.get("REQUEST", "").strip().lower() not in ("getfeatureinfo", "feature_info"):
        return False
    try:
        values = [float(v) for v in params.get("BBOX", "").split(",")[:4]]
    except ValueError:
        return False
    return any(math.isfinite(v) and abs(v) > FAR for v in values)


FAR = 1e7  # beyond any CRS offered here except EPSG:3857 (2e7)

KNOWN_UNTIL_MERGED = [
    KnownBug("issue 20 item 1 (far BBOX in GetFeatureInfo)", "h/a", _far_bbox_feature_info),
]


def skip_known(probe: Probe) -> Probe:
    if os.environ.get("FUZZ_INCLUDE_KNOWN") == "1":  # to check a fix: send them too
        return probe
    for bug in KNOWN_UNTIL_MERGED:
        if bug.matches(probe):
            reject()
    return probe
