"""Harvested gminy kept in step with their source: what ``harvest_plans`` remembers, what the job runs.

``remember_source`` stores the source of a harvest that was not a dry run (``HarvestSource``); the
periodic job (``plans.tasks.sync_harvested``) calls ``sync_due`` every hour, which harvests again each
source with ``sync`` on whose last harvest is ``HARVEST_SYNC_HOURS`` old (0: the job does nothing).
An unchanged act is a no-op; a failure is kept in ``last_result`` and tried again next time.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from layers.models import Municipality
from plans.ingest.audit import record_rejected_import
from plans.ingest.harvest import HarvestError, harvest
from plans.ingest.report import Report
from plans.models import HarvestSource

log = logging.getLogger(__name__)


def outcome(report: Report) -> str:
    acts = report.summary.get("acts", [])
    done = ", ".join(f"{a['local_id']} {a['version_id']}: {a['result']}" for a in acts)
    return (done or report.status)[:500]


def remember_source(
    *, municipality: Municipality, kind: str, url: str, report: Report, sync: bool | None = None
) -> HarvestSource:
    source, _created = HarvestSource.objects.update_or_create(
        municipality=municipality,
        kind=kind,
        defaults={"url": url, "last_harvest_at": timezone.now(), "last_result": outcome(report)},
    )
    if sync is not None and source.sync != sync:
        source.sync = sync
        source.save(update_fields=["sync"])
    return source


def sync_source(source: HarvestSource) -> str:
    """Harvest one source again; its result (also stored on the source)."""
    with tempfile.TemporaryDirectory(prefix="harvest-") as folder:
        try:
            report = harvest(
                municipality=source.municipality,
                folder=Path(folder),
                kind=source.kind,
                url=source.url,
            )
        except HarvestError as exc:
            result = f"failed: {exc}"[:500]
        else:
            record_rejected_import(report=report, municipality=source.municipality, actor=None)
            result = outcome(report)
    source.last_harvest_at = timezone.now()
    source.last_result = result
    source.save(update_fields=["last_harvest_at", "last_result"])
    return result


def sync_due(*, now: dt.datetime | None = None) -> dict[int, str]:
    """Harvest the sources due (``HARVEST_SYNC_HOURS``; 0 = off): source id -> result."""
    hours = settings.HARVEST_SYNC_HOURS
    if hours <= 0:
        return {}
    cutoff = (now or timezone.now()) - dt.timedelta(hours=hours)
    due = HarvestSource.objects.filter(sync=True, municipality__is_active=True).filter(
        Q(last_harvest_at__isnull=True) | Q(last_harvest_at__lte=cutoff)
    )
    results = {}
    for source in due.select_related("municipality"):
        results[source.pk] = sync_source(source)
        log.info("harvest sync of %s: %s", source, results[source.pk])
    return results
