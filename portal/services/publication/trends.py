"""Monthly counts of public records for the home page's trend chart, kept as cached figures."""

from __future__ import annotations

import datetime as dt
from functools import cache

from sqlalchemy import extract, func, select

from portal import clock
from portal.extensions import db
from portal.models import License, Penalty
from portal.services.core import figures
from portal.visibility import public_filter

MONTHS = 12
KINDS = {"license": License, "penalty": Penalty}


def last_months(today: dt.date, months: int = MONTHS) -> list[tuple[int, int]]:
    """(year, month) of the `months` months ending with today's, oldest first."""
    index = today.year * 12 + today.month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - months + 1, index + 1)]


def _by_month(model, today: dt.date, start: dt.date) -> dict[tuple[int, int], int]:
    year, month = extract("year", model.decided_on), extract("month", model.decided_on)
    rows = db.session.execute(
        select(year, month, func.count())
        .where(public_filter(model, today), model.decided_on >= start)
        .group_by(year, month)
    )
    return {(int(y), int(m)): n for y, m, n in rows}


def monthly_public_records() -> dict:
    """{"months": ["2025-01", ...], "license": [n, ...], "penalty": [n, ...]}: records on display today
    by the month of their decision. One grouped count fills every month's figure when they are stale."""
    today = clock.today()
    months = last_months(today)
    start = dt.date(months[0][0], months[0][1], 1)
    out: dict = {"months": [f"{y}-{m:02d}" for y, m in months]}
    for kind, model in KINDS.items():
        counted = cache(lambda model=model: _by_month(model, today, start))
        out[kind] = [
            figures.cached(f"trend:{kind}:{y}-{m:02d}", lambda key=(y, m), counted=counted: counted().get(key, 0))[0]
            for y, m in months
        ]
    return out
