"""The certified extract workflow: request → fee quote → the gmina's queue → issue or reject.

Issuing renders the PDF with the next number of the gmina's yearly sequence, then takes that
number from a counter row locked ``SELECT … FOR UPDATE`` only if it is still the next one (else it
renders again: ``_render_numbered``), stores the PDF once with its SHA-256 and commits everything
together, so a failure leaves no gap and no half-issued extract, two clerks issuing at once get
consecutive numbers, and neither waits for the other's rendering. Every step is audited.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record
from accounts.models import signatory_of
from extracts.document import ExtractMeta, build_document, plan_summary
from extracts.engine import ExtractContent, compute_extract, resolve_parcels
from extracts.models import (
    Extract,
    ExtractCounter,
    ExtractKind,
    ExtractRequest,
    new_verification_code,
)
from extracts.survey_link import survey_url
from layers.metrics import EXTRACT_DURATION
from layers.models import Municipality
from layers.permissions import can


class WorkflowError(ValueError):
    """A step that cannot be done now (e.g. the request was already decided); the message says why."""


@dataclass(frozen=True)
class Requester:
    name: str
    address: str
    email: str = ""
    user: object | None = None


def submit_request(
    *,
    identifiers: list[str],
    kind: str,
    requester: Requester,
    purpose: str = "",
    submission_key: str,
    http_request: HttpRequest | None = None,
) -> list[ExtractRequest]:
    """File a request; parcels of several gminy become one request per gmina (same group).

    A repeated ``submission_key`` (double submit) returns the requests already filed.
    Raises ``engine.ParcelProblem`` naming every unknown or retired parcel; nothing is filed then.
    """
    if kind not in ExtractKind.values:
        raise WorkflowError(_("Unknown kind of extract: %(kind)s") % {"kind": kind})
    existing = _filed(submission_key)
    if existing:
        return existing
    by_gmina = resolve_parcels(identifiers=identifiers)
    try:
        with transaction.atomic():
            return _file(
                by_gmina=by_gmina,
                kind=kind,
                requester=requester,
                purpose=purpose,
                submission_key=submission_key,
                http_request=http_request,
            )
    except IntegrityError:  # the same form submitted twice at the same moment
        existing = _filed(submission_key)
        if existing:
            return existing
        raise


def _filed(submission_key: str) -> list[ExtractRequest]:
    return list(
        ExtractRequest.objects.filter(submission_key=submission_key).order_by("municipality__name")
    )


def _file(
    *, by_gmina, kind: str, requester: Requester, purpose: str, submission_key: str, http_request
) -> list[ExtractRequest]:
    group = uuid.uuid4()
    user = requester.user if getattr(requester.user, "is_authenticated", False) else None
    requests = []
    for municipality in sorted(by_gmina, key=lambda m: m.name):
        parcels = by_gmina[municipality]
        req = ExtractRequest.objects.create(
            municipality=municipality,
            submission_key=submission_key,
            group=group,
            requester=user,
            requester_name=requester.name,
            requester_address=requester.address,
            requester_email=requester.email,
            kind=kind,
            purpose=purpose,
            parcel_ids=[p.identifier for p in parcels],
            fee_quote=quote_fee(municipality=municipality, parcels=parcels, kind=kind),
        )
        record(
            action="extract.request",
            actor=user,
            municipality=municipality,
            target=req,
            details={"request": req.pk, "parcels": req.parcel_ids, "kind": kind},
            request=http_request,
        )
        requests.append(req)
        transaction.on_commit(lambda req=req: _notify(req, _submitted_text(req)))
    return requests


def _submitted_text(req: ExtractRequest) -> str:
    url = settings.SITE_URL + reverse("extract-status", args=[req.token])
    return _filed_text(req, url) + _payment_text(req)


def _payment_text(req: ExtractRequest) -> str:
    pay = req.payment_instructions()
    if pay is None:
        return ""
    return (
        "\n\n"
        + _("Pay to the gmina's account %(account)s (%(payee)s), title of payment: %(title)s") % pay
    )


def _filed_text(req: ExtractRequest, url: str) -> str:
    return _(
        "Your request %(pk)s to %(gmina)s has been filed. Fee quoted: %(fee)s zł. "
        "Follow its status at %(url)s"
    ) % {
        "pk": req.pk,
        "gmina": req.municipality.name,
        "fee": req.fee_quote.get("total"),
        "url": url,
    }


def quote_fee(*, municipality: Municipality, parcels, kind: str) -> dict:
    """The fee of the extract as it would be rendered today (from the real draft PDF)."""
    content = compute_extract(municipality=municipality, parcels=parcels)
    built = build_document(
        content=content, meta=ExtractMeta(kind=kind, informational=False), draw_maps=False
    )
    return built.fee.as_json()


def _check(user, action: str, req: ExtractRequest) -> None:
    if not can(user, action, req.municipality):
        raise PermissionDenied(action)


def _lock_pending(req: ExtractRequest) -> ExtractRequest:
    locked = ExtractRequest.objects.select_for_update().get(pk=req.pk)
    if locked.status != ExtractRequest.Status.SUBMITTED:
        raise WorkflowError(
            _("Request %(pk)s has already been %(status)s.")
            % {"pk": locked.pk, "status": locked.get_status_display()}
        )
    return locked


def next_number(*, municipality: Municipality, year: int) -> int:
    """The next number of the gmina's yearly sequence; call inside the issuing transaction.

    Locks the counter row until the transaction (or the savepoint it runs in) ends.
    """
    ExtractCounter.objects.bulk_create(
        [ExtractCounter(municipality=municipality, year=year)], ignore_conflicts=True
    )
    counter = ExtractCounter.objects.select_for_update().get(municipality=municipality, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _peek_next_number(*, municipality: Municipality, year: int) -> int:
    """The number ``next_number`` would give now, without locking anything."""
    last = (
        ExtractCounter.objects.filter(municipality=municipality, year=year)
        .values_list("last_number", flat=True)
        .first()
    )
    return (last or 0) + 1


class _NumberTaken(Exception):
    """Another clerk of the gmina took the number between the render and the lock."""


# renders with an expected number before falling back to rendering under the counter's lock
OPTIMISTIC_RENDERS = 3


def _render_numbered(*, content: ExtractContent, meta: ExtractMeta, year: int):
    """The next number of the gmina and the PDF that carries it, holding the lock only briefly.

    The PDF states its number, so the number must be known before rendering; but rendering
    takes about a second, and holding the counter's row lock that long queues every other clerk
    of the gmina behind it. So: read the next number without a lock, render with it, then lock
    the counter and take the number only if it is still that one. If another clerk took it
    meanwhile, roll back to the savepoint (which also releases the row lock) and render again
    with the new next number; after ``OPTIMISTIC_RENDERS`` tries, render under the lock.

    Gap-free and without twins as before: the counter is incremented, under its lock, in the
    same transaction that stores the Extract, so a failure anywhere rolls both back, and the
    number taken is checked to be the one printed (plus the unique constraint on the number).
    Returns (number, reference, built document).
    """
    municipality = content.municipality
    for _attempt in range(OPTIMISTIC_RENDERS):
        expected = _peek_next_number(municipality=municipality, year=year)
        reference = f"WWZ.{expected}.{year}"
        built = build_document(content=content, meta=replace(meta, reference=reference))
        try:
            with transaction.atomic():  # a savepoint: its rollback releases the counter lock
                if next_number(municipality=municipality, year=year) != expected:
                    raise _NumberTaken
            return expected, reference, built
        except _NumberTaken:
            continue
    number = next_number(municipality=municipality, year=year)  # a busy gmina: under the lock
    reference = f"WWZ.{number}.{year}"
    return (
        number,
        reference,
        build_document(content=content, meta=replace(meta, reference=reference)),
    )


def _store(
    req: ExtractRequest, *, content: ExtractContent, meta: ExtractMeta, numbered, clerk
) -> Extract:
    """The issued extract, written once, and its request marked issued."""
    number, reference, built = numbered
    extract = Extract.objects.create(
        municipality=req.municipality,
        request=req,
        year=content.on.year,
        number=number,
        reference=reference,
        kind=req.kind,
        parcel_ids=req.parcel_ids,
        as_of=content.on,
        plans=[plan_summary(p) for p in content.plans],
        issued_at=meta.issued_at,
        issued_by=clerk,
        issued_by_name=meta.issued_by_name,
        verification_code=meta.verification_code,
        sha256=hashlib.sha256(built.pdf).hexdigest(),
        pdf=built.pdf,
        pages=built.pages,
        fee=built.fee.as_json(),
    )
    req.status = ExtractRequest.Status.ISSUED
    req.decided_at = meta.issued_at
    req.decided_by = clerk
    req.save(update_fields=["status", "decided_at", "decided_by"])
    return extract


def issue_request(
    *,
    req: ExtractRequest,
    clerk,
    http_request: HttpRequest | None = None,
) -> Extract:
    """Issue the extract of a pending request: number, PDF stored once, audit, e-mail.

    Refused until the payment of the fee or an exemption is recorded (``record_payment``); the
    payment or the exemption's ground is printed in the document.
    """
    _check(clerk, "extract.issue", req)
    signer = signatory_of(clerk)
    with transaction.atomic():
        locked = _lock_pending(req)  # one clerk issues a request; the others get WorkflowError
        _check_fee_settled(locked)
        municipality = locked.municipality
        parcels = resolve_parcels(identifiers=locked.parcel_ids)[municipality]
        now = timezone.now()
        today = timezone.localdate(now)
        with EXTRACT_DURATION.labels("certified").time():
            content = compute_extract(municipality=municipality, parcels=parcels, on=today)
            meta = _document_meta(
                locked, signer=signer, now=now, verification_code=new_verification_code()
            )
            numbered = _render_numbered(content=content, meta=meta, year=today.year)
        extract = _store(locked, content=content, meta=meta, numbered=numbered, clerk=clerk)
        record(
            action="extract.issue",
            actor=clerk,
            municipality=municipality,
            target=extract,
            details={
                "request": locked.pk,
                "number": extract.reference,
                "sha256": extract.sha256,
                "fee": extract.fee["total"],
                "exemption": meta.fee_exemption,
            },
            request=http_request,
        )
        transaction.on_commit(lambda: _notify(locked, _issued_text(extract)))
    return extract


def _clean(value: str, length: int) -> str:
    return (value or "").replace("\x00", "").strip()[:length]


def _check_fee_settled(req: ExtractRequest) -> None:
    if not req.fee_settled:
        raise WorkflowError(
            _(
                "Record the payment of the fee (date or reference) or the ground of an exemption "
                "before issuing request %(pk)s."
            )
            % {"pk": req.pk}
        )


def record_payment(
    *,
    req: ExtractRequest,
    clerk,
    paid_on=None,
    reference: str = "",
    exemption: str = "",
    http_request: HttpRequest | None = None,
) -> ExtractRequest:
    """Record that the opłata skarbowa was paid (a date or a reference) or waived (a ground).

    Issuing is refused until this is recorded (EXTRACTS.md §2: quote → pay → issue).
    """
    _check(clerk, "extract.issue", req)
    reference, exemption = _clean(reference, 100), _clean(exemption, 300)
    if not (paid_on or reference or exemption):
        raise WorkflowError(
            _("Give the date or the reference of the payment, or the ground of the exemption.")
        )
    with transaction.atomic():
        locked = _lock_pending(req)
        locked.paid_on, locked.payment_reference, locked.fee_exemption = (
            paid_on,
            reference,
            exemption,
        )
        locked.payment_recorded_at = timezone.now()
        locked.payment_recorded_by = clerk
        locked.save(
            update_fields=[
                "paid_on",
                "payment_reference",
                "fee_exemption",
                "payment_recorded_at",
                "payment_recorded_by",
            ]
        )
        record(
            action="extract.payment",
            actor=clerk,
            municipality=locked.municipality,
            target=locked,
            details={
                "request": locked.pk,
                "paid_on": paid_on.isoformat() if paid_on else "",
                "reference": reference,
                "exemption": exemption,
            },
            request=http_request,
        )
    return locked


def _document_meta(
    req: ExtractRequest, *, signer: tuple[str, str], now, **numbering
) -> ExtractMeta:
    """What the certified document of ``req`` states besides the plans: request, signer, fee."""
    return ExtractMeta(
        kind=req.kind,
        informational=False,
        issued_at=now,
        issued_by_name=signer[0],
        issued_by_position=signer[1],
        requester_name=req.requester_name,
        requester_address=req.requester_address,
        request_date=timezone.localdate(req.submitted_at),
        purpose=req.purpose,
        fee_exemption=req.fee_exemption,
        paid_on=req.paid_on,
        payment_reference=req.payment_reference,
        **numbering,
    )


def preview_request(*, req: ExtractRequest, clerk) -> bytes:
    """The PDF the request would be issued as, marked "PODGLĄD – projekt": no number, no code,
    nothing stored or counted (the gmina's sequence is not touched)."""
    _check(clerk, "extract.issue", req)
    municipality = req.municipality
    parcels = resolve_parcels(identifiers=req.parcel_ids)[municipality]
    now = timezone.now()
    meta = _document_meta(req, signer=signatory_of(clerk), now=now, draft=True)
    content = compute_extract(
        municipality=municipality, parcels=parcels, on=timezone.localdate(now)
    )
    return build_document(content=content, meta=meta).pdf


def reject_request(
    *, req: ExtractRequest, clerk, reason: str, http_request: HttpRequest | None = None
) -> ExtractRequest:
    """Reject a pending request with a reason the requester sees."""
    _check(clerk, "extract.reject", req)
    reason = (reason or "").replace("\x00", "").strip()
    if not reason:
        raise WorkflowError(_("A rejection needs a reason for the requester."))
    with transaction.atomic():
        locked = _lock_pending(req)
        locked.status = ExtractRequest.Status.REJECTED
        locked.reject_reason = reason
        locked.decided_at = timezone.now()
        locked.decided_by = clerk
        locked.save(update_fields=["status", "reject_reason", "decided_at", "decided_by"])
        record(
            action="extract.reject",
            actor=clerk,
            municipality=locked.municipality,
            target=locked,
            details={"request": locked.pk, "reason": reason},
            request=http_request,
        )
        transaction.on_commit(
            lambda: _notify(locked, _("Your request was rejected: %(r)s") % {"r": reason})
        )
    return locked


def _issued_text(extract: Extract) -> str:
    issued = _("Your extract %(ref)s has been issued. Verification code: %(code)s") % {
        "ref": extract.reference,
        "code": extract.verification_code,
    }
    ask = _("How satisfied are you with this service? One question, no account needed: %(url)s")
    return issued + "\n\n" + ask % {"url": survey_url(req=extract.request, absolute=True)}


def _notify(req: ExtractRequest, text: str) -> None:
    if req.requester_email:
        send_mail(
            subject=_("Extract request – %(gmina)s") % {"gmina": req.municipality.name},
            message=text,
            from_email=None,
            recipient_list=[req.requester_email],
        )
