from __future__ import annotations

import pytest

from tests.conftest import A_ORIGIN
from tests.consultation.helpers import draft_in, open_consultation_on


@pytest.fixture
def draft_a(world):
    return draft_in(world.gmina_a, A_ORIGIN)


@pytest.fixture
def consultation(draft_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return open_consultation_on(draft_a)
