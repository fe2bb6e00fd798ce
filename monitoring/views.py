"""The support centre's dashboard (HTML, CSV) and the satisfaction survey."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.ratelimit import ratelimit
from layers.permissions import can, may_read_survey_comments, municipalities_where, roles_in
from layers.tenancy import get_municipality_or_404
from monitoring.charts import bar_chart, week_label
from monitoring.dashboard import service_figures
from monitoring.forms import SurveyForm
from monitoring.models import SurveyAnswer
from monitoring.survey import record_answer, surveyed_case

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
    ("comments", "consultation_comments"),
    ("comments_pending", "comments_without_position"),
    ("extract_answers", "survey_answers_extracts"),
    ("extract_score", "mean_score_extracts"),
    ("comment_answers", "survey_answers_comments"),
    ("comment_score", "mean_score_comments"),
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


def _charts(figures) -> dict:
    """The dashboard's charts: requests per week, median days to issue, comments per month."""
    months: dict = {}
    comments: dict = {}
    for row in figures.rows:
        if row.median_days is not None:
            months.setdefault(row.month, []).append(row.median_days)
        if row.comments:
            comments[row.month] = comments.get(row.month, 0) + row.comments
    charts = {
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
        "comments_chart": "",
    }
    if comments:
        charts["comments_chart"] = bar_chart(
            title=_("Consultation comments received per month"),
            points=[(m.strftime("%m.%Y"), n) for m, n in sorted(comments.items())],
        )
    return charts


@login_required
@require_GET
def dashboard(request: HttpRequest, gmina: str | None = None) -> HttpResponse:
    municipalities = _municipalities(request, gmina)
    names = {m.pk: m for m in municipalities}
    figures = service_figures(municipality_ids=list(names))
    for row in [*figures.rows, *figures.consultations]:
        row.municipality = names[row.municipality_id]
    readable = [m for m in municipalities if may_read_survey_comments(request.user, m)]
    answers = SurveyAnswer.objects.filter(municipality__in=readable).exclude(comment="")[:50]
    context = {
        "municipalities": municipalities,
        "gmina": gmina,
        "figures": figures,
        "comments": answers,
        **_charts(figures),
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
    case = surveyed_case(token)
    if case is None:
        return render(request, "monitoring/survey.html", {"invalid": True}, status=404)
    answered = case.is_answered()
    form = SurveyForm(request.POST if request.method == "POST" else None, question=case.question)
    if request.method == "POST" and not answered and form.is_valid():
        score, comment = int(form.cleaned_data["score"]), form.cleaned_data["comment"]
        record_answer(case=case, score=score, comment=comment)
        return render(request, "monitoring/survey.html", {"thanks": True, "case": case})
    status = 400 if request.method == "POST" and not answered else 200
    if answered:
        status = 409 if request.method == "POST" else 200
    context = {"form": form, "case": case, "answered": answered}
    return render(request, "monitoring/survey.html", context, status=status)
