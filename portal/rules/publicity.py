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
    """The window of one penalty; a 公示截止期 given in the record sets the end of display."""
    minimum, maximum = PERIOD_MONTHS[severity or DEFAULT_SEVERITY]
    repair_from = add_months(decided_on, minimum) + dt.timedelta(days=1) if minimum else decided_on
    return Window(repair_from=repair_from, display_until=deadline or add_months(decided_on, maximum))


def maximum_display_until(severity: str, decided_on: dt.date) -> dt.date:
    """End of display at the maximum period, ignoring a shorter record deadline (breach of a repair commitment)."""
    return add_months(decided_on, PERIOD_MONTHS[severity or DEFAULT_SEVERITY][1])
