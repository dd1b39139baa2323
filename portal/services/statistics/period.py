"""Reporting periods: a quarter (2026Q3), a month (2026-07), a year (2026) or the last 12 months
(12m, ending today). Pure: parsing and bounds only."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from portal.rules.publicity import add_months


class PeriodError(ValueError):
    """The period text is not understood; the message is Chinese."""


@dataclass(frozen=True)
class Period:
    code: str
    label: str
    start: dt.date  # first day
    end: dt.date  # last day, included

    def months(self) -> list[str]:
        """'YYYY-MM' of every month the period touches, in order."""
        out, day = [], self.start.replace(day=1)
        while day <= self.end:
            out.append(f"{day:%Y-%m}")
            day = add_months(day, 1)
        return out

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def _month_end(year: int, month: int) -> dt.date:
    return add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)


FIRST_YEAR, LAST_YEAR = 1990, 2100


def parse(text: str, today: dt.date) -> Period:
    value = (text or "").strip().upper()
    year_text = re.match(r"\d{4}", value)
    if year_text and not FIRST_YEAR <= int(year_text[0]) <= LAST_YEAR:
        raise PeriodError(f"统计期“{text}”的年份应在{FIRST_YEAR}到{LAST_YEAR}之间")
    if match := re.fullmatch(r"(\d{4})Q([1-4])", value):
        year, quarter = int(match[1]), int(match[2])
        first = 3 * (quarter - 1) + 1
        return Period(value, f"{year}年第{quarter}季度", dt.date(year, first, 1), _month_end(year, first + 2))
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"统计期“{text}”的月份应在1到12之间")
        return Period(f"{year}-{month:02d}", f"{year}年{month}月", dt.date(year, month, 1), _month_end(year, month))
    if match := re.fullmatch(r"(\d{4})", value):
        year = int(match[1])
        return Period(value, f"{year}年", dt.date(year, 1, 1), dt.date(year, 12, 31))
    if value == "12M":
        return Period("12m", "近12个月", add_months(today, -12) + dt.timedelta(days=1), today)
    raise PeriodError(
        f"统计期“{text}”无法识别，应为季度（如2026Q3）、月份（如2026-07）、年份（如2026）或12m（近12个月）"
    )


def current_quarter(today: dt.date) -> Period:
    return parse(f"{today.year}Q{(today.month - 1) // 3 + 1}", today)


def previous_quarter(today: dt.date) -> Period:
    return current_quarter(current_quarter(today).start - dt.timedelta(days=1))
