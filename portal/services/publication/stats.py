"""Counts and latest items shown on the home page."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal import clock
from portal.extensions import db
from portal.models import ListEntry
from portal.presenters import list_entry_view
from portal.services.articles import content
from portal.services.core import figures
from portal.services.publication import records, trends
from portal.visibility import public_filter, removal_notice_filter


def public_counts() -> dict[str, int]:
    """Totals on display today: cached figures, recounted every few minutes (services.figures)."""
    today = clock.today()

    def count(model):
        return lambda: db.session.scalar(select(func.count()).select_from(model).where(public_filter(model, today)))

    return {
        "licenses": records.public_count("license")[0],
        "penalties": records.public_count("penalty")[0],
        "list_entries": figures.cached("public:list_entry", count(ListEntry))[0],
    }


def latest_list_changes(limit: int = 5) -> list[dict]:
    """The newest list changes: entries listed (still current) and entries removed, newest first."""
    today = clock.today()
    changes = []
    for change, condition, column in (
        ("列入", public_filter(ListEntry, today), ListEntry.listed_on),
        ("移出", removal_notice_filter(today), ListEntry.removed_on),
    ):
        entries = db.session.scalars(
            select(ListEntry)
            .where(condition)
            .options(selectinload(ListEntry.subject))
            .order_by(column.desc(), ListEntry.id.desc())
            .limit(limit)
        )
        for entry in entries:
            changes.append(
                {**list_entry_view(entry, today), "change": change, "change_on": getattr(entry, column.key).isoformat()}
            )
    changes.sort(key=lambda c: (c["change_on"], c["id"]), reverse=True)
    return changes[:limit]


def home_page() -> dict:
    return {
        "counts": public_counts(),
        "licenses": records.latest("license"),
        "penalties": records.latest("penalty"),
        "list_changes": latest_list_changes(),
        "articles": content.latest_articles(),
        "trend": trends.monthly_public_records(),
    }
