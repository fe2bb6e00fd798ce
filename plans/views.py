"""Public plan pages of a gmina: the list of plans and one plan (metadata, history, documents, zones)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from layers.maps import Simplify, basemap, bounds_of
from layers.permissions import can, visible_plans_filter
from layers.tenancy import get_for_municipality_or_404, get_municipality_or_404
from plans.app_export import ExportError, export_app_gml, export_metadata
from plans.documents import document_response
from plans.models import Plan, PlanDocument

MAX_VERSIONS = 200


def visible_plans(request: HttpRequest, municipality) -> QuerySet[Plan]:
    return Plan.objects.for_municipality(municipality).filter(visible_plans_filter(request.user))


def version_chain(*, plan: Plan, plans: QuerySet[Plan]) -> list[Plan]:
    """Every version of ``plan`` among ``plans`` (already limited to what the user may see), oldest
    first, ``plan`` included, read in one query. A version the user may not see ends the chain."""
    fields = ("pk", "title", "status", "resolution_number", "resolution_date", "in_force_from")
    rows = {p.pk: p for p in plans.only(*fields, "in_force_to", "previous_version_id")}
    following = {p.previous_version_id: p for p in rows.values() if p.previous_version_id}
    chain = [rows.get(plan.pk, plan)]
    while (prev := chain[0].previous_version_id) in rows and len(chain) < MAX_VERSIONS:
        chain.insert(0, rows[prev])
    while (nxt := following.get(chain[-1].pk)) is not None and len(chain) < MAX_VERSIONS:
        chain.append(nxt)
    return chain


@require_GET
def plan_list(request: HttpRequest, gmina: str) -> HttpResponse:
    municipality = get_municipality_or_404(gmina)
    plans = visible_plans(request, municipality).order_by("status", "-resolution_date", "title")
    return render(request, "plans/plan_list.html", {"municipality": municipality, "plans": plans})


@require_GET
def plan_detail(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    municipality = get_municipality_or_404(gmina)
    plan = get_for_municipality_or_404(
        visible_plans(request, municipality)
        .select_related("municipality")
        .annotate(
            outline=AsGeoJSON(Transform(Simplify("boundary", 0.5), 4326), precision=7),
            envelope4326=Transform("boundary", 4326),
        ),
        municipality,
        pk=pk,
    )
    config = {
        "ows": f"/{municipality.slug}/ows",
        "layers": ["wektor-str", "granice"],
        "outline": json.loads(plan.outline) if plan.outline else None,
        "bounds": bounds_of(plan.envelope4326),
    }
    return render(
        request,
        "plans/plan_detail.html",
        {
            "municipality": municipality,
            "plan": plan,
            "documents": plan.documents.order_by("kind", "title"),
            "zones": plan.zones.order_by("number", "designation"),
            "versions": version_chain(plan=plan, plans=visible_plans(request, municipality)),
            "map_config": config,
            "basemap": basemap(),
            "can_export": can(request.user, "plan.import", municipality),
        },
    )


@require_GET
def plan_document(request: HttpRequest, gmina: str, plan: int, pk: int) -> HttpResponse:
    """A document of a plan the user may see; another gmina's, or an unseen draft's, is a 404."""
    municipality = get_municipality_or_404(gmina)
    documents = PlanDocument.objects.for_municipality(municipality).filter(
        visible_plans_filter(request.user, prefix="plan__"), plan_id=plan
    )
    return document_response(get_for_municipality_or_404(documents, municipality, pk=pk))


def _plan_for_export(request: HttpRequest, gmina: str, pk: int) -> Plan:
    """A plan of the gmina, for its planners (and admins) only; everybody else gets a 404."""
    municipality = get_municipality_or_404(gmina)
    if not can(request.user, "plan.import", municipality):
        raise Http404
    return get_for_municipality_or_404(
        Plan.objects.select_related("municipality"), municipality, pk=pk
    )


def _download(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def plan_export_app(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    """The plan as one APP 3.0 GML for the Rejestr Urbanistyczny."""
    plan = _plan_for_export(request, gmina, pk)
    try:
        body = export_app_gml(plan=plan)
    except ExportError as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    return _download(
        body, "application/gml+xml; version=3.2; profile=app-3.0", f"{gmina}-plan-{pk}-app.gml"
    )


@login_required
@require_GET
def plan_export_metadata(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    """The ISO 19139 metadata record of the plan's APP dataset."""
    plan = _plan_for_export(request, gmina, pk)
    return _download(
        export_metadata(plan=plan), "application/xml", f"{gmina}-plan-{pk}-iso19139.xml"
    )
