"""The accessibility statement (deklaracja dostępności) of the platform.

Required by art. 10 ust. 1 of the ustawa z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron
internetowych i aplikacji mobilnych podmiotów publicznych; its sections and element ids follow the
minister's "Warunki techniczne publikacji oraz struktura dokumentu elektronicznego deklaracji
dostępności" (version 2.0 of 31 July 2024, issued under art. 12 pkt 7 of the act). Every gmina on
the platform is a podmiot publiczny of its own: the page names each gmina's contact for requests
for accessibility (art. 18 of the act), from its Municipality record.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from layers.models import Municipality

# What tests/browser checks with axe-core (WCAG 2.0/2.1 A and AA rules, serious and critical):
AXE_CHECKED_PAGES = (
    ("/", "strona główna platformy (komputer)"),
    ("/<gmina>/", "mapa gminy z wyszukiwarką (komputer)"),
    ("/<gmina>/?dzialka=…", "mapa gminy z panelem działki (komputer i telefon 390 px)"),
    ("/centrum-wsparcia/", "panel centrum wsparcia"),
    ("/ankieta/…/", "ankieta satysfakcji"),
    ("/deklaracja-dostepnosci/", "ta deklaracja"),
)


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    gminy = Municipality.objects.filter(is_active=True).order_by("name")
    context = {
        "a11y": settings.ACCESSIBILITY,
        "site_url": settings.SITE_URL,
        "gminy": gminy.only(
            "name",
            "slug",
            "address",
            "accessibility_contact",
            "accessibility_email",
            "accessibility_phone",
            "contact_email",
            "contact_phone",
        ),
        "checked_pages": AXE_CHECKED_PAGES,
    }
    return render(request, "monitoring/accessibility.html", context)
