"""The periodic sync of harvested gminy: off by default, then each source with sync on when due."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from plans.ingest.sync import sync_due
from plans.models import HarvestSource, Plan


def test_the_sync_is_off_by_default(gmina_testowa, replay, settings):
    assert settings.HARVEST_SYNC_HOURS == 0
    HarvestSource.objects.create(municipality=gmina_testowa, url=replay.base, sync=True)
    assert sync_due() == {}
    assert not replay.requests


def test_a_due_source_with_sync_on_is_harvested_and_then_left_alone(
    gmina_testowa, replay, settings
):
    settings.HARVEST_SYNC_HOURS = 24
    source = HarvestSource.objects.create(municipality=gmina_testowa, url=replay.base, sync=True)
    HarvestSource.objects.create(municipality=gmina_testowa, kind="mpzp", url=replay.base)  # off
    assert sync_due() == {source.pk: "1POG 20260915T120000: imported"}
    assert Plan.objects.filter(municipality=gmina_testowa).count() == 1
    assert sync_due() == {}  # harvested just now
    later = timezone.now() + dt.timedelta(hours=25)
    assert sync_due(now=later) == {source.pk: "1POG 20260915T120000: unchanged"}


def test_a_failing_sync_is_kept_on_the_source(gmina_testowa, replay, settings):
    settings.HARVEST_SYNC_HOURS = 1
    replay.fail = "500"
    source = HarvestSource.objects.create(municipality=gmina_testowa, url=replay.base, sync=True)
    sync_due()
    source.refresh_from_db()
    assert source.last_result.startswith("failed: ") and "HTTP 500" in source.last_result
    assert not Plan.objects.exists()
