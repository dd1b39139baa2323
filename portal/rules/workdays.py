"""Working-day arithmetic on the Chinese calendar, adjusted working days included.

The calendar comes from the `chinesecalendar` package, which follows the State Council's yearly
notice. For a year the package does not know yet (the notice comes out each November), only
weekends count as days off; `calendar_known` tells callers when that happens.
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import lru_cache

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)
# Days covered by the prefix table below; outside it the slow path counts day by day.
_TABLE_START, _TABLE_END = dt.date(2000, 1, 1), dt.date(2040, 12, 31)


@lru_cache(maxsize=8192)
def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


@lru_cache(maxsize=1)
def _prefix() -> list[int]:
    """prefix[i]: working days in [_TABLE_START, _TABLE_START + i days); makes counting O(1)."""
    counts, total, day = [0], 0, _TABLE_START
    while day <= _TABLE_END:
        total += is_workday(day)
        counts.append(total)
        day += ONE_DAY
    return counts


def _in_table(day: dt.date) -> bool:
    return _TABLE_START <= day <= _TABLE_END


def calendar_known(day: dt.date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (start itself not counted)."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return start
    if _in_table(start):
        prefix = _prefix()
        # first index whose count reaches the start's count + n, i.e. the n-th working day after start
        target = prefix[(start - _TABLE_START).days + 1] + n
        index = bisect.bisect_left(prefix, target)
        if index < len(prefix):
            return _TABLE_START + dt.timedelta(days=index - 1)
    day = start
    while n:
        day += ONE_DAY
        if is_workday(day):
            n -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    if _in_table(start) and _in_table(end):
        prefix = _prefix()
        return prefix[(end - _TABLE_START).days + 1] - prefix[(start - _TABLE_START).days + 1]
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_workday(day)
    return count


PUBLICATION_LIMIT_WORKDAYS = 7


def published_in_time(decided_on: dt.date, published_on: dt.date, limit: int = PUBLICATION_LIMIT_WORKDAYS) -> bool:
    return workdays_between(decided_on, published_on) <= limit


# Handling time limits in working days, as published in the repair and objection guides.
REPAIR_ACCEPT_WORKDAYS = 3
REPAIR_DECIDE_WORKDAYS = 10
OBJECTION_ACCEPT_WORKDAYS = 2
OBJECTION_VERIFY_WORKDAYS = 10
# No national figure for commitments: a department's own practice.
COMMITMENT_ACCEPT_WORKDAYS = 5
