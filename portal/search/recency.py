"""How far back the newest N records reach, from PostgreSQL's column statistics of decision dates.

pg_stats describes a column by its most common values with their shares of the rows, and an
equal-share histogram of the other values. Walking both from the newest date back gives, for each
date, about how many records were decided on or after it. An estimate only: the search uses it to
choose a window it then checks (portal.search.pg_backend).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence


def reach(
    null_frac: float | None,
    common: Sequence[dt.date] | None,
    common_shares: Sequence[float] | None,
    bounds: Sequence[dt.date] | None,
    rows: float | None,
) -> list[tuple[dt.date, float]]:
    """(date, records decided on or after it), newest date first."""
    common, common_shares, bounds = list(common or []), list(common_shares or []), list(bounds or [])
    if not rows or rows <= 0:
        return []
    shares = list(zip(common, common_shares, strict=True))
    buckets = len(bounds) - 1
    if buckets > 0:
        rest = max(0.0, 1.0 - (null_frac or 0.0) - sum(common_shares))
        # A bucket's rows lie between its bounds: counted from its lower bound, never too early.
        shares += [(bounds[i], rest / buckets) for i in range(buckets)]
    out: list[tuple[dt.date, float]] = []
    total = 0.0
    for day, share in sorted(shares, key=lambda pair: pair[0], reverse=True):
        total += share * rows
        if out and out[-1][0] == day:
            out[-1] = (day, total)
        else:
            out.append((day, total))
    return out


def date_at(reached: list[tuple[dt.date, float]], depth: int) -> dt.date | None:
    """The newest date on or after which about `depth` records were decided; None if none is."""
    for day, records in reached:
        if records >= depth:
            return day
    return None
