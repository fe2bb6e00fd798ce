"""The statutory rules: period (21 days, art. 8k ust. 1), forms (art. 8i ust. 2), deadline and grace period."""

from __future__ import annotations

import datetime as dt

import pytest

from consultation import rules

END = dt.datetime(2026, 3, 1, 0, 0, tzinfo=rules.WARSAW)  # deadline: end of 28 February
START = END - dt.timedelta(days=30)


def test_a_period_shorter_than_21_days_is_refused_citing_art_8k_1():
    with pytest.raises(rules.RuleError, match=r"8k.*21"):
        rules.check_period(first_day=dt.date(2026, 3, 2), last_day=dt.date(2026, 3, 22))
    rules.check_period(first_day=dt.date(2026, 3, 2), last_day=dt.date(2026, 3, 23))


def test_the_period_runs_from_midnight_to_the_end_of_the_last_day_in_warsaw():
    start, end = rules.period_bounds(first_day=dt.date(2026, 6, 1), last_day=dt.date(2026, 6, 22))
    assert start.isoformat() == "2026-06-01T00:00:00+02:00"
    assert end.isoformat() == "2026-06-23T00:00:00+02:00"


def test_forms_need_a_meeting_and_a_walk_or_a_point():
    rules.check_forms({"meeting", "point"})
    rules.check_forms({"meeting", "walk"})
    for kinds in ({"meeting"}, {"walk", "point"}, set()):
        with pytest.raises(rules.RuleError, match="8i"):
            rules.check_forms(kinds)


def admit(now, opened_at=None):
    return rules.admission(starts_at=START, ends_at=END, opened_at=opened_at, now=now)


def test_a_comment_one_second_before_the_deadline_is_accepted():
    verdict = admit(END - dt.timedelta(seconds=1))
    assert verdict.accepted and not verdict.in_grace


def test_a_comment_at_the_deadline_without_an_open_form_is_refused_with_the_deadline():
    verdict = admit(END)
    assert not verdict.accepted
    assert "28.02.2026 23:59:59" in verdict.message


def test_a_form_opened_in_time_and_sent_within_the_grace_period_is_accepted_and_marked(settings):
    settings.CONSULTATION_GRACE_MINUTES = 15
    opened = END - dt.timedelta(minutes=5)
    verdict = admit(END + dt.timedelta(minutes=14, seconds=59), opened)
    assert verdict.accepted and verdict.in_grace
    assert not admit(END + dt.timedelta(minutes=15), opened).accepted


def test_a_form_opened_after_the_deadline_gets_no_grace():
    assert not admit(END + dt.timedelta(minutes=1), END + dt.timedelta(seconds=1)).accepted


def test_nothing_is_accepted_before_the_start():
    assert not admit(START - dt.timedelta(seconds=1)).accepted


def test_the_form_token_gives_back_its_time_and_refuses_forgeries():
    token = rules.form_token(7)
    opened = rules.form_opened_at(token, 7)
    assert opened is not None
    assert abs((opened - dt.datetime.now(dt.UTC)).total_seconds()) < 5
    assert rules.form_opened_at(token, 8) is None
    assert rules.form_opened_at(token[:-1] + ("A" if token[-1] != "A" else "B"), 7) is None


def test_load_demo_opens_a_consultation_on_lipowos_draft_with_comments(db):
    from django.core.management import call_command

    from consultation.models import Consultation

    call_command("load_demo")
    consultation = Consultation.objects.get(municipality__slug="lipowo-demo")
    assert consultation.is_collecting() and not consultation.plan.is_published
    assert consultation.comments.count() == 3 and consultation.next_number == 4
    call_command("load_demo", "--force")
    assert Consultation.objects.filter(municipality__slug="lipowo-demo").count() == 1
