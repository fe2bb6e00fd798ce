"""The support centre's figures per gmina and month (Europe/Warsaw), computed in PostgreSQL.

Sources: extract requests (received, issued, rejected, days from request to issue, open past the
legal deadline), informational PDFs per day (extracts.InformationalPdfDay), plan imports (ImportJob
done), publications (the audit log's ``plan.publish``), consultation comments (received; of those,
still without the planner's position) and survey answers per service. OGC requests are not
here: counting them in the database would put a write on the anonymous GetMap path; Prometheus has
them per gmina (``portal_ogc_requests_total``, docs/operations.md).

Deadlines (extracts/deadlines.py) depend on holidays, so Python computes the last day for every
filing day of the period once and PostgreSQL joins that small calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone

from extracts.deadlines import deadline
from extracts.models import ExtractKind

REQUESTS_SQL = """
WITH cal AS (
  SELECT * FROM unnest(%(days)s::date[], %(due_doc)s::date[], %(due_7)s::date[])
    AS c(day, due_doc, due_7)
), req AS (
  SELECT r.municipality_id AS m, r.status,
         date_trunc('month', r.submitted_at AT TIME ZONE %(tz)s)::date AS filed_month,
         date_trunc('month', r.decided_at AT TIME ZONE %(tz)s)::date AS decided_month,
         extract(epoch FROM r.decided_at - r.submitted_at) / 86400.0 AS days,
         (r.decided_at AT TIME ZONE %(tz)s)::date AS decided_day,
         CASE WHEN r.kind = 'zaswiadczenie' THEN c.due_7 ELSE c.due_doc END AS due
    FROM extracts_extractrequest r
    JOIN cal c ON c.day = (r.submitted_at AT TIME ZONE %(tz)s)::date
   WHERE r.municipality_id = ANY(%(ids)s) AND r.submitted_at >= %(filed_from)s
), ev AS (
  SELECT m, filed_month AS month, 'received' AS what, NULL::float8 AS days,
         (status = 'submitted' AND %(today)s::date > due) AS late
    FROM req
  UNION ALL
  SELECT m, decided_month, status, days, decided_day > due FROM req WHERE status <> 'submitted'
)
SELECT m, month,
       count(*) FILTER (WHERE what = 'received'),
       count(*) FILTER (WHERE what = 'issued'),
       count(*) FILTER (WHERE what = 'rejected'),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE what = 'issued'),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY days) FILTER (WHERE what = 'issued'),
       count(*) FILTER (WHERE what = 'received' AND late),
       count(*) FILTER (WHERE what <> 'received' AND late)
  FROM ev WHERE month >= %(start_month)s GROUP BY m, month
"""
OTHER_SQL = """
SELECT municipality_id, date_trunc('month', day)::date, 'pdf', sum(count), NULL::float8
  FROM extracts_informationalpdfday
 WHERE municipality_id = ANY(%(ids)s) AND day >= %(start_month)s GROUP BY 1, 2
UNION ALL
SELECT municipality_id, date_trunc('month', updated_at AT TIME ZONE %(tz)s)::date, 'imports',
       count(*), NULL
  FROM plans_importjob
 WHERE municipality_id = ANY(%(ids)s) AND status = 'done' AND updated_at >= %(start)s GROUP BY 1, 2
UNION ALL
SELECT municipality_id, date_trunc('month', at AT TIME ZONE %(tz)s)::date, 'published', count(*), NULL
  FROM accounts_auditevent
 WHERE municipality_id = ANY(%(ids)s) AND action = 'plan.publish' AND at >= %(start)s GROUP BY 1, 2
UNION ALL
SELECT municipality_id, date_trunc('month', answered_at AT TIME ZONE %(tz)s)::date,
       'answers:' || service, count(*), avg(score)
  FROM monitoring_surveyanswer
 WHERE municipality_id = ANY(%(ids)s) AND answered_at >= %(start)s GROUP BY 1, 2, service
"""
COMMENTS_SQL = """
WITH k AS (
  SELECT municipality_id, consultation_id,
         date_trunc('month', submitted_at AT TIME ZONE %(tz)s)::date AS month,
         count(*) AS comments, count(*) FILTER (WHERE position = '') AS pending
    FROM consultation_comment
   WHERE municipality_id = ANY(%(ids)s) AND submitted_at >= %(start)s GROUP BY 1, 2, 3
)
SELECT k.municipality_id, k.consultation_id, c.title, c.starts_at, c.ends_at, k.month,
       k.comments, k.pending
  FROM k JOIN consultation_consultation c ON c.id = k.consultation_id
 ORDER BY k.municipality_id, c.starts_at DESC, k.consultation_id
"""
WEEKS_SQL = """
SELECT date_trunc('week', submitted_at AT TIME ZONE %(tz)s)::date, count(*)
  FROM extracts_extractrequest
 WHERE municipality_id = ANY(%(ids)s) AND submitted_at >= %(start)s GROUP BY 1 ORDER BY 1
"""


@dataclass
class MonthRow:
    municipality_id: int
    month: dt.date
    received: int = 0
    issued: int = 0
    rejected: int = 0
    median_days: float | None = None
    p90_days: float | None = None
    open_overdue: int = 0
    decided_late: int = 0
    informational_pdfs: int = 0
    imports: int = 0
    publications: int = 0
    comments: int = 0
    comments_pending: int = 0
    extract_answers: int = 0
    extract_score: float | None = None
    comment_answers: int = 0
    comment_score: float | None = None


@dataclass
class ConsultationRow:
    """A consultation with comments received in the period: the position written or pending."""

    municipality_id: int
    pk: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    comments: int
    pending: int

    @property
    def answered(self) -> int:
        return self.comments - self.pending


@dataclass
class Figures:
    start: dt.date
    rows: list[MonthRow] = field(default_factory=list)
    weeks: list[tuple[dt.date, int]] = field(default_factory=list)
    consultations: list[ConsultationRow] = field(default_factory=list)


def period_start(today: dt.date, months: int) -> dt.date:
    """The first day of the month ``months - 1`` months before ``today``'s."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def deadline_calendar(start: dt.date, today: dt.date) -> dict[str, list[dt.date]]:
    """For every filing day from ``start`` to ``today``: the last day for a document, for 7 days."""
    days = [start + dt.timedelta(days=n) for n in range((today - start).days + 1)]
    return {
        "days": days,
        "due_doc": [deadline(kind=ExtractKind.WYPIS_WYRYS, filed=d) for d in days],
        "due_7": [deadline(kind=ExtractKind.ZASWIADCZENIE, filed=d) for d in days],
    }


def _params(ids: Sequence[int], start: dt.date, today: dt.date) -> dict:
    tz = timezone.get_default_timezone()
    return {
        "ids": list(ids),
        "tz": settings.TIME_ZONE,
        "start": dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        "start_month": start,
        "today": today,
    }


def service_figures(
    *, municipality_ids: Sequence[int], today: dt.date | None = None, months: int = 12
) -> Figures:
    """The figures of the gminy ``municipality_ids`` for the last ``months`` months up to today."""
    today = today or timezone.localdate()
    start = period_start(today, months)
    params = _params(municipality_ids, start, today)
    rows: dict[tuple[int, dt.date], MonthRow] = {}
    with connection.cursor() as cursor:
        # requests filed up to two months earlier may be decided within the period
        filed_from = start - dt.timedelta(days=62)
        calendar = deadline_calendar(filed_from, today)
        tz = timezone.get_default_timezone()
        first = dt.datetime.combine(filed_from, dt.time.min, tzinfo=tz)
        cursor.execute(REQUESTS_SQL, {**params, **calendar, "filed_from": first})
        for m, month, *values in cursor.fetchall():
            rows[(m, month)] = MonthRow(m, month, *values)
        cursor.execute(OTHER_SQL, params)
        for m, month, what, count, extra in cursor.fetchall():
            row = rows.setdefault((m, month), MonthRow(m, month))
            _add_other(row, what, int(count), extra)
        cursor.execute(WEEKS_SQL, params)
        weeks = list(cursor.fetchall())
        cursor.execute(COMMENTS_SQL, params)
        consultations = _add_comments(rows, cursor.fetchall())
    ordered = sorted(rows.values(), key=lambda r: (r.municipality_id, r.month))
    return Figures(start=start, rows=ordered, weeks=weeks, consultations=consultations)


def _add_comments(rows: dict, comments: list[tuple]) -> list[ConsultationRow]:
    """Comments per consultation and month (one scan): summed per gmina-month and per consultation."""
    consultations: dict[int, ConsultationRow] = {}
    for m, pk, title, starts_at, ends_at, month, count, pending in comments:
        row = rows.setdefault((m, month), MonthRow(m, month))
        row.comments += count
        row.comments_pending += pending
        consultation = consultations.setdefault(
            pk, ConsultationRow(m, pk, title, starts_at, ends_at, 0, 0)
        )
        consultation.comments += count
        consultation.pending += pending
    return list(consultations.values())


def _add_other(row: MonthRow, what: str, count: int, extra: float | None) -> None:
    """One figure of OTHER_SQL; ``extra`` is the mean score of survey answers."""
    mean = float(extra) if extra is not None else None
    if what == "pdf":
        row.informational_pdfs = count
    elif what == "imports":
        row.imports = count
    elif what == "published":
        row.publications = count
    elif what == "answers:comment":
        row.comment_answers, row.comment_score = count, mean
    elif what == "answers:extract":
        row.extract_answers, row.extract_score = count, mean
