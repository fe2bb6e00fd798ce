"""Duplicate extract requests: the same applicant, the same parcels and kind, both still open.

Back + submit in a browser files a second request with a fresh form; nothing stops it (a person may
want two copies), but the applicant sees a warning on the status page and the clerk a mark in the
queue, pointing at the earlier request.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from extracts.models import ExtractRequest


def _applicant_key(req: ExtractRequest) -> tuple:
    if req.requester_id is not None:
        return ("user", req.requester_id)
    return ("name", req.requester_name.strip().lower(), req.requester_address.strip().lower())


def _same_request_key(req: ExtractRequest) -> tuple:
    return (req.municipality_id, req.kind, tuple(sorted(req.parcel_ids)), _applicant_key(req))


def earlier_open_duplicates(req: ExtractRequest) -> QuerySet[ExtractRequest]:
    """Open requests filed before ``req`` by the same applicant for the same parcels and kind."""
    applicant = (
        Q(requester_id=req.requester_id)
        if req.requester_id is not None
        else Q(
            requester__isnull=True,
            requester_name__iexact=req.requester_name.strip(),
            requester_address__iexact=req.requester_address.strip(),
        )
    )
    return (
        ExtractRequest.objects.for_municipality(req.municipality)
        .filter(
            applicant,
            status=ExtractRequest.Status.SUBMITTED,
            kind=req.kind,
            parcel_ids__contains=req.parcel_ids,
            parcel_ids__contained_by=req.parcel_ids,
            submitted_at__lt=req.submitted_at,
        )
        .exclude(pk=req.pk)
        .order_by("submitted_at")
    )


def duplicate_of(requests: Iterable[ExtractRequest]) -> dict[int, int]:
    """For a list of open requests (oldest first): request id -> id of the first identical one."""
    first: dict[tuple, int] = {}
    marks: dict[int, int] = {}
    for req in requests:
        key = _same_request_key(req)
        if key in first:
            marks[req.pk] = first[key]
        else:
            first[key] = req.pk
    return marks
