"""Thin views of the public map portal: the platform home, a gmina's map, search, parcel panel/page."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.ratelimit import ratelimit
from consultation.models import Consultation
from layers import search as parcel_search
from layers.maps import (
    BBoxError,
    basemap,
    features_in_bbox,
    map_config,
    map_strings,
    municipalities_with_outline,
    parse_bbox4326,
    precincts_for_map,
)
from layers.models import Municipality, Parcel
from layers.permissions import visible_plans_filter
from layers.tenancy import get_municipality_or_404
from plans.models import Plan
from portal.legend import line_legend, zone_legend
from portal.panel import PointError, find_parcel, parcel_panel, parse_point, zones_at


def in_force_q(on: dt.date, prefix: str = "") -> Q:
    return Q(
        Q(**{f"{prefix}in_force_to__isnull": True}) | Q(**{f"{prefix}in_force_to__gt": on}),
        **{
            f"{prefix}is_published": True,
            f"{prefix}status": Plan.Status.LEGAL_FORCE,
            f"{prefix}in_force_from__lte": on,
        },
    )


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()

    def count_of(qs) -> Subquery:
        counted = qs.filter(municipality=OuterRef("pk")).order_by().values("municipality")
        return Subquery(counted.annotate(n=Count("pk")).values("n"), output_field=IntegerField())

    municipalities = list(
        municipalities_with_outline()
        .annotate(
            parcel_count=Coalesce(count_of(Parcel.objects.current()), 0),
            plans_in_force=Coalesce(count_of(Plan.objects.filter(in_force_q(today))), 0),
        )
        .order_by("name")
    )
    outlines = [
        {
            "slug": m.slug,
            "name": m.name,
            "teryt": m.teryt,
            "url": f"/{m.slug}/",
            "outline": m.outline,
        }
        for m in municipalities
        if m.outline
    ]
    return render(
        request,
        "portal/home.html",
        {
            "municipalities": municipalities,
            "outlines": outlines,
            "basemap": basemap(),
            "strings": map_strings(),
        },
    )


@require_GET
def municipality_page(request: HttpRequest, gmina: str) -> HttpResponse:
    municipality = get_object_or_404(municipalities_with_outline(), slug=gmina)
    precincts = precincts_for_map(municipality=municipality)
    plans = (
        Plan.objects.for_municipality(municipality)
        .filter(visible_plans_filter(request.user))
        .order_by("status", "-resolution_date", "title")
    )
    return render(
        request,
        "portal/municipality.html",
        {
            "municipality": municipality,
            "plans": plans,
            "consultations": Consultation.objects.for_municipality(municipality).collecting(),
            "precincts": precincts,
            "config": {
                **map_config(municipality=municipality, precincts=precincts),
                "lines": line_legend(),
            },
            "strings": map_strings(),
            "chosen_precinct": request.GET.get("obreb", ""),
        },
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
def legend_json(request: HttpRequest, gmina: str) -> JsonResponse:
    """The zone classes shown in ``bbox`` (minLon,minLat,maxLon,maxLat): the map's legend."""
    municipality = get_municipality_or_404(gmina)
    try:
        bbox = parse_bbox4326(request.GET.get("bbox", ""))
    except BBoxError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    entries = zone_legend(municipality=municipality, user=request.user, bbox4326=bbox)
    return JsonResponse({"zones": [entry.__dict__ for entry in entries]})


def _search(request: HttpRequest, municipality: Municipality | None) -> parcel_search.SearchResult:
    return parcel_search.search(
        municipality=municipality,
        text=request.GET.get("q", ""),
        precinct=request.GET.get("obreb") or None,
    )


@require_GET
@ratelimit("search")
def search_json(request: HttpRequest, gmina: str) -> JsonResponse:
    result = _search(request, get_municipality_or_404(gmina))
    return JsonResponse(result.as_json(), status=200)


@require_GET
@ratelimit("search")
def search_page(request: HttpRequest, gmina: str | None = None) -> HttpResponse:
    municipality = get_municipality_or_404(gmina) if gmina else None
    result = _search(request, municipality)
    precincts = precincts_for_map(municipality=municipality) if municipality else []
    return render(
        request,
        "portal/search.html",
        {
            "municipality": municipality,
            "result": result,
            "precincts": precincts,
            "chosen_precinct": request.GET.get("obreb", ""),
        },
        status=200 if result.found or result.elsewhere or not result.query else 404,
    )


@require_GET
@ratelimit("search")
def platform_search_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(_search(request, None).as_json())


@require_GET
def panel(request: HttpRequest, gmina: str) -> HttpResponse:
    """The side panel (an HTML fragment) of the parcel named by ``dzialka`` or under ``lon,lat``."""
    municipality = get_municipality_or_404(gmina)
    context = {"municipality": municipality, "fragment": True}
    point = None
    try:
        if request.GET.get("dzialka"):
            parcel = find_parcel(municipality=municipality, identifier=request.GET["dzialka"])
        else:
            point = parse_point(request.GET.get("lon"), request.GET.get("lat"))
            parcel = find_parcel(municipality=municipality, point=point)
    except PointError as exc:
        return render(
            request, "portal/_panel_missing.html", {**context, "error": str(exc)}, status=400
        )
    except Http404:
        # no parcel there (a road, water): still say which plan zones cover the spot
        if point is not None:
            context["zones"] = zones_at(municipality=municipality, point=point, user=request.user)
        return render(request, "portal/_panel_missing.html", context, status=404)
    data = parcel_panel(municipality=municipality, parcel=parcel, user=request.user)
    return render(request, "portal/_panel.html", {**context, "panel": data})


@require_GET
def parcel_page(request: HttpRequest, gmina: str, identifier: str) -> HttpResponse:
    municipality = get_municipality_or_404(gmina)
    parcel = find_parcel(municipality=municipality, identifier=identifier)
    data = parcel_panel(municipality=municipality, parcel=parcel, user=request.user)
    return render(
        request,
        "portal/parcel.html",
        {"municipality": municipality, "panel": data, "fragment": False, "basemap": basemap()},
    )
