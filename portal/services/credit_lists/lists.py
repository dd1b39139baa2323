"""Red lists, serious-dishonesty lists and the abnormal-operations list: current public entries."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import clock
from portal.models import ListEntry, ListKind
from portal.models.lists import LIST_TYPES
from portal.presenters import list_entry_view
from portal.services.core.paging import Page, paginate
from portal.services.publication import markers
from portal.visibility import public_filter


def present(entries: list, today: dt.date) -> list[dict]:
    return markers.attach("list_entry", [list_entry_view(e, today) for e in entries])


def current_entries(kind: ListKind, list_type: str = "", page: int = 1) -> Page:
    """Entries of one list that are public today, most recently listed first."""
    today = clock.today()
    where = [public_filter(ListEntry, today), ListEntry.kind == kind]
    if list_type:
        where.append(ListEntry.list_type == list_type)
    stmt = (
        select(ListEntry)
        .where(*where)
        .options(selectinload(ListEntry.subject))
        .order_by(ListEntry.listed_on.desc(), ListEntry.id.desc())
    )
    return paginate(stmt, page, lambda rows: present(rows, today))


def list_types(kind: ListKind) -> tuple[str, ...]:
    return LIST_TYPES[kind]
