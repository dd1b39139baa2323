"""Figures too costly to count on every page view (home-page totals, listing totals), cached in the
database as a derived copy: recounted when older than MAX_AGE, on another day, or after the search
indexer applied changes (`forget`). Every process and app server shares them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from flask import g
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from portal import clock
from portal.extensions import db
from portal.models import CachedFigure
from portal.models.base import utcnow

MAX_AGE = dt.timedelta(minutes=10)


SNAPSHOT_SECONDS = 1.0  # how long one app context reuses the figures it read
# Names of figures of one query (a listing's filter): many, each read alone, never in the snapshot.
PER_QUERY = "q:"

_COLUMNS = (CachedFigure.name, CachedFigure.value, CachedFigure.day, CachedFigure.computed_at)


def _stored() -> dict[str, tuple[int, dt.date, dt.datetime]]:
    """Every stored site-wide figure, read in one query (the home page shows some thirty) and kept
    for the app context a moment: a request reads the table once."""
    snapshot = g.get("cached_figures")
    if snapshot is None or time.monotonic() - snapshot[0] > SNAPSHOT_SECONDS:
        rows = db.session.execute(select(*_COLUMNS).where(CachedFigure.name.not_like(f"{PER_QUERY}%")))
        snapshot = g.cached_figures = (time.monotonic(), {n: (v, d, clock.as_utc(at)) for n, v, d, at in rows})
    return snapshot[1]


def _one(name: str) -> dict[str, tuple[int, dt.date, dt.datetime]]:
    rows = db.session.execute(select(*_COLUMNS).where(CachedFigure.name == name))
    return {n: (v, d, clock.as_utc(at)) for n, v, d, at in rows}


def cached(name: str, compute: Callable[[], int]) -> tuple[int, dt.datetime]:
    """(value, when it was counted)."""
    today, now = clock.today(), utcnow()
    stored = _one(name) if name.startswith(PER_QUERY) else _stored()
    if name in stored:
        value, day, computed_at = stored[name]
        if day == today and now - computed_at < MAX_AGE:
            return value, computed_at
    value = compute()
    stored[name] = (value, today, now)
    try:
        db.session.merge(CachedFigure(name=name, value=value, day=today, computed_at=now))
        db.session.commit()
    except SQLAlchemyError:  # stored by another process at the same moment, or a read-only replica
        db.session.rollback()
    return value, now


def forget() -> None:
    """Recount everything on next use (the data changed); the caller commits."""
    db.session.execute(delete(CachedFigure))
    g.pop("cached_figures", None)
