"""Thin views: the platform home, a gmina's page with a simple map, a parcel page."""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from layers.maps import BBoxError, features_in_bbox, parse_bbox4326
from layers.models import Municipality, Parcel
from layers.tenancy import get_for_municipality_or_404
from plans.models import Plan, PlanZone


def get_municipality_or_404(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug, is_active=True)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    municipalities = (
        Municipality.objects.filter(is_active=True)
        .annotate(
            parcel_count=Count("parcels", filter=Q(parcels__valid_to__isnull=True), distinct=True),
            plans_in_force=Count(
                "plans",
                filter=Q(plans__is_published=True, plans__status=Plan.Status.LEGAL_FORCE),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    return render(request, "layers/home.html", {"municipalities": municipalities})


@require_GET
def municipality_page(request: HttpRequest, gmina: str) -> HttpResponse:
    municipality = get_municipality_or_404(gmina)
    plans = Plan.objects.for_municipality(municipality).published().order_by("-resolution_date")
    extent = (
        municipality.boundary.transform(4326, clone=True).extent if municipality.boundary else None
    )
    return render(
        request,
        "layers/municipality.html",
        {"municipality": municipality, "plans": plans, "extent_json": json.dumps(extent)},
    )


@require_GET
def municipality_features(request: HttpRequest, gmina: str) -> JsonResponse:
    municipality = get_municipality_or_404(gmina)
    try:
        bbox = parse_bbox4326(request.GET.get("bbox", ""))
    except BBoxError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse(features_in_bbox(municipality=municipality, bbox4326=bbox))


@require_GET
def parcel_page(request: HttpRequest, gmina: str, identifier: str) -> HttpResponse:
    municipality = get_municipality_or_404(gmina)
    parcel = get_for_municipality_or_404(
        Parcel.objects.current().select_related("precinct"), municipality, identifier=identifier
    )
    zones = (
        PlanZone.objects.for_municipality(municipality)
        .filter(plan__is_published=True, geom__intersects=parcel.geom)
        .select_related("plan")
        .order_by("plan__title", "designation")
    )
    return render(
        request,
        "layers/parcel.html",
        {"municipality": municipality, "parcel": parcel, "zones": zones},
    )
