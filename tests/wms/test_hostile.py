"""Hostile requests to the OGC services (issue 20): coordinates far outside the CRS, in a child.

A request that crashes GEOS aborts the process (``stack smashing detected``); it is sent by a
separate Python process against this test's (committed) database, so a regression kills that child,
not the test run, and the test sees it die.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.wms.conftest import getmap_url
from tests.wms.test_featureinfo import gfi_url

pytestmark = pytest.mark.django_db(transaction=True)  # the child reads the committed world

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings")
import django
django.setup()
from django.db import connections
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
connections["default"].settings_dict["NAME"] = sys.argv[1]
client = Client()
for url in json.loads(sys.stdin.read()):
    response = client.get(url)
    print(json.dumps([response.status_code, response.content[:600].decode("utf-8", "replace")]))
    sys.stdout.flush()
"""

HUGE = [
    ("1.3.0", "EPSG:2180", "-1e300,-1e300,1e300,1e300"),
    ("1.3.0", "EPSG:2180", "0,0,1e160,1e160"),
    ("1.1.1", "EPSG:2180", "0,0,1e160,1e160"),
    ("1.3.0", "EPSG:4326", "0,0,1e200,1e200"),
    ("1.1.1", "EPSG:4326", "0,0,1e200,1e200"),
    ("1.3.0", "EPSG:3857", "0,0,1e30,1e30"),
    ("1.3.0", "EPSG:2177", "0,0,1e12,1e12"),
    ("1.3.0", "CRS:84", "-1000,-1000,1000,1000"),
]


def _crs(version: str, code: str, bbox: str) -> dict[str, str]:
    return {"CRS" if version == "1.3.0" else "SRS": code, "BBOX": bbox}


def answers_in_a_child(urls: list[str]) -> tuple[int, list[tuple[int, str]]]:
    """Send the URLs from a separate process; (its exit code, [(status, body start)])."""
    child = subprocess.run(
        [sys.executable, "-c", CHILD, connection.settings_dict["NAME"]],
        input=json.dumps(urls),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    lines = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("[")]
    return child.returncode, [tuple(line) for line in lines]


def test_a_bbox_far_outside_the_crs_is_refused_and_the_process_lives(world):
    urls = []
    for version, code, bbox in HUGE:
        crs = _crs(version, code, bbox)
        urls.append(
            gfi_url(
                version=version,
                layers="wektor-str,dzialki",
                fmt="text/plain",
                FEATURE_COUNT="50",
                WIDTH="2",
                HEIGHT="2",
                pixel=(0, 0),
                **crs,
            )
        )
        urls.append(getmap_url(version=version, WIDTH="2", HEIGHT="2", **crs))
    returncode, answers = answers_in_a_child(urls)
    assert returncode == 0, f"the child died ({returncode}) after {len(answers)} answers"
    assert len(answers) == len(urls)
    for url, (status, body) in zip(urls, answers, strict=True):
        assert status == 400, (url, body)
        assert 'code="InvalidParameterValue"' in body, (url, body)
        assert 'locator="BBOX"' in body or "1.1.1" in url, (url, body)
        assert "far outside" in body
