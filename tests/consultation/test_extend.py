"""The planner extends the period for comments: later only, never after the end, audited (no
early close: the law has none)."""

from __future__ import annotations

import datetime as dt

from accounts.models import AuditEvent
from consultation import rules
from tests.conftest import client_for


def extend_url(consultation) -> str:
    return f"/{consultation.municipality.slug}/konsultacje/{consultation.pk}/przedluz/"


def last_day(consultation) -> dt.date:
    return rules.timezone.localtime(consultation.ends_at, rules.WARSAW).date() - dt.timedelta(
        days=1
    )


def test_the_planner_extends_the_deadline_and_it_is_audited(consultation, planner_a):
    new_day = last_day(consultation) + dt.timedelta(days=7)
    response = client_for(planner_a).post(extend_url(consultation), {"last_day": new_day})
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert last_day(consultation) == new_day
    event = AuditEvent.objects.get(action="consultation.extend")
    assert event.municipality == consultation.municipality and event.details["to"]


def test_the_period_is_never_shortened_nor_changed_after_the_end(consultation, planner_a):
    client = client_for(planner_a)
    before = consultation.ends_at
    for day in (last_day(consultation), last_day(consultation) - dt.timedelta(days=1)):
        response = client.post(extend_url(consultation), {"last_day": day})
        assert response.status_code == 400
        assert "przedłużyć" in response.content.decode()
    consultation.ends_at = rules.timezone.now() - dt.timedelta(seconds=1)
    consultation.save(update_fields=["ends_at"])
    later = last_day(consultation) + dt.timedelta(days=30)
    response = client.post(extend_url(consultation), {"last_day": later})
    assert response.status_code == 400 and "zakończyły" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.ends_at < before
    assert not AuditEvent.objects.filter(action="consultation.extend").exists()


def test_the_rule_keeps_the_legal_minimum_from_the_start():
    start = dt.datetime(2026, 3, 1, tzinfo=rules.WARSAW)
    ends = dt.datetime(2026, 3, 2, tzinfo=rules.WARSAW)  # a (hypothetical) too-short period
    now = dt.datetime(2026, 3, 1, 12, tzinfo=rules.WARSAW)
    try:
        rules.check_extension(starts_at=start, ends_at=ends, last_day=dt.date(2026, 3, 10), now=now)
    except rules.RuleError:
        pass
    else:
        raise AssertionError("a period shorter than the minimum was accepted")
    assert rules.check_extension(
        starts_at=start, ends_at=ends, last_day=dt.date(2026, 3, 22), now=now
    ) == dt.datetime(2026, 3, 23, tzinfo=rules.WARSAW)
