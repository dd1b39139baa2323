"""Who may apply for credit repair, and from when."""

import datetime as dt

from portal.rules.repair import repair_eligibility

D = dt.date


def check(today, **kw):
    args = dict(is_person=False, repair_from=D(2026, 9, 2), display_until=D(2027, 6, 1), on_display=True, today=today)
    return repair_eligibility(**{**args, **kw})


def test_after_the_minimum_period_an_organisation_may_apply():
    assert check(D(2026, 9, 2)).allowed
    assert check(D(2027, 6, 1)).allowed


def test_before_the_minimum_period_the_date_is_given():
    result = check(D(2026, 9, 1))
    assert not result.allowed and result.possible_from == D(2026, 9, 2)
    assert "2026年9月2日起方可申请" in result.message


def test_natural_persons_and_records_not_on_display():
    assert "法人和非法人组织" in check(D(2026, 10, 1), is_person=True).message
    assert not check(D(2026, 10, 1), on_display=False).allowed
    assert "已不再公示" in check(D(2027, 6, 2)).message
