"""How far back the newest N records reach, read from column statistics (portal.search.recency)."""

import datetime as dt

import pytest

from portal.search.recency import date_at, reach

D = dt.date


def test_common_dates_and_histogram_buckets_add_up_newest_first():
    reached = reach(
        null_frac=0.2,
        common=[D(2026, 12, 1), D(2026, 11, 30)],
        common_shares=[0.1, 0.1],
        bounds=[D(2026, 1, 1), D(2026, 6, 1), D(2026, 11, 1)],
        rows=1000,
    )
    assert [day for day, _ in reached] == [D(2026, 12, 1), D(2026, 11, 30), D(2026, 6, 1), D(2026, 1, 1)]
    assert [round(records) for _, records in reached] == [100, 200, 500, 800]
    assert date_at(reached, 50) == D(2026, 12, 1)
    assert date_at(reached, 150) == D(2026, 11, 30)
    assert date_at(reached, 201) == D(2026, 6, 1)  # a bucket counts from its lower bound
    assert date_at(reached, 799) == D(2026, 1, 1)
    assert date_at(reached, 801) is None


def test_a_common_date_that_is_also_a_bound_is_one_step():
    reached = reach(0.0, [D(2026, 6, 1)], [0.5], [D(2026, 1, 1), D(2026, 6, 1)], rows=100)
    assert reached == [(D(2026, 6, 1), pytest.approx(50.0)), (D(2026, 1, 1), pytest.approx(100.0))]


def test_no_statistics_reach_nowhere():
    assert reach(None, None, None, None, None) == []
    assert reach(0.0, [], [], [], 0) == []
    assert date_at([], 10) is None
