"""Tests of publicity windows of penalty information (portal/rules/publicity.py, spec section 3)."""

import datetime as dt

import pytest

from portal.rules.publicity import (
    DEFAULT_SEVERITY,
    GENERAL,
    MINOR,
    PERIOD_MONTHS,
    SERIOUS,
    SEVERITIES,
    Window,
    add_months,
    deadline_beyond_maximum,
    maximum_display_until,
    penalty_window,
)

D = dt.date


def test_current_rule_periods():
    assert (MINOR, GENERAL, SERIOUS) == ("轻微", "一般", "严重")
    assert SEVERITIES == (MINOR, GENERAL, SERIOUS)
    assert DEFAULT_SEVERITY == GENERAL
    assert PERIOD_MONTHS == {"轻微": (0, 3), "一般": (3, 12), "严重": (12, 36)}


# --- add_months ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (D(2026, 5, 10), 0, D(2026, 5, 10)),
        (D(2026, 5, 10), 3, D(2026, 8, 10)),
        (D(2026, 5, 10), 12, D(2027, 5, 10)),
        (D(2026, 5, 10), 36, D(2029, 5, 10)),
        (D(2025, 10, 15), 3, D(2026, 1, 15)),
        (D(2025, 12, 31), 1, D(2026, 1, 31)),
        (D(2025, 12, 1), 12, D(2026, 12, 1)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2025, 1, 31), 3, D(2025, 4, 30)),
        (D(2025, 8, 31), 1, D(2025, 9, 30)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 36, D(2027, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2024, 2, 29), 3, D(2024, 5, 29)),
        (D(2025, 2, 28), 3, D(2025, 5, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


# --- windows per severity ------------------------------------------------------------------------


def test_minor_window():
    w = penalty_window(MINOR, D(2026, 5, 10))
    assert w == Window(repair_from=D(2026, 5, 10), display_until=D(2026, 8, 10))


def test_general_window():
    w = penalty_window(GENERAL, D(2026, 5, 10))
    # minimum 3 months: the period ends 2026-08-10, repair may be applied for from the next day
    assert w.repair_from == D(2026, 8, 11)
    assert w.display_until == D(2027, 5, 10)


def test_serious_window():
    w = penalty_window(SERIOUS, D(2026, 5, 10))
    assert w.repair_from == D(2027, 5, 11)
    assert w.display_until == D(2029, 5, 10)


@pytest.mark.parametrize("severity", [GENERAL, SERIOUS])
def test_repair_starts_the_day_after_the_minimum_period(severity):
    decided = D(2026, 4, 1)
    minimum, _ = PERIOD_MONTHS[severity]
    w = penalty_window(severity, decided)
    assert w.repair_from == add_months(decided, minimum) + dt.timedelta(days=1)
    assert w.repair_from <= w.display_until


@pytest.mark.parametrize("severity", SEVERITIES)
def test_display_ends_at_the_maximum(severity):
    decided = D(2026, 7, 20)
    assert penalty_window(severity, decided).display_until == add_months(decided, PERIOD_MONTHS[severity][1])


def test_windows_grow_with_severity():
    decided = D(2026, 6, 15)
    minor, general, serious = (penalty_window(s, decided) for s in SEVERITIES)
    assert minor.repair_from < general.repair_from < serious.repair_from
    assert minor.display_until < general.display_until < serious.display_until


def test_general_window_month_end_clamping():
    w = penalty_window(GENERAL, D(2025, 11, 30))
    assert w.repair_from == D(2026, 3, 1)  # 3 months end 2026-02-28
    assert w.display_until == D(2026, 11, 30)


def test_minor_window_month_end_clamping():
    assert penalty_window(MINOR, D(2025, 11, 30)).display_until == D(2026, 2, 28)
    assert penalty_window(MINOR, D(2023, 11, 30)).display_until == D(2024, 2, 29)


def test_leap_day_decisions():
    general = penalty_window(GENERAL, D(2024, 2, 29))
    assert general.repair_from == D(2024, 5, 30)
    assert general.display_until == D(2025, 2, 28)
    serious = penalty_window(SERIOUS, D(2024, 2, 29))
    assert serious.repair_from == D(2025, 3, 1)
    assert serious.display_until == D(2027, 2, 28)


def test_serious_window_across_leap_year_month_end():
    w = penalty_window(SERIOUS, D(2023, 11, 30))
    assert w.repair_from == D(2024, 12, 1)
    assert w.display_until == D(2026, 11, 30)
    assert maximum_display_until(SERIOUS, D(2025, 2, 28)) == D(2028, 2, 28)


@pytest.mark.parametrize("empty", ["", None])
def test_empty_severity_means_general(empty):
    decided = D(2026, 5, 10)
    assert penalty_window(empty, decided) == penalty_window(GENERAL, decided)
    assert maximum_display_until(empty, decided) == D(2027, 5, 10)


# --- record deadline (公示截止期) ----------------------------------------------------------------


def test_given_deadline_overrides_display_until():
    decided = D(2026, 5, 10)
    deadline = D(2026, 11, 10)
    w = penalty_window(GENERAL, decided, deadline=deadline)
    assert w.display_until == deadline
    assert w.repair_from == D(2026, 8, 11)  # the minimum period is not affected


def test_given_deadline_only_shortens_display():
    decided = D(2026, 5, 10)
    assert penalty_window(SERIOUS, decided, D(2027, 1, 1)).display_until == D(2027, 1, 1)
    # Past the maximum (轻微 3 months, 一般 1 year, 严重 3 years) the maximum applies.
    assert penalty_window(MINOR, decided, D(2026, 12, 31)).display_until == D(2026, 8, 10)
    assert penalty_window(GENERAL, decided, D(2030, 1, 1)).display_until == D(2027, 5, 10)
    assert penalty_window(SERIOUS, decided, D(2030, 1, 1)).display_until == D(2029, 5, 10)
    assert penalty_window(GENERAL, decided, D(2027, 5, 10)).display_until == D(2027, 5, 10)


def test_a_deadline_past_the_maximum_is_warned_about():
    decided = D(2026, 5, 10)
    warning = deadline_beyond_maximum(GENERAL, decided, D(2030, 1, 1))
    assert "2030-01-01" in warning and "2027-05-10" in warning and "12个月" in warning
    assert deadline_beyond_maximum(GENERAL, decided, D(2027, 5, 10)) is None
    assert deadline_beyond_maximum(GENERAL, decided, None) is None


def test_none_deadline_is_ignored():
    decided = D(2026, 5, 10)
    assert penalty_window(GENERAL, decided, None) == penalty_window(GENERAL, decided)


@pytest.mark.parametrize(
    "severity, expected",
    [
        (MINOR, D(2026, 8, 10)),
        (GENERAL, D(2027, 5, 10)),
        (SERIOUS, D(2029, 5, 10)),
    ],
)
def test_maximum_display_until_ignores_record_deadline(severity, expected):
    decided = D(2026, 5, 10)
    short = penalty_window(severity, decided, deadline=D(2026, 6, 1))
    assert short.display_until == D(2026, 6, 1)
    assert maximum_display_until(severity, decided) == expected


def test_maximum_display_until_month_end():
    assert maximum_display_until(MINOR, D(2025, 11, 30)) == D(2026, 2, 28)
    assert maximum_display_until(GENERAL, D(2024, 2, 29)) == D(2025, 2, 28)


def test_window_is_immutable():
    w = penalty_window(GENERAL, D(2026, 5, 10))
    with pytest.raises(AttributeError):
        w.display_until = D(2030, 1, 1)


def test_unknown_severity_is_not_silently_accepted():
    with pytest.raises(KeyError):
        penalty_window("特别严重", D(2026, 5, 10))
