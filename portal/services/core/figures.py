"""Figures too costly to count on every page view (home-page totals, listing totals), cached in the
database as a derived copy: recounted when older than MAX_AGE, on another day, or after the search
indexer applied changes (`forget`). Every process and app server shares them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import delete
from sqlalchemy.exc import SQLAlchemyError

from portal import clock
from portal.extensions import db
from portal.models import CachedFigure
from portal.models.base import utcnow

MAX_AGE = dt.timedelta(minutes=10)


def cached(name: str, compute: Callable[[], int]) -> tuple[int, dt.datetime]:
    """(value, when it was counted)."""
    today, now = clock.today(), utcnow()
    row = db.session.get(CachedFigure, name)
    if row is not None and row.day == today and now - clock.as_utc(row.computed_at) < MAX_AGE:
        return row.value, clock.as_utc(row.computed_at)
    value = compute()
    try:
        db.session.merge(CachedFigure(name=name, value=value, day=today, computed_at=now))
        db.session.commit()
    except SQLAlchemyError:  # stored by another process at the same moment, or a read-only replica
        db.session.rollback()
    return value, now


def forget() -> None:
    """Recount everything on next use (the data changed); the caller commits."""
    db.session.execute(delete(CachedFigure))
