"""Turning a "no" of layers/permissions.py into the right HTTP answer, for HTML views.

    municipality = get_municipality_or_404(gmina)
    require(request, "staff.manage", municipality)

Anonymous visitors are sent to sign in; somebody with no role in the gmina gets 404 (another gmina's
back office does not exist for them); anybody else 403. The rules themselves live only in
layers/permissions.py.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from layers.permissions import denial_status


class SignInRequired(Exception):
    """Raised by ``require`` for anonymous visitors; ``signin_redirect`` turns it into a 302."""


def require(request: HttpRequest, action: str, obj: Any = None) -> None:
    status = denial_status(request.user, action, obj)
    if status is None:
        return
    if status == 401:
        raise SignInRequired
    if status == 404:
        raise Http404("Not here")
    raise PermissionDenied


def signin_redirect(view):
    """Decorator: a ``SignInRequired`` raised inside the view becomes a redirect to sign-in."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SignInRequired:
            return redirect_to_login(request.get_full_path())

    return wrapper
