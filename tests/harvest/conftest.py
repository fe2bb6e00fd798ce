"""The replay server and the gmina of the recorded answers (TERYT 121201, Testowa)."""

from __future__ import annotations

import pytest

from tests.harvest.replay import start_replay
from tests.ingest.conftest import _uploads_in_tmp, gmina_testowa, planner_testowa  # noqa: F401
from tests.ingest.test_app_export import demo_pog  # noqa: F401 (fixture)


@pytest.fixture
def replay():
    server = start_replay()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _quick_harvest(settings):
    settings.HARVEST_TIMEOUT_S = 0.5
    settings.HARVEST_PAGE_SIZE = 2
