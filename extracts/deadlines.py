"""Legal deadlines of a certified extract request, counted as the Code of Administrative Procedure says.

* zaświadczenie: art. 217 § 3 KPA – "bez zbędnej zwłoki, nie później jednak niż w terminie siedmiu
  dni" (7 days);
* wypis i wyrys (also a wypis or a wyrys alone): art. 30 ust. 1 of the ustawa o planowaniu
  i zagospodarowaniu przestrzennym gives everybody the right to them but sets no deadline; gminy
  apply the general one of art. 35 § 3 KPA, one month (some promise less on their service cards:
  7 days, 2 weeks). ``EXTRACT_DEADLINE_DAYS`` sets a shorter term for a platform that promises one.

Counting (art. 57 KPA): a term in days ends on the last day counted from the day after the request
(§ 1); a month ends on the same-numbered day of the next month, or its last day (§ 3); a term ending
on a Saturday, a Sunday or a public holiday ends on the next working day (§ 5; Saturday since 2017,
Sunday as a statutory holiday). Public holidays: ustawa z 18 stycznia 1951 r. o dniach wolnych od
pracy, art. 1, including the moving feasts that follow Easter and, since 2025, 24 December.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from extracts.models import ExtractKind

ZASWIADCZENIE_DAYS = 7
FIXED_HOLIDAYS = ((1, 1), (1, 6), (5, 1), (5, 3), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26))


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (the anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[dt.date]:
    """Polish public holidays of ``year`` (Sundays among them are Sundays anyway)."""
    easter = easter_sunday(year)
    days = {dt.date(year, m, d) for m, d in FIXED_HOLIDAYS}
    days |= {easter, easter + dt.timedelta(days=1)}  # Wielkanoc, Poniedziałek Wielkanocny
    days |= {
        easter + dt.timedelta(days=49),
        easter + dt.timedelta(days=60),
    }  # Zielone Świątki, Boże Ciało
    if year >= 2025:
        days.add(dt.date(year, 12, 24))  # Wigilia, a holiday since the 2024 amendment
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it (art. 57 § 5)."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_month(day: dt.date) -> dt.date:
    """Art. 57 § 3 KPA: the same-numbered day of the next month, or that month's last day."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def nominal_end(*, kind: str, filed: dt.date) -> dt.date:
    """The last day of the term before art. 57 § 5 moves it."""
    if kind == ExtractKind.ZASWIADCZENIE:
        return filed + dt.timedelta(days=ZASWIADCZENIE_DAYS)
    days = getattr(settings, "EXTRACT_DEADLINE_DAYS", 0)
    return filed + dt.timedelta(days=days) if days else add_month(filed)


def deadline(*, kind: str, filed: dt.date) -> dt.date:
    """The last day on which a request filed on ``filed`` (local date) may be answered in time."""
    return next_working_day(nominal_end(kind=kind, filed=filed))


def is_overdue(*, kind: str, filed: dt.date, today: dt.date) -> bool:
    return today > deadline(kind=kind, filed=filed)


def mark_deadlines(requests, *, today: dt.date) -> list:
    """The pending ``requests`` with ``deadline`` and ``overdue`` set (for the clerk's queue)."""
    marked = list(requests)
    for req in marked:
        req.deadline = deadline(kind=req.kind, filed=timezone.localdate(req.submitted_at))
        req.overdue = today > req.deadline
    return marked
