"""A gmina's back office for its admins: staff (invite, change role, remove) and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import staff
from accounts.audit_text import action_choices, action_title, describe_details
from accounts.auditlog import csv_lines, events_for
from accounts.confirm import confirmation_page
from accounts.forms import InviteForm, RoleForm
from accounts.guards import require, signin_redirect
from layers.models import Membership
from layers.tenancy import get_for_municipality_or_404, get_municipality_or_404

PAGE_SIZE = 100


@signin_redirect
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, gmina: str) -> HttpResponse:
    municipality = get_municipality_or_404(gmina)
    require(request, "staff.manage", municipality)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = staff.invite_staff(
                municipality=municipality,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
                request=request,
            )
        except staff.StaffError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
                if invitation.new_account
                else _("%(email)s now has the role.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:team", gmina=municipality.slug)
    context = {
        "municipality": municipality,
        "members": staff.team_of(municipality),
        "form": form,
        "roles": Membership.Role.choices,
    }
    return render(request, "accounts/team.html", context, status=400 if form.errors else 200)


def _member_action(request: HttpRequest, gmina: str, pk: int, change) -> HttpResponse:
    municipality = get_municipality_or_404(gmina)
    require(request, "staff.manage", municipality)
    membership = get_for_municipality_or_404(
        Membership.objects.select_related("user", "municipality"), municipality, pk=pk
    )
    try:
        change(membership)
    except staff.StaffError as exc:
        messages.error(request, str(exc))
    return redirect("accounts:team", gmina=municipality.slug)


@signin_redirect
@require_POST
def member_role(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose one of the roles."), status=400, content_type="text/plain")
    return _member_action(
        request,
        gmina,
        pk,
        lambda m: staff.change_role(
            membership=m, role=form.cleaned_data["role"], by=request.user, request=request
        ),
    )


@signin_redirect
@require_POST
def member_remove(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    if not request.POST.get("confirm"):
        municipality = get_municipality_or_404(gmina)
        require(request, "staff.manage", municipality)
        membership = get_for_municipality_or_404(
            Membership.objects.select_related("user"), municipality, pk=pk
        )
        person = membership.user.get_full_name() or membership.user.get_username()
        return confirmation_page(
            request,
            question=_("Remove %(person)s from the staff of %(gmina)s?")
            % {"person": person, "gmina": municipality.name},
            details=[_("Role: %(role)s") % {"role": membership.get_role_display()}],
            confirm_label=_("Remove"),
            cancel_url=reverse("accounts:team", args=[municipality.slug]),
        )
    return _member_action(
        request,
        gmina,
        pk,
        lambda m: staff.remove_member(membership=m, by=request.user, request=request),
    )


def _log_page(request: HttpRequest, municipality) -> HttpResponse:
    # PostgreSQL text cannot hold NUL; an action name never has one
    action = request.GET.get("action", "").replace("\x00", "")[:60]
    page = Paginator(events_for(municipality, action=action), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/audit_log.html",
        {
            "municipality": municipality,
            "page": page,
            "action": action,
            "actions": action_choices(),
            "rows": [
                (event, action_title(event.action), describe_details(event.details))
                for event in page
            ],
        },
    )


def _log_csv(municipality) -> StreamingHttpResponse:
    name = municipality.slug if municipality else "platforma"
    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(
        csv_lines(events_for(municipality)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="audyt-{name}-{stamp}.csv"'
    return response


@signin_redirect
@require_GET
def gmina_log(request: HttpRequest, gmina: str) -> HttpResponse:
    municipality = get_municipality_or_404(gmina)
    require(request, "audit.view", municipality)
    return _log_page(request, municipality)


@signin_redirect
@require_GET
def gmina_log_csv(request: HttpRequest, gmina: str) -> HttpResponse:
    municipality = get_municipality_or_404(gmina)
    require(request, "audit.view", municipality)
    return _log_csv(municipality)


@signin_redirect
@login_required
@require_GET
def platform_log(request: HttpRequest) -> HttpResponse:
    require(request, "audit.view_all")
    return _log_page(request, None)


@signin_redirect
@login_required
@require_GET
def platform_log_csv(request: HttpRequest) -> HttpResponse:
    require(request, "audit.view_all")
    return _log_csv(None)
