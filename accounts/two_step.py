"""Two-step sign-in required of platform and gmina admins (setting TWO_FACTOR_REQUIRED_FOR_ADMINS).

An admin without a confirmed TOTP device who asks for a staff page is sent to set one up first
(/konto/dwuetapowe/?next=…). Public pages, the account page, sign-out and the setup itself stay
reachable. An admin *with* a device who skipped the code in this session has no staff powers at all
(layers.permissions.second_factor_missing), so nothing more is needed for them here.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from accounts import otp
from layers.permissions import is_admin_account

# URL names (namespace:name) of the staff pages; every Django admin page counts as well.
STAFF_URL_NAMES = frozenset(
    {
        "extract-queue",
        "extract-queue-detail",
        "extract-issue",
        "extract-reject",
        "extract-queue-download",
        "import-upload",
        "import-job",
        "import-job-status",
        "import-job-confirm",
        "accounts:surveyor_list",
        "accounts:surveyor_decide",
        "accounts:audit_all",
        "accounts:audit_all_csv",
        "accounts:team",
        "accounts:member_role",
        "accounts:member_remove",
        "accounts:audit_gmina",
        "accounts:audit_gmina_csv",
    }
)


def is_staff_page(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return "admin" in match.namespaces or match.view_name in STAFF_URL_NAMES


def must_set_up_two_step(user) -> bool:
    return (
        settings.TWO_FACTOR_REQUIRED_FOR_ADMINS
        and is_admin_account(user)
        and not otp.has_second_factor(user)
    )


class TwoStepForAdminsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.TWO_FACTOR_REQUIRED_FOR_ADMINS
            and request.user.is_authenticated
            and is_staff_page(request.path_info)
            and must_set_up_two_step(request.user)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:otp_setup')}?{query}")
        return self.get_response(request)
