"""The statutory rules of a consultation, each with the article it implements.

u.p.z.p. = ustawa z dnia 27 marca 2003 r. o planowaniu i zagospodarowaniu przestrzennym, rozdział 1a.

- art. 8h ust. 1: the ways, places and dates are announced no later than on the first day of the
  consultation: nothing is public before ``starts_at``; from then the announcement is on the page.
- art. 8i ust. 1 pkt 1 and ust. 2: collecting comments is always one of the forms, with at least one
  form of pkt 2 (open meeting, panel, workshop) and one of pkt 3–5 (study walk, survey,
  consultation point): ``check_forms``.
- the period for comments, at least 21 days (``CONSULTATION_MIN_DAYS``), art. 8k ust. 1:
  ``check_period``. The simplified MPZP procedure (postępowanie uproszczone) allows a shorter
  collection of comments, at least 14 days; a plan in this portal does not record whether it is
  prepared in the simplified procedure, so the portal keeps the longer minimum, which is lawful in
  both procedures (a longer period is always allowed: the act sets only a minimum). See
  docs/consultation.md for the sources checked.
- the period may be extended, never shortened, and only while comments are still collected (the
  law has no early close; a shorter period would break the minimum above): ``check_extension``.
- a comment is on time up to the deadline, in Europe/Warsaw, to the second; one whose form was
  opened before the deadline and is sent within ``CONSULTATION_GRACE_MINUTES`` is accepted and
  marked (nothing sent in time is lost): ``admission``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

WARSAW = ZoneInfo("Europe/Warsaw")
FORM_SALT = "consultation.comment-form"


class RuleError(ValueError):
    """A consultation that the law does not allow; the message says which article."""


def min_days() -> int:
    return int(getattr(settings, "CONSULTATION_MIN_DAYS", 21))


def grace() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "CONSULTATION_GRACE_MINUTES", 15)))


def period_bounds(*, first_day: dt.date, last_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From 00:00:00 of the first day to the end of the last day (the next midnight), in Warsaw."""
    start = dt.datetime.combine(first_day, dt.time(0, 0), tzinfo=WARSAW)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=WARSAW)
    return start, end


def check_period(*, first_day: dt.date, last_day: dt.date) -> None:
    """art. 8k ust. 1 u.p.z.p.: at least ``min_days()`` days for comments, counted from the day
    after the first (k.c. art. 111 § 2)."""
    if (last_day - first_day).days < min_days():
        raise RuleError(
            _(
                "Art. 8k(1): comments must be collected for at least %(days)d days after the "
                "start (the last day may be %(earliest)s at the earliest)."
            )
            % {
                "days": min_days(),
                "earliest": (first_day + dt.timedelta(days=min_days())).isoformat(),
            }
        )


def check_extension(
    *, starts_at: dt.datetime, ends_at: dt.datetime, last_day: dt.date, now: dt.datetime
) -> dt.datetime:
    """The new deadline for a consultation extended to ``last_day``; RuleError if it has ended
    or the new last day is not later than the current one (extending only, never shortening)."""
    if now >= ends_at:
        raise RuleError(_("The consultation has ended; its period can no longer be changed."))
    first_day = timezone.localtime(starts_at, WARSAW).date()
    check_period(first_day=first_day, last_day=last_day)
    _start, new_end = period_bounds(first_day=first_day, last_day=last_day)
    if new_end <= ends_at:
        raise RuleError(
            _("The period can only be extended: the last day must be later than %(day)s.")
            % {
                "day": (
                    timezone.localtime(ends_at, WARSAW).date() - dt.timedelta(days=1)
                ).isoformat()
            }
        )
    return new_end


def check_forms(kinds: set[str]) -> None:
    """art. 8i ust. 2: comments, plus one form of pkt 2 and one of pkt 3–5."""
    if "meeting" not in kinds or not kinds & {"walk", "point"}:
        raise RuleError(
            _(
                "Art. 8i(2): besides comments, add at least one open meeting and one study walk "
                "or consultation point."
            )
        )


def form_token(consultation_id: int) -> str:
    """A signed timestamp put in the comment form when it is shown."""
    return signing.TimestampSigner(salt=FORM_SALT).sign(str(consultation_id))


def form_opened_at(token: str, consultation_id: int) -> dt.datetime | None:
    """When the form with ``token`` was shown (None if the token is forged or of another consultation)."""
    signer = signing.TimestampSigner(salt=FORM_SALT)
    try:
        value = signer.unsign(token)
    except signing.BadSignature:
        return None
    if value != str(consultation_id):
        return None
    _value, stamp, _signature = token.rsplit(signer.sep, 2)
    seconds = signing.b62_decode(stamp)
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


@dataclass(frozen=True)
class Admission:
    accepted: bool
    in_grace: bool = False
    message: str = ""


def admission(
    *, starts_at: dt.datetime, ends_at: dt.datetime, opened_at: dt.datetime | None, now: dt.datetime
) -> Admission:
    """May a comment sent ``now`` be accepted?"""
    if now < starts_at:
        return Admission(False, message=_("The consultation has not started yet."))
    if now < ends_at:
        return Admission(True)
    if opened_at is not None and starts_at <= opened_at < ends_at and now < ends_at + grace():
        return Admission(True, in_grace=True)
    deadline = timezone.localtime(ends_at - dt.timedelta(seconds=1), WARSAW)
    return Admission(
        False,
        message=_(
            "The deadline for comments passed on %(deadline)s (Warsaw time); "
            "this comment cannot be accepted."
        )
        % {"deadline": deadline.strftime("%d.%m.%Y %H:%M:%S")},
    )
