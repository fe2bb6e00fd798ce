"""Surveyors: sign-up with a licence number, the applications list and the decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import surveyors
from accounts.forms import DecisionForm, SurveyorApplicationForm, SurveyorSignUpForm
from accounts.guards import require, signin_redirect
from accounts.ratelimit import ratelimit
from layers.permissions import can, municipalities_where

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
@ratelimit("signup", methods={"POST"})
def register(request: HttpRequest) -> HttpResponse:
    """A new account with its application, or (signed in) the application alone."""
    user = request.user
    if user.is_authenticated and not can(user, "surveyor.register"):
        messages.info(request, _("This account has already applied as a surveyor."))
        return redirect("accounts:profile")
    form_class = SurveyorApplicationForm if user.is_authenticated else SurveyorSignUpForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "licence_number": data["licence_number"],
            "municipality": data["municipality"],
            "company": data["company"],
            "request": request,
        }
        if user.is_authenticated:
            surveyors.apply(user=user, **common)
        else:
            profile = surveyors.sign_up(
                email=data["email"],
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                **common,
            )
            login(request, profile.user, backend=MODEL_BACKEND)
        messages.success(
            request,
            _(
                "Application filed. Until the municipality approves it, you use the portal as a resident."
            ),
        )
        return redirect("accounts:profile")
    return render(request, "accounts/surveyor_register.html", {"form": form})


@signin_redirect
@login_required
def applications(request: HttpRequest) -> HttpResponse:
    if not municipalities_where(request.user, "surveyor.approve").exists():
        raise PermissionDenied  # no gmina whose applications this account decides on
    status = request.GET.get("status", "pending")
    items = surveyors.applications_for(request.user)
    if status in {"pending", "approved", "rejected"}:
        items = items.filter(status=status)
    return render(
        request,
        "accounts/surveyor_list.html",
        {"applications": items[:500], "status": status, "form": DecisionForm()},
    )


@signin_redirect
@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(surveyors.applications_for(request.user), pk=pk)
    require(request, "surveyor.approve", profile)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accounts/surveyor_list.html",
            {"applications": [profile], "status": "", "form": form, "form_for": profile.pk},
            status=400,
        )
    surveyors.decide(
        profile=profile,
        decision=form.cleaned_data["decision"],
        reason=form.cleaned_data["reason"],
        by=request.user,
        request=request,
    )
    messages.success(request, _("Decision saved: %(user)s.") % {"user": profile.user})
    return redirect("accounts:surveyor_list")
