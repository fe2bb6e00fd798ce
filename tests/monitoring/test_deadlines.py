"""Legal deadlines: 7 days for a zaświadczenie, one month for a wypis i wyrys, moved past holidays."""

from __future__ import annotations

import datetime as dt

from extracts.deadlines import add_month, deadline, easter_sunday, public_holidays

D = dt.date


def test_easter_is_computed_for_known_years():
    assert easter_sunday(2024) == D(2024, 3, 31)
    assert easter_sunday(2025) == D(2025, 4, 20)
    assert easter_sunday(2026) == D(2026, 4, 5)


def test_the_moving_feasts_follow_easter():
    holidays = public_holidays(2025)
    assert D(2025, 4, 21) in holidays  # Poniedziałek Wielkanocny
    assert D(2025, 6, 8) in holidays  # Zielone Świątki
    assert D(2025, 6, 19) in holidays  # Boże Ciało
    assert D(2025, 12, 24) in holidays and D(2024, 12, 24) not in public_holidays(2024)


def test_a_zaswiadczenie_due_on_a_saturday_holiday_moves_past_the_sunday():
    # filed Saturday 26 April 2025: day 7 is Saturday 3 May (a holiday too), then Sunday
    assert deadline(kind="zaswiadczenie", filed=D(2025, 4, 26)) == D(2025, 5, 5)


def test_a_zaswiadczenie_due_on_easter_monday_is_due_on_tuesday():
    assert deadline(kind="zaswiadczenie", filed=D(2025, 4, 14)) == D(2025, 4, 22)


def test_a_wypis_is_due_a_month_later_on_the_next_working_day():
    assert deadline(kind="wypis", filed=D(2025, 4, 11)) == D(2025, 5, 12)  # 11 May is a Sunday
    assert deadline(kind="wypis_wyrys", filed=D(2025, 4, 15)) == D(2025, 5, 15)


def test_a_month_from_the_31st_ends_on_the_last_day_of_a_shorter_month():
    assert add_month(D(2025, 1, 31)) == D(2025, 2, 28)
    assert add_month(D(2024, 12, 31)) == D(2025, 1, 31)


def test_a_shorter_term_can_be_set_for_a_platform_that_promises_one(settings):
    settings.EXTRACT_DEADLINE_DAYS = 14
    assert deadline(kind="wypis", filed=D(2025, 4, 1)) == D(2025, 4, 15)
