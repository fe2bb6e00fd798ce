"""Thin views: the request form and status, the clerk's queue, verification, informational PDFs."""

from __future__ import annotations

import hashlib
import re
import uuid
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.audit import record
from accounts.confirm import confirmation_page
from accounts.guards import SignInRequired, signin_redirect
from accounts.models import signatory_of
from accounts.ratelimit import ratelimit
from extracts.deadlines import mark_deadlines
from extracts.document import ExtractMeta, build_document
from extracts.duplicates import duplicate_of, earlier_open_duplicates
from extracts.engine import ParcelProblem, compute_extract
from extracts.models import (
    Extract,
    ExtractBatch,
    ExtractKind,
    ExtractRequest,
    normalise_verification_code,
)
from extracts.service_counts import count_informational_pdf
from extracts.survey_link import survey_url
from extracts.workflow import (
    Requester,
    WorkflowError,
    issue_request,
    reject_request,
    submit_request,
)
from layers.metrics import EXTRACT_DURATION
from layers.models import Municipality, Parcel
from layers.permissions import can
from layers.tenancy import get_for_municipality_or_404, get_municipality_or_404

CODE_RE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")


class RequestForm(forms.Form):
    parcels = forms.CharField(
        label=gettext_lazy("Parcel identifiers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One per line or separated by commas, e.g. 200211_2.0005.123/4"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Document"), choices=ExtractKind.choices)
    name = forms.CharField(label=gettext_lazy("Name or firm"), max_length=200)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    purpose = forms.CharField(
        label=gettext_lazy("Purpose (optional)"), max_length=300, required=False
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def identifiers(self) -> list[str]:
        raw = self.cleaned_data["parcels"].replace(",", "\n").replace(";", "\n")
        return [line.strip() for line in raw.splitlines() if line.strip()]


@require_http_methods(["GET", "POST"])
@ratelimit("extract", methods={"POST"})
def request_form(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        initial = {"submission_key": uuid.uuid4().hex, "parcels": request.GET.get("dzialka", "")}
        return render(request, "extracts/request_form.html", {"form": RequestForm(initial=initial)})
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            requests = submit_request(
                identifiers=form.identifiers(),
                kind=form.cleaned_data["kind"],
                requester=Requester(
                    name=form.cleaned_data["name"],
                    address=form.cleaned_data["address"],
                    email=form.cleaned_data["email"],
                    user=request.user,
                ),
                purpose=form.cleaned_data["purpose"],
                submission_key=form.cleaned_data["submission_key"],
                http_request=request,
            )
        except ParcelProblem as exc:
            for problem in exc.problems:
                form.add_error("parcels", problem)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("extract-status", token=requests[0].token)
    return render(request, "extracts/request_form.html", {"form": form}, status=400)


@require_GET
def request_status(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    req = get_object_or_404(ExtractRequest.objects.select_related("municipality"), token=token)
    group = ExtractRequest.objects.filter(group=req.group).select_related("municipality")
    extract = Extract.objects.filter(request=req).only("reference", "issued_at", "fee").first()
    top_up = None
    if extract is not None and req.fee_quote:
        top_up = Decimal(extract.fee["total"]) - Decimal(req.fee_quote["total"])
    duplicates = list(earlier_open_duplicates(req)) if req.status == req.Status.SUBMITTED else []
    return render(
        request,
        "extracts/request_status.html",
        {
            "req": req,
            "group": group,
            "extract": extract,
            "top_up": top_up,
            "duplicates": duplicates,
            "survey_url": survey_url(req=req) if extract is not None else "",
        },
    )


@login_required
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own requests and API batches, newest first (nobody else's)."""
    requests = (
        ExtractRequest.objects.filter(requester=request.user)
        .select_related("municipality")
        .order_by("-submitted_at")[:200]
    )
    batches = ExtractBatch.objects.filter(owner=request.user).defer("zip_file")[:200]
    return render(
        request,
        "extracts/my_requests.html",
        {
            "requests": requests,
            "batches": batches,
            "is_surveyor": can(request.user, "extract.request_batch"),
        },
    )


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _filename(extract: Extract) -> str:
    return f"wypis-{extract.reference.replace('.', '-')}.pdf"


@require_GET
def request_download(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    req = get_object_or_404(ExtractRequest, token=token, status=ExtractRequest.Status.ISSUED)
    extract = get_object_or_404(Extract, request=req)
    record(
        action="extract.download",
        actor=request.user,
        municipality=req.municipality,
        target=extract,
        details={"request": req.pk, "by": "requester"},
        request=request,
    )
    return pdf_response(extract.pdf, _filename(extract))


def queue_municipality(request: HttpRequest, gmina: str, action: str) -> Municipality:
    """The gmina, if the user may do ``action`` there; an anonymous visitor signs in first; any
    other user without a role there gets 404 (tenant first)."""
    if not request.user.is_authenticated:
        raise SignInRequired
    municipality = get_municipality_or_404(gmina)
    if not can(request.user, "extract.view_queue", municipality):
        raise Http404("No such queue")
    if not can(request.user, action, municipality):
        raise PermissionDenied(action)
    return municipality


@signin_redirect
@require_GET
def clerk_queue(request: HttpRequest, gmina: str) -> HttpResponse:
    municipality = queue_municipality(request, gmina, "extract.view_queue")
    requests = ExtractRequest.objects.for_municipality(municipality)
    pending = list(requests.filter(status=ExtractRequest.Status.SUBMITTED).order_by("submitted_at"))
    marks = duplicate_of(pending)
    for req in pending:
        req.duplicate_of = marks.get(req.pk)
    return render(
        request,
        "extracts/queue.html",
        {
            "municipality": municipality,
            "pending": mark_deadlines(pending, today=timezone.localdate()),
            "decided": requests.exclude(status=ExtractRequest.Status.SUBMITTED)
            .select_related("extract")
            .defer("extract__pdf")
            .order_by("-decided_at")[:50],
        },
    )


@signin_redirect
@require_GET
def clerk_detail(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    municipality = queue_municipality(request, gmina, "extract.view_queue")
    req = get_for_municipality_or_404(ExtractRequest, municipality, pk=pk)
    extract = Extract.objects.filter(request=req).only("reference", "sha256").first()
    return render(
        request,
        "extracts/queue_detail.html",
        {
            "municipality": municipality,
            "req": req,
            "extract": extract,
            "can_issue": can(request.user, "extract.issue", municipality),
        },
    )


@signin_redirect
@require_http_methods(["GET", "POST"])
def clerk_issue(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    """GET: the confirmation page (what will be issued, the preview); POST with ``confirmed``:
    issue. A POST without it (a stale form, a script) only shows the confirmation page."""
    municipality = queue_municipality(request, gmina, "extract.issue")
    req = get_for_municipality_or_404(ExtractRequest, municipality, pk=pk)
    if request.method == "GET" or request.POST.get("confirmed") != "yes":
        return render(
            request,
            "extracts/issue_confirm.html",
            {"municipality": municipality, "req": req, "signer": signatory_of(request.user)},
        )
    try:
        extract = issue_request(req=req, clerk=request.user, http_request=request)
    except (WorkflowError, ParcelProblem) as exc:
        messages.error(request, str(exc))
        return redirect("extract-queue-detail", gmina=gmina, pk=pk)
    messages.success(request, _("Issued %(ref)s.") % {"ref": extract.reference})
    return redirect("extract-queue-detail", gmina=gmina, pk=pk)


@signin_redirect
@require_POST
def clerk_reject(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    municipality = queue_municipality(request, gmina, "extract.reject")
    req = get_for_municipality_or_404(ExtractRequest, municipality, pk=pk)
    reason = request.POST.get("reason", "").strip()
    if reason and req.status == req.Status.SUBMITTED and not request.POST.get("confirm"):
        return confirmation_page(
            request,
            question=_("Reject request %(pk)s?") % {"pk": req.pk},
            details=[str(req), req.requester_name, _("Reason: %(reason)s") % {"reason": reason}],
            confirm_label=_("Reject the request"),
            cancel_url=reverse("extract-queue-detail", args=[gmina, pk]),
            fields={"reason": reason},
        )
    try:
        reject_request(req=req, clerk=request.user, reason=reason, http_request=request)
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Request rejected."))
    return redirect("extract-queue-detail", gmina=gmina, pk=pk)


@signin_redirect
@require_GET
def clerk_download(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    municipality = queue_municipality(request, gmina, "extract.view_queue")
    extract = get_for_municipality_or_404(Extract, municipality, request_id=pk)
    record(
        action="extract.download",
        actor=request.user,
        municipality=municipality,
        target=extract,
        details={"request": pk, "by": "clerk"},
        request=request,
    )
    return pdf_response(extract.pdf, _filename(extract))


def public_issuer(extract: Extract) -> str:
    """Who issued ``extract``, as the public verification page may say it: a full name or nothing.

    ``issued_by_name`` falls back to the login (an e-mail address for invited staff) when the
    account had no full name; a login or an address is never shown, the page names the gmina.
    """
    name = extract.issued_by_name.strip()
    issuer = extract.issued_by
    if not name or "@" in name or name in {issuer.get_username(), issuer.email}:
        return ""
    return name


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    code = normalise_verification_code(code)
    extract = None
    if CODE_RE.match(code):  # anything else (NUL bytes, long junk) never reaches the database
        extract = (
            Extract.objects.filter(verification_code=code)
            .select_related("municipality", "issued_by")
            .defer("pdf")
            .first()
        )
    context = {"code": code.replace("\x00", ""), "extract": extract, "file_check": None}
    context["issuer"] = public_issuer(extract) if extract else ""
    status = 200 if extract else 404
    if request.method == "POST" and extract is not None:
        upload = request.FILES.get("file")
        if upload is None:
            context["file_error"] = _("Choose the PDF file to check.")
            status = 400
        else:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            context["file_sha256"] = digest.hexdigest()
            context["file_check"] = digest.hexdigest() == extract.sha256
    return render(request, "extracts/verify.html", context, status=status)


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    code = normalise_verification_code(request.GET.get("kod", ""))
    if code:
        return redirect("extract-verify", code=code)
    return render(request, "extracts/verify.html", {"code": "", "extract": None, "ask": True})


@require_GET
@ratelimit("extract")
def informational_pdf(request: HttpRequest, gmina: str, identifier: str) -> HttpResponse:
    municipality = get_municipality_or_404(gmina)
    parcel = get_for_municipality_or_404(
        Parcel.objects.current().select_related("precinct", "municipality"),
        municipality,
        identifier=identifier,
    )
    with EXTRACT_DURATION.labels("informational").time():
        content = compute_extract(municipality=municipality, parcels=[parcel])
        built = build_document(
            content=content, meta=ExtractMeta(kind=ExtractKind.WYPIS_WYRYS, informational=True)
        )
    count_informational_pdf(municipality=municipality)
    name = parcel.identifier.replace("/", "_")
    return pdf_response(built.pdf, f"wypis-informacyjny-{name}.pdf")
