"""Public pages of consultations: the draft, the comment form, the confirmation, the report.

Nothing is public before the start (art. 8h ust. 1 u.p.z.p.); the report and the comments on the
map only once the planner has published the report (art. 8k ust. 2), without personal data (art. 8a).
"""

from __future__ import annotations

import json

from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.core import signing
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.ratelimit import hit, too_many_requests
from consultation import rules
from consultation.forms import CommentForm
from consultation.models import Comment, Consultation
from consultation.report import (
    changed_since_publication,
    confirmation_pdf,
    report_context,
    report_csv,
    report_pdf,
)
from consultation.submission import Submission, max_attachment_bytes, max_attachments, store_comment
from consultation.survey_link import comment_survey_url
from layers.models import Municipality
from layers.permissions import can
from layers.tenancy import get_for_municipality_or_404, get_municipality_or_404
from plans.documents import document_response
from plans.models import PlanDocument

CONFIRMATION_SALT = "consultation.confirmation"


def public_consultation(request: HttpRequest, gmina: str, pk: int) -> Consultation:
    """A started consultation of this gmina (its staff see it before the start too), else 404."""
    municipality = get_municipality_or_404(gmina)
    consultation = get_for_municipality_or_404(
        Consultation.objects.select_related("plan", "municipality"), municipality, pk=pk
    )
    if not consultation.has_started() and not can(
        request.user, "consultation.manage", municipality
    ):
        raise Http404("not started")
    return consultation


def report_visible(request: HttpRequest, consultation: Consultation) -> bool:
    return consultation.report_is_published or can(
        request.user, "consultation.manage", consultation.municipality
    )


@require_GET
def consultation_list(request: HttpRequest, gmina: str) -> HttpResponse:
    municipality = get_municipality_or_404(gmina)
    consultations = (
        Consultation.objects.for_municipality(municipality).started().select_related("plan")
    )
    return render(
        request,
        "consultation/list.html",
        {"municipality": municipality, "consultations": consultations, "now": timezone.now()},
    )


@require_GET
def consultation_detail(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    consultation = public_consultation(request, gmina, pk)
    return render(
        request,
        "consultation/detail.html",
        {
            "municipality": consultation.municipality,
            "consultation": consultation,
            "documents": consultation.plan.documents.order_by("kind", "title"),
            "zones": consultation.plan.zones.order_by("number", "designation"),
            "events": consultation.events.order_by("starts_at"),
            "collecting": consultation.is_collecting(),
            "report_visible": report_visible(request, consultation),
        },
    )


@require_GET
def draft_geojson(request: HttpRequest, gmina: str, pk: int) -> JsonResponse:
    """The draft's zones (EPSG:4326), marked as a draft: the drawing of the consulted plan."""
    consultation = public_consultation(request, gmina, pk)
    zones = consultation.plan.zones.annotate(g=AsGeoJSON(Transform("geom", 4326), precision=7))
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": json.loads(z.g),
                    "properties": {"designation": z.designation, "name": z.name, "draft": True},
                }
                for z in zones
            ],
        }
    )


@require_GET
def draft_document(request: HttpRequest, gmina: str, pk: int, doc: int) -> HttpResponse:
    consultation = public_consultation(request, gmina, pk)
    document = get_for_municipality_or_404(
        PlanDocument.objects.filter(plan=consultation.plan), consultation.municipality, pk=doc
    )
    return document_response(document)


def _refused(request, consultation, message: str, status: int) -> HttpResponse:
    return render(
        request,
        "consultation/refused.html",
        {
            "municipality": consultation.municipality,
            "consultation": consultation,
            "message": message,
        },
        status=status,
    )


def comment_form(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    consultation = public_consultation(request, gmina, pk)
    now = timezone.now()
    if request.method != "POST":
        if not consultation.is_collecting(now):
            return _refused(request, consultation, _("Comments are not being collected now."), 410)
        form = CommentForm(
            consultation=consultation, initial={"started": rules.form_token(consultation.pk)}
        )
        return _form_page(request, consultation, form)
    state = hit(request, "consultation")
    if not state.allowed:
        return too_many_requests(request, state)
    opened_at = rules.form_opened_at(request.POST.get("started", ""), consultation.pk)
    verdict = rules.admission(
        starts_at=consultation.starts_at, ends_at=consultation.ends_at, opened_at=opened_at, now=now
    )
    if not verdict.accepted:
        return _refused(request, consultation, verdict.message, 403)
    form = CommentForm(request.POST, request.FILES, consultation=consultation)
    if not form.is_valid():
        return _form_page(request, consultation, form, status=400)
    comment = store_comment(
        consultation=consultation,
        submission=submission_of(form.cleaned_data, opened_at=opened_at, in_grace=verdict.in_grace),
        files=form.cleaned_data["attachments"],
        now=now,
    )
    token = signing.dumps(comment.pk, salt=CONFIRMATION_SALT)
    link = reverse("consultation:confirmation", kwargs={"gmina": gmina, "pk": pk, "token": token})
    if comment.email:
        mail_confirmation(
            comment=comment,
            url=request.build_absolute_uri(link),
            survey_url=request.build_absolute_uri(comment_survey_url(comment=comment)),
        )
    return redirect(link)


def mail_confirmation(*, comment: Comment, url: str, survey_url: str) -> None:
    """An e-mail with the number, the link to the confirmation and the satisfaction question, if
    the submitter gave an address.

    The comment is already stored: a mail server that fails must not turn that into an error page
    (the confirmation page and its PDF are the proof), hence ``fail_silently``.
    """
    send_mail(
        subject=_("Comment no. %(number)s received") % {"number": comment.number},
        message=_("Your comment no. %(number)s on %(title)s was received on %(when)s.\n%(url)s")
        % {
            "number": comment.number,
            "title": comment.consultation.title,
            "when": timezone.localtime(comment.submitted_at).strftime("%d.%m.%Y %H:%M:%S"),
            "url": url,
        }
        + "\n\n"
        + _("How satisfied are you with this service? One question, no account needed: %(url)s")
        % {"url": survey_url},
        from_email=None,
        recipient_list=[comment.email],
        fail_silently=True,
    )


def submission_of(data: dict, *, opened_at, in_grace: bool) -> Submission:
    return Submission(
        submitter_kind=data["submitter_kind"],
        name=data["name"],
        address=data["address"],
        email=data["email"],
        content=data["content"],
        topic=data.get("topic") or Comment.Topic.OTHER,
        justification=data["justification"],
        property_right=data["property_right"],
        geom=data["place"],
        parcel_identifiers=data["parcels"],
        zone_designation=data["zone"],
        form_opened_at=opened_at,
        in_grace_period=in_grace,
    )


def _form_page(request, consultation, form, status: int = 200) -> HttpResponse:
    return render(
        request,
        "consultation/comment_form.html",
        {
            "municipality": consultation.municipality,
            "consultation": consultation,
            "form": form,
            "zones": consultation.plan.zones.order_by("designation").values_list(
                "designation", "name"
            ),
            "max_files": max_attachments(),
            "max_mb": max_attachment_bytes() // (1024 * 1024),
        },
        status=status,
    )


def comment_by_token(gmina: str, pk: int, token: str) -> Comment:
    """The submitter's own comment: a signed link is the only way in (no account needed)."""
    municipality: Municipality = get_municipality_or_404(gmina)
    try:
        comment_pk = signing.loads(token, salt=CONFIRMATION_SALT)
    except signing.BadSignature as exc:
        raise Http404("bad token") from exc
    return get_for_municipality_or_404(
        Comment.objects.select_related("consultation").filter(consultation_id=pk),
        municipality,
        pk=comment_pk,
    )


@require_GET
def confirmation(request: HttpRequest, gmina: str, pk: int, token: str) -> HttpResponse:
    comment = comment_by_token(gmina, pk, token)
    return render(
        request,
        "consultation/confirmation.html",
        {
            "municipality": comment.municipality,
            "consultation": comment.consultation,
            "comment": comment,
            "token": token,
            "survey_url": comment_survey_url(comment=comment),
        },
    )


@require_GET
def confirmation_download(request: HttpRequest, gmina: str, pk: int, token: str) -> HttpResponse:
    comment = comment_by_token(gmina, pk, token)
    response = HttpResponse(confirmation_pdf(comment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="uwaga-{comment.number}.pdf"'
    return response


@require_GET
def public_comments_geojson(request: HttpRequest, gmina: str, pk: int) -> JsonResponse:
    """The pinned comments with number, topic, content and status; never a name or an address. Empty until
    the report is published (the positions are the report's)."""
    consultation = public_consultation(request, gmina, pk)
    comments = (
        consultation.comments.filter(geom__isnull=False).annotate(
            g=AsGeoJSON(Transform("geom", 4326), precision=7)
        )
        if consultation.report_is_published
        else Comment.objects.none()
    )
    return JsonResponse(
        {"type": "FeatureCollection", "features": [public_feature(c) for c in comments]}
    )


def public_feature(comment: Comment) -> dict:
    return {
        "type": "Feature",
        "geometry": json.loads(comment.g),
        "properties": {
            "number": comment.number,
            "topic": comment.topic or Comment.Topic.OTHER,
            "topic_label": str(Comment.Topic(comment.topic or Comment.Topic.OTHER).label),
            "content": comment.content,
            "position": comment.position,
            "position_label": str(comment.get_position_display()),
            "reason": comment.reason,
        },
    }


@require_GET
def report_page(request: HttpRequest, gmina: str, pk: int) -> HttpResponse:
    consultation = public_consultation(request, gmina, pk)
    if not report_visible(request, consultation):
        raise Http404("report not published")
    context = report_context(consultation)
    if can(request.user, "consultation.manage", consultation.municipality):
        context["changed_since_publication"] = changed_since_publication(consultation)
    return render(request, "consultation/report.html", context)


@require_GET
def report_download(request: HttpRequest, gmina: str, pk: int, fmt: str) -> HttpResponse:
    consultation = public_consultation(request, gmina, pk)
    if not report_visible(request, consultation):
        raise Http404("report not published")
    if fmt == "pdf":
        response = HttpResponse(report_pdf(consultation), content_type="application/pdf")
    else:
        response = HttpResponse(report_csv(consultation), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="raport-konsultacji-{consultation.pk}.{fmt}"'
    )
    return response
