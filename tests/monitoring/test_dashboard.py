"""The dashboard's numbers equal direct counts of known requests with known times."""

from __future__ import annotations

import datetime as dt

import pytest

from extracts.models import InformationalPdfDay
from monitoring.dashboard import service_figures
from monitoring.models import SurveyAnswer
from tests.conftest import client_for
from tests.monitoring.factories import known_request

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
    assert (april.answers, april.mean_score) == (2, pytest.approx(3.5))


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
