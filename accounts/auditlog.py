"""Reading the audit log: what a gmina admin or a platform admin sees, and its CSV export.

A gmina's log holds the events recorded in that gmina plus the sign-ins (and failed sign-ins) of the
people who are its staff today. The platform log holds everything. Nothing here writes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.audit_text import ACTION_TITLES
from accounts.models import AuditEvent
from layers.models import Membership, Municipality

CSV_COLUMNS = ["id", "at", "actor", "municipality", "action", "target", "ip", "details"]
# a cell starting with one of these is a formula in spreadsheet programs (CSV injection)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def events_for(municipality: Municipality | None, *, action: str = "") -> QuerySet[AuditEvent]:
    """The gmina's log (or, with ``None``, the whole platform's), newest first."""
    events = AuditEvent.objects.all()
    if municipality is not None:
        staff = Membership.objects.for_municipality(municipality).values("user_id")
        events = events.filter(
            Q(municipality=municipality)
            | Q(municipality__isnull=True, action__startswith="auth.", actor_id__in=staff)
        )
    if action in ACTION_TITLES:
        events = events.filter(action=action)
    elif action:
        events = events.filter(action__startswith=action)
    return events.order_by("-at", "-id")


def _safe(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def csv_rows(events: QuerySet[AuditEvent]) -> Iterator[list[str]]:
    names = dict(Municipality.objects.values_list("pk", "slug"))
    yield CSV_COLUMNS
    for event in events.iterator(chunk_size=2000):
        yield [
            _safe(v)
            for v in (
                event.pk,
                timezone.localtime(event.at).isoformat(timespec="seconds"),
                event.actor_name,
                names.get(event.municipality_id, ""),
                event.action,
                event.target,
                event.ip or "",
                json.dumps(event.details, ensure_ascii=False, sort_keys=True),
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """The export, line by line (for a StreamingHttpResponse)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # spreadsheet programs then read UTF-8 (Polish letters) correctly
    for row in csv_rows(events):
        yield writer.writerow(row)
