"""Extract requests with chosen times (the dashboard's tests and its benchmark)."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from extracts.models import ExtractRequest

WARSAW = ZoneInfo("Europe/Warsaw")


def local(text: str) -> dt.datetime:
    """``"2025-04-01 10:00"`` in Warsaw time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=WARSAW)


def known_request(
    municipality,
    *,
    filed: str,
    decided: str | None = None,
    status: str = "submitted",
    kind: str = "wypis",
) -> ExtractRequest:
    req = ExtractRequest.objects.create(
        municipality=municipality,
        submission_key=uuid.uuid4().hex,
        group=uuid.uuid4(),
        requester_name="Jan Kowalski",
        requester_address="Wieś 1",
        kind=kind,
        parcel_ids=["x"],
        status=status,
        reject_reason="brak" if status == "rejected" else "",
    )
    ExtractRequest.objects.filter(pk=req.pk).update(
        submitted_at=local(filed), decided_at=local(decided) if decided else None
    )
    return req
