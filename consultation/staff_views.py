"""The planner's side: open a consultation, the queue of comments, positions, the report.

Only the gmina's planners and admins (``consultation.manage``); anybody else with no role in the
gmina gets 404, its clerks 403, anonymous visitors the sign-in page. Personal data are shown only
here, and every view or export of them is written to the audit log.
"""

from __future__ import annotations

import json

from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts import audit
from accounts.guards import require, signin_redirect
from consultation import rules
from consultation.forms import ConsultationForm, EventFormSet, ExtendForm, PositionForm
from consultation.lifecycle import (
    extend_consultation,
    open_consultation,
    publish_report,
    write_position,
)
from consultation.models import Comment, CommentAttachment, Consultation
from consultation.report import safe_cell
from layers.models import Municipality
from layers.tenancy import get_for_municipality_or_404, get_municipality_or_404
from plans.documents import document_response
from plans.models import Plan, PlanZone

FILTERS = ("zone", "parcel", "topic", "status")


def managed_municipality(request: HttpRequest, gmina: str) -> Municipality:
    municipality = get_municipality_or_404(gmina)
    require(request, "consultation.manage", municipality)
    return municipality


def managed_consultation(request: HttpRequest, gmina: str, pk: int) -> Consultation:
    municipality = managed_municipality(request, gmina)
    return get_for_municipality_or_404(
        Consultation.objects.select_related("plan", "municipality"), municipality, pk=pk
    )


@signin_redirect
def manage(request: HttpRequest, gmina: str) -> HttpResponse:
    municipality = managed_municipality(request, gmina)
    drafts = Plan.objects.for_municipality(municipality).filter(is_published=False)
    form = ConsultationForm(request.POST or None, plans=drafts)
    events = EventFormSet(request.POST or None, prefix="event")
    if request.method == "POST" and form.is_valid() and events.is_valid():
        data = form.cleaned_data
        consultation = open_consultation(
            plan=data["plan"],
            title=data["title"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            announcement=data["announcement"],
            events=[f.cleaned_data for f in events.forms if f.cleaned_data],
            actor=request.user,
        )
        return redirect("consultation:queue", gmina=gmina, pk=consultation.pk)
    return render(
        request,
        "consultation/manage.html",
        {
            "municipality": municipality,
            "consultations": Consultation.objects.for_municipality(municipality).select_related(
                "plan"
            ),
            "form": form,
            "events": events,
        },
        status=400 if request.method == "POST" else 200,
    )


def filtered_comments(consultation: Consultation, params) -> list[Comment]:
    comments = consultation.comments.select_related("duplicate_of").order_by("number")
    if zone := params.get("zone", "").strip():
        area = PlanZone.objects.filter(plan=consultation.plan, designation__iexact=zone).values(
            "geom"
        )[:1]
        comments = comments.filter(zone_designation__iexact=zone) | comments.filter(
            geom__intersects=area
        )
    if parcel := params.get("parcel", "").strip():
        comments = comments.filter(parcel_identifiers__icontains=parcel)
    if (topic := params.get("topic")) in Comment.Topic.values:
        comments = comments.filter(topic=topic)
    if (status := params.get("status")) is not None and status in {
        c[0] for c in Comment.Position.choices
    }:
        comments = comments.filter(position=status)
    return list(comments.distinct())


@signin_redirect
@require_GET
def queue(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    consultation = managed_consultation(request, gmina, pk)
    return queue_page(request, consultation, extend_form=ExtendForm())


@signin_redirect
@require_POST
def extend(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    """A later deadline for comments; the law has no early close, so there is no "close" button."""
    consultation = managed_consultation(request, gmina, pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            extend_consultation(
                consultation=consultation,
                last_day=form.cleaned_data["last_day"],
                actor=request.user,
            )
        except rules.RuleError as exc:
            form.add_error("last_day", str(exc))
        else:
            return redirect("consultation:queue", gmina=gmina, pk=pk)
    return queue_page(request, consultation, extend_form=form, status=400)


def queue_page(
    request: HttpRequest, consultation: Consultation, *, extend_form: ExtendForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "consultation/queue.html",
        {
            "municipality": consultation.municipality,
            "consultation": consultation,
            "comments": filtered_comments(consultation, request.GET),
            "positions": Comment.Position.choices,
            "topics": Comment.Topic.choices,
            "zones": consultation.plan.zones.order_by("designation").values_list(
                "designation", flat=True
            ),
            "chosen": {k: request.GET.get(k) for k in FILTERS},
            "extend_form": extend_form
            if consultation.is_collecting() or extend_form.errors
            else None,
        },
        status=status,
    )


@signin_redirect
@require_GET
def queue_geojson(request: HttpRequest, gmina: str, pk: int) -> JsonResponse:
    consultation = managed_consultation(request, gmina, pk)
    comments = consultation.comments.filter(geom__isnull=False).annotate(
        g=AsGeoJSON(Transform("geom", 4326), precision=7)
    )
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": json.loads(c.g),
                    "properties": {"number": c.number, "position": c.position},
                }
                for c in comments
            ],
        }
    )


@signin_redirect
def comment_detail(request: HttpRequest, gmina: str, pk: int, number: int) -> HttpResponse:
    consultation = managed_consultation(request, gmina, pk)
    comment = get_for_municipality_or_404(
        consultation.comments.select_related("duplicate_of"),
        consultation.municipality,
        number=number,
    )
    form = PositionForm(
        request.POST or None,
        initial={
            "position": comment.position or None,
            "reason": comment.reason,
            "duplicate_of": comment.duplicate_of.number if comment.duplicate_of else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        number_of = form.cleaned_data["duplicate_of"]
        write_position(
            comment=comment,
            position=form.cleaned_data["position"],
            reason=form.cleaned_data["reason"],
            duplicate_of=consultation.comments.filter(number=number_of).first()
            if number_of
            else None,
            actor=request.user,
        )
        return redirect("consultation:queue", gmina=gmina, pk=pk)
    audit.record(
        action="consultation.view_personal",
        actor=request.user,
        municipality=consultation.municipality,
        target=f"{consultation} – {comment.number}",
        request=request,
    )
    return render(
        request,
        "consultation/comment_detail.html",
        {
            "municipality": consultation.municipality,
            "consultation": consultation,
            "comment": comment,
            "attachments": comment.attachments.all(),
            "form": form,
        },
    )


@signin_redirect
@require_GET
def attachment(request: HttpRequest, gmina: str, pk: int, number: int, att: int) -> HttpResponse:
    consultation = managed_consultation(request, gmina, pk)
    item = get_for_municipality_or_404(
        CommentAttachment.objects.filter(
            comment__consultation=consultation, comment__number=number
        ),
        consultation.municipality,
        pk=att,
    )
    response = document_response(item)
    response["Content-Type"] = item.content_type
    return response


@signin_redirect
@require_GET
def register_csv(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    """The full register with personal data (for the office's files); audited."""
    import csv

    consultation = managed_consultation(request, gmina, pk)
    audit.record(
        action="consultation.export_personal",
        actor=request.user,
        municipality=consultation.municipality,
        target=consultation,
        request=request,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejestr-uwag-{consultation.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "nr",
            "zlozono",
            "kto",
            "imie_nazwisko_nazwa",
            "adres",
            "email",
            "prawo",
            "temat",
            "tresc",
            "stanowisko",
        ]
    )
    for c in consultation.comments.order_by("number"):
        writer.writerow(
            safe_cell(v)
            for v in (
                c.number,
                c.submitted_at.isoformat(),
                c.submitter_kind,
                c.name,
                c.address,
                c.email,
                c.property_right,
                c.topic,
                c.content,
                c.position,
            )
        )
    return response


@signin_redirect
@require_POST
def publish(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    consultation = managed_consultation(request, gmina, pk)
    publish_report(consultation=consultation, actor=request.user)
    return redirect("consultation:report", gmina=gmina, pk=pk)
