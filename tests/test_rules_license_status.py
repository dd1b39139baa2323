"""A licence's status from its dates (portal/rules/license_status.py)."""

import datetime as dt

import pytest

from portal.rules.license_status import derive

TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    "valid_from, valid_to, long_term, reported, label",
    [
        (dt.date(2020, 1, 1), dt.date(2025, 12, 31), False, "有效", "已过期"),  # the exchange's snapshot is stale
        (dt.date(2020, 1, 1), dt.date(2026, 6, 1), False, "有效", "有效"),  # the last day still counts
        (dt.date(2020, 1, 1), dt.date(2026, 5, 31), False, None, "已过期"),
        (dt.date(2026, 7, 1), dt.date(2030, 1, 1), False, "有效", "未生效"),
        (dt.date(2020, 1, 1), None, True, None, "有效"),
        (None, dt.date(2027, 1, 1), False, None, "有效"),
        (None, None, False, None, "有效期未载明"),
        (dt.date(2020, 1, 1), dt.date(2030, 1, 1), False, "已注销", "已注销"),
        (dt.date(2020, 1, 1), dt.date(2030, 1, 1), False, "吊销", "已吊销"),
        (dt.date(2020, 1, 1), dt.date(2030, 1, 1), False, "撤销", "已撤销"),
    ],
)
def test_status_from_dates(valid_from, valid_to, long_term, reported, label):
    assert derive(valid_from, valid_to, long_term, reported, TODAY).label == label
