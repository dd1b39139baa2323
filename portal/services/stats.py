"""Counts shown on the home page."""
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import License, ListEntry, Penalty
from portal.visibility import public_filter


def public_counts() -> dict[str, int]:
    today = clock.today()
    return {
        name: db.session.scalar(select(func.count()).select_from(model).where(public_filter(model, today)))
        for name, model in (("licenses", License), ("penalties", Penalty), ("list_entries", ListEntry))
    }
