"""What documents are signed with: a member of staff's full name and position, and the gmina's
payment details and executive body (both edited here, by the person or the gmina's admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.audit import record
from accounts.forms import PaymentDetailsForm, StaffProfileForm
from accounts.guards import require, signin_redirect
from accounts.models import StaffProfile
from layers.models import Membership
from layers.tenancy import get_for_municipality_or_404, get_municipality_or_404


def _edit_profile(request: HttpRequest, user, *, back: str, heading: str) -> HttpResponse:
    profile, _created = StaffProfile.objects.get_or_create(user=user)
    form = StaffProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(
            action="staff.profile",
            actor=request.user,
            target=user.get_username(),
            details={"full_name": profile.full_name, "position": profile.position},
            request=request,
        )
        messages.success(request, _("Saved."))
        return redirect(back)
    context = {"form": form, "heading": heading, "back": back}
    return render(
        request, "accounts/staff_profile.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def own_profile(request: HttpRequest) -> HttpResponse:
    """Anybody signed in states their own name and position (printed only on staff documents)."""
    return _edit_profile(
        request, request.user, back=reverse("accounts:profile"), heading=_("Name and position")
    )


@signin_redirect
@require_http_methods(["GET", "POST"])
def member_profile(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    """The gmina's admin sets a member's name and position (their own gmina's staff only)."""
    municipality = get_municipality_or_404(gmina)
    require(request, "staff.manage", municipality)
    membership = get_for_municipality_or_404(
        Membership.objects.select_related("user"), municipality, pk=pk
    )
    back = reverse("accounts:team", args=[municipality.slug])
    name = membership.user.get_full_name() or membership.user.email
    return _edit_profile(
        request,
        membership.user,
        back=back,
        heading=_("Name and position: %(who)s") % {"who": name or membership.user},
    )


@signin_redirect
@require_http_methods(["GET", "POST"])
def payment_details(request: HttpRequest, gmina: str) -> HttpResponse:
    """The gmina's bank account, payee, title of payment and executive body."""
    municipality = get_municipality_or_404(gmina)
    require(request, "staff.manage", municipality)
    form = PaymentDetailsForm(request.POST or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(
            action="municipality.payment_details",
            actor=request.user,
            municipality=municipality,
            target=municipality,
            details={"account": municipality.bank_account, "payee": municipality.payee_name},
            request=request,
        )
        messages.success(request, _("Saved."))
        return redirect("accounts:payment_details", gmina=municipality.slug)
    context = {"form": form, "municipality": municipality}
    status = 400 if form.errors else 200
    return render(request, "accounts/payment_details.html", context, status=status)
