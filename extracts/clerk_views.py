"""The clerk's steps before issuing: record the payment or exemption, preview the document."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.guards import signin_redirect
from extracts.engine import ParcelProblem
from extracts.models import ExtractRequest
from extracts.views import pdf_response, queue_municipality
from extracts.workflow import WorkflowError, preview_request, record_payment
from layers.tenancy import get_for_municipality_or_404


class PaymentForm(forms.Form):
    paid_on = forms.DateField(
        label=gettext_lazy("Paid on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reference = forms.CharField(
        label=gettext_lazy("Payment reference (transfer, receipt)"), max_length=100, required=False
    )
    exemption = forms.CharField(
        label=gettext_lazy("Exemption from the fee (ground)"), max_length=300, required=False
    )


@signin_redirect
@require_POST
def clerk_payment(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    municipality = queue_municipality(request, gmina, "extract.issue")
    req = get_for_municipality_or_404(ExtractRequest, municipality, pk=pk)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("extract-queue-detail", gmina=gmina, pk=pk)
    try:
        record_payment(
            req=req,
            clerk=request.user,
            paid_on=form.cleaned_data["paid_on"],
            reference=form.cleaned_data["reference"],
            exemption=form.cleaned_data["exemption"],
            http_request=request,
        )
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Payment recorded."))
    return redirect("extract-queue-detail", gmina=gmina, pk=pk)


@signin_redirect
@require_GET
def clerk_preview(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    """The PDF as it would be issued now, marked as a preview; nothing is numbered or stored."""
    municipality = queue_municipality(request, gmina, "extract.issue")
    req = get_for_municipality_or_404(ExtractRequest, municipality, pk=pk)
    try:
        data = preview_request(req=req, clerk=request.user)
    except (WorkflowError, ParcelProblem) as exc:
        messages.error(request, str(exc))
        return redirect("extract-queue-detail", gmina=gmina, pk=pk)
    return pdf_response(data, f"podglad-wniosek-{req.pk}.pdf")
