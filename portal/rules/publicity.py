"""Publicity windows of penalty information (信用修复管理办法, in force 2026-04-01).

Periods run from the decision date. The last day of a period is the day with the same number
in the closing month (clamped to its length), following the civil code's counting of periods.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

MINOR, GENERAL, SERIOUS = "轻微", "一般", "严重"
SEVERITIES = (MINOR, GENERAL, SERIOUS)
DEFAULT_SEVERITY = GENERAL

# severity: (minimum months before repair, maximum months on display)
PERIOD_MONTHS = {
    MINOR: (0, 3),
    GENERAL: (3, 12),
    SERIOUS: (12, 36),
}


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Window:
    repair_from: dt.date
    """First day on which the subject may apply for repair."""
    display_until: dt.date
    """Last day of public display."""


def penalty_window(severity: str, decided_on: dt.date, deadline: dt.date | None = None) -> Window:
    """The window of one penalty. A 公示截止期 given in the record may end display earlier, never
    later than the legal maximum (see `deadline_beyond_maximum`)."""
    minimum, maximum = PERIOD_MONTHS[severity or DEFAULT_SEVERITY]
    repair_from = add_months(decided_on, minimum) + dt.timedelta(days=1) if minimum else decided_on
    longest = add_months(decided_on, maximum)
    return Window(repair_from=repair_from, display_until=min(deadline, longest) if deadline else longest)


def deadline_beyond_maximum(severity: str, decided_on: dt.date, deadline: dt.date | None) -> str | None:
    """A Chinese warning when a record's 公示截止期 would keep it public past the legal maximum."""
    longest = maximum_display_until(severity, decided_on)
    if deadline is None or deadline <= longest:
        return None
    months = PERIOD_MONTHS[severity or DEFAULT_SEVERITY][1]
    return (
        f"公示截止期{deadline:%Y-%m-%d}晚于{severity or DEFAULT_SEVERITY}失信信息最长公示期限（{months}个月）"
        f"届满之日{longest:%Y-%m-%d}，将于{longest:%Y-%m-%d}停止公示"
    )


def maximum_display_until(severity: str, decided_on: dt.date) -> dt.date:
    """End of display at the maximum period, ignoring a shorter record deadline (breach of a repair commitment)."""
    return add_months(decided_on, PERIOD_MONTHS[severity or DEFAULT_SEVERITY][1])
