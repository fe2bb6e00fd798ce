"""The support centre's dashboard (HTML, CSV) and the satisfaction survey."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.ratelimit import ratelimit
from extracts.survey_link import surveyed_request
from layers.permissions import can, may_read_survey_comments, municipalities_where, roles_in
from layers.tenancy import get_municipality_or_404
from monitoring.charts import bar_chart, week_label
from monitoring.dashboard import service_figures
from monitoring.forms import SurveyForm
from monitoring.models import SurveyAnswer

CSV_COLUMNS = (
    ("gmina", "gmina"),
    ("month", "month"),
    ("received", "received"),
    ("issued", "issued"),
    ("rejected", "rejected"),
    ("median_days", "median_days_to_issue"),
    ("p90_days", "p90_days_to_issue"),
    ("open_overdue", "open_past_deadline"),
    ("decided_late", "decided_after_deadline"),
    ("informational_pdfs", "informational_pdfs"),
    ("imports", "plan_imports"),
    ("publications", "plan_publications"),
    ("answers", "survey_answers"),
    ("mean_score", "mean_score"),
)


def _municipalities(request: HttpRequest, gmina: str | None):
    """The gminy whose figures the user may see; a gmina named in the URL must be one of them."""
    if gmina:
        municipality = get_municipality_or_404(gmina)
        if not can(request.user, "monitoring.view", municipality):
            if not roles_in(request.user, municipality):
                raise Http404("no such dashboard")  # an outsider learns nothing of the gmina
            raise PermissionDenied("monitoring.view")
        return [municipality]
    allowed = list(municipalities_where(request.user, "monitoring.view").order_by("name"))
    if not allowed:
        raise PermissionDenied("monitoring.view")
    return allowed


@login_required
@require_GET
def dashboard(request: HttpRequest, gmina: str | None = None) -> HttpResponse:
    municipalities = _municipalities(request, gmina)
    names = {m.pk: m for m in municipalities}
    figures = service_figures(municipality_ids=list(names))
    for row in figures.rows:
        row.municipality = names[row.municipality_id]
    months: dict = {}
    for row in figures.rows:
        if row.median_days is not None:
            months.setdefault(row.month, []).append(row.median_days)
    readable = [m for m in municipalities if may_read_survey_comments(request.user, m)]
    comments = SurveyAnswer.objects.filter(municipality__in=readable).exclude(comment="")[:50]
    context = {
        "municipalities": municipalities,
        "gmina": gmina,
        "figures": figures,
        "weeks_chart": bar_chart(
            title=_("Certified extract requests per week"),
            points=[(week_label(w), n) for w, n in figures.weeks],
            label_every=4,
        ),
        "time_chart": bar_chart(
            title=_("Median days from request to issue, per month"),
            points=[(m.strftime("%m.%Y"), round(max(v), 1)) for m, v in sorted(months.items())],
            unit=" d",
        ),
        "comments": comments,
    }
    return render(request, "monitoring/dashboard.html", context)


@login_required
@require_GET
def dashboard_csv(request: HttpRequest, gmina: str | None = None) -> HttpResponse:
    municipalities = _municipalities(request, gmina)
    slugs = {m.pk: m.slug for m in municipalities}
    figures = service_figures(municipality_ids=list(slugs))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="centrum-wsparcia.csv"'
    writer = csv.writer(response)
    writer.writerow([header for _attr, header in CSV_COLUMNS])
    for row in figures.rows:
        values = [slugs[row.municipality_id], row.month.strftime("%Y-%m")]
        for attr, _header in CSV_COLUMNS[2:]:
            value = getattr(row, attr)
            values.append("" if value is None else round(value, 2))
        writer.writerow(values)
    return response


@require_http_methods(["GET", "POST"])
@ratelimit("survey", methods={"POST"})
def survey(request: HttpRequest, token: str) -> HttpResponse:
    req = surveyed_request(token)
    if req is None:
        return render(request, "monitoring/survey.html", {"invalid": True}, status=404)
    answered = SurveyAnswer.objects.filter(service="extract", subject_id=req.pk).exists()
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not answered and form.is_valid():
        try:
            with transaction.atomic():
                SurveyAnswer.objects.create(
                    municipality=req.municipality,
                    service=SurveyAnswer.Service.EXTRACT,
                    subject_id=req.pk,
                    score=int(form.cleaned_data["score"]),
                    comment=form.cleaned_data["comment"],
                )
        except IntegrityError:  # a second tab answered first
            pass
        return render(request, "monitoring/survey.html", {"thanks": True, "req": req})
    status = 400 if request.method == "POST" and not answered else 200
    if answered:
        status = 409 if request.method == "POST" else 200
    context = {"form": form, "req": req, "answered": answered}
    return render(request, "monitoring/survey.html", context, status=status)
