"""A confirmation step before a destructive action, on the server (works without JavaScript).

The view answers the first POST with this page; its form posts the same fields again with
``confirm=1``, and only then does the view act.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def confirmation_page(
    request: HttpRequest,
    *,
    question: str,
    details: list[str],
    confirm_label: str,
    cancel_url: str,
    fields: dict[str, str] | None = None,
) -> HttpResponse:
    context = {
        "question": question,
        "details": details,
        "confirm_label": confirm_label,
        "cancel_url": cancel_url,
        "fields": sorted((fields or {}).items()),
        "action": request.get_full_path(),
    }
    return render(request, "confirm.html", context)
