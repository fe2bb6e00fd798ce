"""The dashboard's numbers equal direct counts of known requests with known times."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from consultation.models import Comment
from extracts.models import InformationalPdfDay
from monitoring.dashboard import service_figures
from monitoring.models import SurveyAnswer
from tests.conftest import A_ORIGIN, B_ORIGIN, client_for
from tests.consultation.helpers import add_comment, draft_in, open_consultation_on
from tests.monitoring.factories import known_request, local

APRIL, MAY = dt.date(2025, 4, 1), dt.date(2025, 5, 1)


@pytest.fixture
def known(world):
    a = world.gmina_a
    known_request(a, filed="2025-04-01 10:00", decided="2025-04-03 10:00", status="issued")
    known_request(a, filed="2025-04-02 10:00", decided="2025-04-06 10:00", status="issued")
    known_request(a, filed="2025-04-03 10:00", decided="2025-04-13 10:00", status="issued")
    known_request(a, filed="2025-04-04 10:00", decided="2025-04-05 09:00", status="rejected")
    # filed on Saturday 26 April: due Monday 5 May (3 May is a Saturday and a holiday)
    known_request(a, filed="2025-04-26 12:00", kind="zaswiadczenie")
    # half past midnight on 1 May in Warsaw is still 30 April in UTC: a May request
    known_request(a, filed="2025-05-01 00:30", kind="wypis")
    known_request(world.gmina_b, filed="2025-04-02 10:00")
    return world


def rows_of(world, today):
    figures = service_figures(municipality_ids=[world.gmina_a.pk], today=today)
    return {row.month: row for row in figures.rows}


def test_received_issued_rejected_and_the_times_to_issue_equal_direct_counts(known):
    april = rows_of(known, dt.date(2025, 5, 5))[APRIL]
    assert (april.received, april.issued, april.rejected) == (5, 3, 1)
    assert april.median_days == pytest.approx(4.0)  # 2, 4 and 10 days
    assert april.p90_days == pytest.approx(8.8)  # percentile_cont: 4 + 0.8 × (10 − 4)


def test_a_request_is_overdue_only_after_the_deadline_moved_past_weekend_and_holiday(known):
    assert rows_of(known, dt.date(2025, 5, 5))[APRIL].open_overdue == 0
    assert rows_of(known, dt.date(2025, 5, 6))[APRIL].open_overdue == 1


def test_the_month_is_the_warsaw_month(known):
    assert rows_of(known, dt.date(2025, 5, 6))[MAY].received == 1


def test_other_gminas_requests_are_not_counted(known):
    figures = service_figures(municipality_ids=[known.gmina_b.pk], today=dt.date(2025, 5, 6))
    assert [(r.month, r.received) for r in figures.rows] == [(APRIL, 1)]


def test_pdfs_and_survey_answers_are_summed_per_month(known):
    a = known.gmina_a
    InformationalPdfDay.objects.create(municipality=a, day=dt.date(2025, 4, 2), count=3)
    InformationalPdfDay.objects.create(municipality=a, day=dt.date(2025, 4, 9), count=2)
    SurveyAnswer.objects.create(municipality=a, service="extract", subject_id=1, score=5)
    SurveyAnswer.objects.create(municipality=a, service="extract", subject_id=2, score=2)
    SurveyAnswer.objects.update(answered_at=dt.datetime(2025, 4, 10, 12, tzinfo=dt.UTC))
    april = rows_of(known, dt.date(2025, 5, 6))[APRIL]
    assert april.informational_pdfs == 5
    assert (april.extract_answers, april.extract_score) == (2, pytest.approx(3.5))


def test_survey_answers_are_counted_per_service(known):
    a = known.gmina_a
    SurveyAnswer.objects.create(municipality=a, service="extract", subject_id=1, score=5)
    # the same number in another service is another case: both answers count
    SurveyAnswer.objects.create(municipality=a, service="comment", subject_id=1, score=2)
    SurveyAnswer.objects.create(municipality=a, service="comment", subject_id=2, score=3)
    SurveyAnswer.objects.update(answered_at=dt.datetime(2025, 4, 10, 12, tzinfo=dt.UTC))
    april = rows_of(known, dt.date(2025, 5, 6))[APRIL]
    assert (april.extract_answers, april.extract_score) == (1, pytest.approx(5.0))
    assert (april.comment_answers, april.comment_score) == (2, pytest.approx(2.5))


@pytest.fixture
def commented(known):
    """Comments of gmina A at known times, one with the planner's position; one of gmina B."""
    consultation = open_consultation_on(draft_in(known.gmina_a, A_ORIGIN))
    add_comment(consultation, submitted_at=local("2025-04-10 12:00"), position="accepted")
    add_comment(consultation, submitted_at=local("2025-04-30 23:30"))
    # half past midnight on 1 May in Warsaw: a May comment
    add_comment(consultation, submitted_at=local("2025-05-01 00:30"))
    other = open_consultation_on(draft_in(known.gmina_b, B_ORIGIN))
    add_comment(other, submitted_at=local("2025-04-10 12:00"))
    return consultation


def test_consultation_comments_per_month_equal_direct_counts(known, commented):
    rows = rows_of(known, dt.date(2025, 5, 6))
    april = Comment.objects.filter(
        municipality=known.gmina_a,
        submitted_at__gte=local("2025-04-01 00:00"),
        submitted_at__lt=local("2025-05-01 00:00"),
    )
    assert rows[APRIL].comments == april.count() == 2
    assert rows[APRIL].comments_pending == april.filter(position="").count() == 1
    assert (rows[MAY].comments, rows[MAY].comments_pending) == (1, 1)


def test_each_consultation_has_its_comments_with_positions_written_and_pending(known, commented):
    figures = service_figures(municipality_ids=[known.gmina_a.pk], today=dt.date(2025, 5, 6))
    (row,) = figures.consultations
    assert (row.pk, row.comments, row.answered, row.pending) == (commented.pk, 3, 1, 2)


def test_the_comments_are_in_the_table_the_csv_and_a_chart(known, commented, admin_a):
    add_comment(commented, position="rejected")  # this month's, with its position
    client = client_for(admin_a)
    page = client.get("/centrum-wsparcia/").content.decode()
    assert commented.title in page
    assert page.count("<svg") == 3  # requests per week, days to issue, comments per month
    lines = client.get("/centrum-wsparcia/dane.csv").content.decode().splitlines()
    header = lines[0].split(",")
    month = f"{known.gmina_a.slug},{timezone.localdate():%Y-%m},"
    (row,) = [line.split(",") for line in lines if line.startswith(month)]
    assert row[header.index("consultation_comments")] == "1"
    assert row[header.index("comments_without_position")] == "0"


def test_a_gmina_admin_sees_only_their_gmina_and_the_platform_admin_all(
    known, admin_a, platform_admin
):
    page = client_for(admin_a).get("/centrum-wsparcia/").content.decode()
    assert "Gmina A" in page and "Gmina B" not in page
    page = client_for(platform_admin).get("/centrum-wsparcia/").content.decode()
    assert "Gmina A" in page and "Gmina B" in page
    assert "<svg" in page


def test_the_csv_has_a_row_per_gmina_and_month(known, platform_admin, settings):
    csv = client_for(platform_admin).get("/centrum-wsparcia/dane.csv").content.decode()
    header = csv.splitlines()[0]
    assert header.startswith("gmina,month,received,issued,rejected,median_days_to_issue")


def test_comments_are_shown_to_the_gminas_admins_only(known, admin_a, platform_admin):
    SurveyAnswer.objects.create(
        municipality=known.gmina_a, service="extract", subject_id=9, score=1, comment="za długo"
    )
    assert "za długo" in client_for(admin_a).get("/centrum-wsparcia/").content.decode()
    assert "za długo" not in client_for(platform_admin).get("/centrum-wsparcia/").content.decode()
