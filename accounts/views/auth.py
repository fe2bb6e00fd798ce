"""Sign-in (with an optional TOTP second step), sign-out, passwords, the account page."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from accounts import otp
from accounts.audit import record
from accounts.forms import SignInForm, TokenForm
from accounts.models import StaffProfile
from accounts.ratelimit import ratelimit
from accounts.surveyors import applications_for
from accounts.two_step import must_set_up_two_step
from layers.models import Membership
from layers.permissions import can, is_platform_admin, surveyor_profile_of

PENDING = "accounts_otp_pending"  # session key: user waiting for the second step
PENDING_SECONDS = 300


def _safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("accounts:profile")


class SignInView(auth_views.LoginView):
    """Password first; users with a TOTP device then give a code before they are signed in."""

    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = False

    def form_valid(self, form):
        user = form.get_user()
        if not otp.has_second_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": _safe_next(self.request, self.get_redirect_url()),
        }
        return HttpResponseRedirect(reverse("accounts:login_otp"))


@require_http_methods(["GET", "POST"])
def login_otp(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.info(request, _("Sign in again: the time for the code has passed."))
        return redirect("accounts:login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING, None)
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp.matching_device(user, form.cleaned_data["token"])
        if device is not None:
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return HttpResponseRedirect(pending["next"])
        record(action="auth.otp_failed", actor=user, target=user.get_username(), request=request)
        form.add_error("token", _("The code is not valid (or came too late). Try the next one."))
    return render(request, "registration/login_otp.html", {"form": form})


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): 429, nothing checked."""
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @method_decorator(ratelimit("password_reset", methods={"POST"}))
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Also where an invited member of staff sets the first password."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            action="auth.password_set",
            actor=form.user,
            target=form.user.get_username(),
            request=self.request,
        )
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            action="auth.password_changed",
            actor=form.user,
            target=form.user.get_username(),
            request=self.request,
        )
        return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("municipality")
        .order_by("municipality__name", "role")
    )
    staff = bool(memberships) or is_platform_admin(user)
    context = {
        "memberships": memberships,
        "surveyor": surveyor_profile_of(user),
        # gmina staff are not offered the surveyor application (they may still file one)
        "may_apply": can(user, "surveyor.register") and not staff,
        "has_otp": otp.has_second_factor(user),
        "may_otp": can(user, "otp.setup"),
        "pending_applications": applications_for(user).filter(status="pending").count(),
        "is_platform_admin": is_platform_admin(user),
        "staff_profile": StaffProfile.objects.filter(user=user).first(),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator (gmina staff and platform admins)."""
    if not can(request.user, "otp.setup"):
        return render(request, "accounts/otp_not_for_you.html", status=403)
    if otp.has_second_factor(request.user):
        return render(request, "accounts/otp_enabled.html", {"form": TokenForm()})
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp.confirm(user=request.user, token=form.cleaned_data["token"], request=request)
        if device is not None:
            otp_login(request, device)
            messages.success(request, _("Two-step sign-in is on."))
            return HttpResponseRedirect(_safe_next(request, request.GET.get("next")))
        form.add_error("token", _("The code is not valid. Check the phone's clock and try again."))
    context = {
        "form": form,
        "required": must_set_up_two_step(request.user),
        **otp.enrolment(otp.pending_device(request.user)),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
@require_POST
def otp_disable(request: HttpRequest) -> HttpResponse:
    """Switching the second factor off takes a current code."""
    form = TokenForm(request.POST)
    if form.is_valid() and otp.matching_device(request.user, form.cleaned_data["token"]):
        otp.switch_off(user=request.user, request=request)
        messages.success(request, _("Two-step sign-in is off."))
        return redirect("accounts:profile")
    if form.is_valid():
        form.add_error("token", _("The code is not valid."))
    return render(request, "accounts/otp_enabled.html", {"form": form}, status=400)
