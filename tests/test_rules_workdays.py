"""Tests of working-day arithmetic (portal/rules/workdays.py, spec section 2: timeliness).

Real 2026 dates are taken from the chinese_calendar package (State Council notice), not guessed.
"""

import datetime as dt

import chinese_calendar
import pytest

from portal.rules import workdays
from portal.rules.workdays import (
    PUBLICATION_LIMIT_WORKDAYS,
    add_workdays,
    calendar_known,
    is_workday,
    published_in_time,
    workdays_between,
)

D = dt.date
ONE = dt.timedelta(days=1)
FEB_2026 = [D(2026, 2, 1) + i * ONE for i in range(28)]


def adjusted_weekend_workdays(days):
    """Saturdays/Sundays that chinese_calendar marks as working days (调休)."""
    return [d for d in days if d.weekday() >= 5 and chinese_calendar.is_workday(d)]


def weekday_holidays(days):
    return [d for d in days if d.weekday() < 5 and not chinese_calendar.is_workday(d)]


@pytest.fixture(scope="module")
def spring_festival():
    """The 2026 Spring Festival break as the package knows it."""
    holidays = weekday_holidays(FEB_2026)
    assert holidays, "chinese_calendar knows no weekday holiday in February 2026"
    first, last = holidays[0], holidays[-1]
    # extend to the whole run of days off around the weekday holidays
    while not chinese_calendar.is_workday(first - ONE):
        first -= ONE
    while not chinese_calendar.is_workday(last + ONE):
        last += ONE
    return first, last


def test_package_knows_2026():
    assert calendar_known(D(2026, 2, 17))
    assert calendar_known(D(2026, 12, 31))


def test_adjusted_weekend_working_day_is_a_workday():
    adjusted = adjusted_weekend_workdays(FEB_2026)
    assert adjusted, "expected an adjusted working day on a weekend around the 2026 Spring Festival"
    for day in adjusted:
        assert day.weekday() >= 5
        assert is_workday(day) is True
    assert D(2026, 2, 14) in adjusted  # Saturday before the break, per the package


def test_weekday_public_holiday_is_not_a_workday():
    holidays = weekday_holidays(FEB_2026)
    assert holidays
    for day in holidays:
        assert day.weekday() < 5
        assert is_workday(day) is False
    assert D(2026, 2, 17) in holidays  # 春节 itself, a Tuesday


def test_is_workday_matches_package_for_all_of_2026():
    day = D(2026, 1, 1)
    while day.year == 2026:
        assert is_workday(day) == chinese_calendar.is_workday(day), day
        day += ONE


def test_ordinary_weekdays_and_weekends_in_2026():
    assert is_workday(D(2026, 3, 4)) is True  # Wednesday
    assert is_workday(D(2026, 3, 7)) is False  # Saturday
    assert is_workday(D(2026, 3, 8)) is False  # Sunday


def test_add_workdays_across_the_spring_festival(spring_festival):
    first_off, last_off = spring_festival
    before = first_off - ONE
    after = last_off + ONE
    assert chinese_calendar.is_workday(before) and chinese_calendar.is_workday(after)
    # the working day just before the break is followed by the first one after it
    assert add_workdays(before, 1) == after
    assert workdays_between(before, after) == 1
    assert workdays_between(before, last_off) == 0


def test_add_workdays_uses_the_adjusted_saturday():
    # Friday 2026-02-13 -> Saturday 2026-02-14 is a working day, then the break.
    assert add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_workdays(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert add_workdays(D(2026, 2, 12), 3) == D(2026, 2, 24)


def test_add_workdays_from_inside_the_break():
    assert add_workdays(D(2026, 2, 17), 1) == D(2026, 2, 24)
    assert add_workdays(D(2026, 2, 17), 5) == D(2026, 2, 28)  # adjusted Saturday is the 5th
    assert add_workdays(D(2026, 2, 17), 6) == D(2026, 3, 2)


def test_add_workdays_zero_returns_start_even_on_a_holiday():
    assert add_workdays(D(2026, 2, 17), 0) == D(2026, 2, 17)


def test_add_workdays_negative_is_refused():
    with pytest.raises(ValueError):
        add_workdays(D(2026, 2, 17), -1)


def test_workdays_between_across_the_spring_festival():
    # After 2026-02-10 up to 2026-03-02: 11,12,13,14(adj),24,25,26,27,28(adj), 3/2 = 10
    expected = sum(chinese_calendar.is_workday(D(2026, 2, 10) + i * ONE) for i in range(1, 21))
    assert workdays_between(D(2026, 2, 10), D(2026, 3, 2)) == expected == 10


def test_workdays_between_empty_and_reversed():
    assert workdays_between(D(2026, 2, 10), D(2026, 2, 10)) == 0
    assert workdays_between(D(2026, 2, 24), D(2026, 2, 10)) == 0


def test_workdays_between_counts_end_not_start():
    assert workdays_between(D(2026, 3, 2), D(2026, 3, 3)) == 1  # Mon -> Tue
    assert workdays_between(D(2026, 3, 6), D(2026, 3, 8)) == 0  # Fri -> Sun


@pytest.mark.parametrize("start", [D(2026, 1, 30), D(2026, 2, 13), D(2026, 2, 15), D(2026, 9, 28), D(2026, 12, 24)])
@pytest.mark.parametrize("n", [0, 1, 3, 7, 10])
def test_add_workdays_and_workdays_between_agree(start, n):
    end = add_workdays(start, n)
    assert workdays_between(start, end) == n
    if n:
        assert is_workday(end)
        assert workdays_between(start, end - ONE) == n - 1


# --- years the package does not know ---------------------------------------------------------------


@pytest.mark.parametrize("day", [D(2027, 1, 1), D(2027, 2, 6), D(2028, 10, 1), D(2030, 6, 3)])
def test_unknown_year_calendar_known_false(day):
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(day)  # precondition: the package really lacks the year
    assert calendar_known(day) is False


def test_unknown_year_only_weekends_are_days_off():
    day = D(2027, 1, 1)
    while day.year == 2027:
        assert is_workday(day) == (day.weekday() < 5), day
        day += ONE


def test_unknown_year_new_year_and_spring_festival_count_as_workdays():
    assert is_workday(D(2027, 1, 1)) is True  # a Friday; the holiday is unknown
    assert is_workday(D(2027, 1, 2)) is False  # Saturday
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert add_workdays(D(2027, 1, 1), 1) == D(2027, 1, 4)
    assert workdays_between(D(2026, 12, 31), D(2027, 1, 8)) == 6


def test_add_workdays_in_unknown_year():
    assert add_workdays(D(2027, 3, 5), 7) == D(2027, 3, 16)  # Fri + 7 weekdays
    assert workdays_between(D(2027, 3, 5), D(2027, 3, 16)) == 7


# --- timeliness -----------------------------------------------------------------------------------


def test_publication_limit_is_seven_working_days():
    assert PUBLICATION_LIMIT_WORKDAYS == 7


def test_published_in_time_across_the_spring_festival():
    decided = D(2026, 2, 10)  # Tuesday
    # 7 working days after: 11, 12, 13, 14 (adjusted Sat), 24, 25, 26
    assert add_workdays(decided, 7) == D(2026, 2, 26)
    assert published_in_time(decided, D(2026, 2, 26)) is True
    assert published_in_time(decided, D(2026, 2, 27)) is False
    # Counting weekends only, 2026-02-26 would be the 12th working day; the holiday must count.
    assert sum(1 for i in range(1, 17) if (decided + i * ONE).weekday() < 5) > 7


def test_published_in_time_on_the_same_day_and_during_the_break():
    decided = D(2026, 2, 13)
    assert published_in_time(decided, decided)
    assert published_in_time(decided, D(2026, 2, 20))


def test_published_in_time_other_limit():
    decided = D(2026, 2, 10)
    assert add_workdays(decided, 10) == D(2026, 3, 2)
    assert published_in_time(decided, D(2026, 3, 2), limit=10) is True
    assert published_in_time(decided, D(2026, 3, 3), limit=10) is False
    assert published_in_time(decided, D(2026, 3, 2)) is False


def test_table_lookup_agrees_with_counting_day_by_day():
    import random as _random

    rng = _random.Random(3)
    for _ in range(2000):
        start = dt.date(2003, 1, 1) + dt.timedelta(days=rng.randrange(9000))
        end = start + dt.timedelta(days=rng.randrange(-20, 900))
        expected, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            expected += workdays.is_workday(day)
        assert workdays.workdays_between(start, end) == expected
        n, day, left = rng.randrange(0, 40), start, None
        left = n
        while left:
            day += dt.timedelta(days=1)
            left -= workdays.is_workday(day)
        assert workdays.add_workdays(start, n) == day
