"""Handling deadlines in working days: public holidays skipped, adjusted working days counted."""

import datetime as dt

from portal.rules.time_limits import TimeLimits, deadline, overdue, workdays_left

D = dt.date


def test_objection_acceptance_skips_the_national_day_holiday():
    # Submitted Wednesday 30 September 2026; 1–7 October are holidays: Thursday 8 and Friday 9 count.
    assert deadline("objection", "submitted", D(2026, 9, 30)) == D(2026, 10, 9)


def test_adjusted_working_day_counts():
    # Saturday 10 October 2026 is a working day (调休): it is the second of a repair's three days.
    assert deadline("repair", "submitted", D(2026, 10, 8)) == D(2026, 10, 12)
    # Without the adjustment, a plain Saturday is skipped.
    assert deadline("repair", "submitted", D(2026, 11, 5)) == D(2026, 11, 10)


def test_spring_festival_and_its_adjusted_saturday():
    # 2026: 14 February (Saturday) is worked before the Spring Festival holiday of 15–23 February.
    assert deadline("objection", "submitted", D(2026, 2, 13)) == D(2026, 2, 24)


def test_verification_and_decision_run_from_acceptance():
    assert deadline("objection", "accepted", D(2026, 9, 28)) == D(2026, 10, 16)  # 10 working days over the holiday
    assert deadline("repair", "accepted", D(2026, 11, 23)) == D(2026, 12, 7)
    assert deadline("commitment", "accepted", D(2026, 11, 23)) is None  # acceptance is the decision


def test_no_clock_while_waiting_for_material_or_after_a_decision():
    for status in ("more_material", "approved", "rejected", "refused"):
        assert deadline("repair", status, D(2026, 11, 23)) is None


def test_limits_are_configurable():
    assert deadline("objection", "submitted", D(2026, 11, 23), TimeLimits(objection_accept=5)) == D(2026, 11, 30)


def test_overdue_and_days_left():
    due = D(2026, 10, 9)
    assert not overdue(due, due) and overdue(due, D(2026, 10, 10))
    assert workdays_left(due, D(2026, 9, 30)) == 2
    assert workdays_left(due, D(2026, 10, 12)) == -2  # Saturday 10th was a working day
    assert workdays_left(None, due) is None and not overdue(None, due)
