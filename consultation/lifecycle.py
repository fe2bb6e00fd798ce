"""The planner's steps: open a consultation, write a position, publish the report."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts import audit
from consultation import rules
from consultation.models import Comment, Consultation, ConsultationEvent
from consultation.report import live_report
from plans.models import Plan


@transaction.atomic
def open_consultation(
    *,
    plan: Plan,
    title: str,
    first_day: dt.date,
    last_day: dt.date,
    announcement: str,
    events: list[dict],
    actor=None,
) -> Consultation:
    """A consultation of a draft plan (art. 8h, 8i u.p.z.p.); RuleError when the law says no."""
    rules.check_period(first_day=first_day, last_day=last_day)
    rules.check_forms({e["kind"] for e in events})
    starts_at, ends_at = rules.period_bounds(first_day=first_day, last_day=last_day)
    consultation = Consultation.objects.create(
        municipality=plan.municipality,
        plan=plan,
        title=title,
        announcement=announcement,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
    )
    ConsultationEvent.objects.bulk_create(
        ConsultationEvent(municipality=plan.municipality, consultation=consultation, **e)
        for e in events
    )
    audit.record(
        action="consultation.open",
        actor=actor,
        municipality=plan.municipality,
        target=consultation,
    )
    return consultation


@transaction.atomic
def write_position(
    *, comment: Comment, position: str, reason: str, duplicate_of: Comment | None, actor=None
) -> None:
    comment.position = position
    comment.reason = reason
    comment.duplicate_of = duplicate_of if duplicate_of and duplicate_of.pk != comment.pk else None
    comment.save(update_fields=["position", "reason", "duplicate_of"])
    audit.record(
        action="consultation.position",
        actor=actor,
        municipality=comment.municipality,
        target=f"{comment.consultation} – {comment.number}",
        details={"position": position},
    )


@transaction.atomic
def extend_consultation(
    *, consultation: Consultation, last_day: dt.date, actor=None, now: dt.datetime | None = None
) -> Consultation:
    """A later deadline for comments (never earlier, never after the end); RuleError otherwise."""
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    previous = locked.ends_at
    locked.ends_at = rules.check_extension(
        starts_at=locked.starts_at,
        ends_at=previous,
        last_day=last_day,
        now=now or timezone.now(),
    )
    locked.save(update_fields=["ends_at"])
    audit.record(
        action="consultation.extend",
        actor=actor,
        municipality=locked.municipality,
        target=locked,
        details={"from": previous.isoformat(), "to": locked.ends_at.isoformat()},
    )
    return locked


@transaction.atomic
def publish_report(
    *, consultation: Consultation, actor=None, now: dt.datetime | None = None
) -> None:
    """art. 8k ust. 2: the report with every comment and its position is made public, once.

    The report is drawn up once, before the draft goes to the rada gminy: what is published is
    frozen here (the rows, the statistics, the other forms, the map) in the same transaction as the
    publication flag. A later change of a position changes the register, not the published report;
    a second publication does nothing.
    """
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.report_is_published:
        return
    locked.report_snapshot = live_report(locked)
    locked.report_published_at = now or timezone.now()
    locked.save(update_fields=["report_snapshot", "report_published_at"])
    consultation.report_snapshot = locked.report_snapshot
    consultation.report_published_at = locked.report_published_at
    audit.record(
        action="consultation.publish_report",
        actor=actor,
        municipality=consultation.municipality,
        target=consultation,
    )


def pending_positions(consultation: Consultation) -> int:
    return consultation.comments.filter(position="").count()
