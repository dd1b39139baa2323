"""The public columns as open data: filtered, newest first, in keyset pages or streamed in batches.

Each column is the page's own query: the visibility rule of portal.visibility (articles: published
and due), the presenters of portal.presenters, and the listing filters of the pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Select, and_, func, select, tuple_
from sqlalchemy.orm import selectinload

from portal import clock
from portal.extensions import db
from portal.models import Article, Commitment, CommitmentType, License, ListEntry, ListKind, Penalty
from portal.models import Column as ArticleColumn
from portal.models.opendata import VisibilityEvent
from portal.presenters import article_view, commitment_view
from portal.services.articles import content
from portal.services.credit_lists import lists
from portal.services.opendata import cursor
from portal.services.publication import filter_plans, records
from portal.visibility import public_filter

MAX_LIMIT = 100
STREAM_BATCH = 1000


@dataclass(frozen=True)
class Query:
    """What an API client or an extract narrows a column by; empty values mean 'any'."""

    authority: str = ""
    category: str = ""
    region: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: str = ""  # list entries: red, black, abnormal
    list_type: str = ""
    type: str = ""  # commitments: 承诺类型
    column: str = ""  # articles: 栏目 slug


ANY = Query()


@dataclass(frozen=True)
class OpenColumn:
    name: str
    label: str
    model: type
    day: object  # the date (or time) column the listing is ordered by, newest first
    public: Callable[[dt.date], object]  # SQL condition: public today
    conditions: Callable[[Query], list]
    present: Callable[[list, dt.date], list[dict]]
    preload: tuple = field(default=())


def _decision_conditions(model):
    def build(q: Query) -> list:
        f = records.Filters(q.authority.strip()[:100], q.category, q.region, q.date_from, q.date_to)
        return records.conditions(model, f)

    return build


def _list_conditions(q: Query) -> list:
    where = []
    if q.kind:
        where.append(ListEntry.kind == ListKind(q.kind))
    if q.list_type:
        where.append(ListEntry.list_type == q.list_type)
    if q.authority:
        where.append(ListEntry.authority.contains(q.authority.strip()[:100], autoescape=True))
    if q.region:
        where.append(filter_plans.subject_in_region(ListEntry, q.region))
    if q.date_from:
        where.append(ListEntry.listed_on >= q.date_from)
    if q.date_to:
        where.append(ListEntry.listed_on <= q.date_to)
    return where


def _commitment_conditions(q: Query) -> list:
    where = []
    if q.type:
        where.append(Commitment.type == CommitmentType(q.type))
    if q.authority:
        where.append(Commitment.acceptor.contains(q.authority.strip()[:100], autoescape=True))
    if q.date_from:
        where.append(Commitment.made_on >= q.date_from)
    if q.date_to:
        where.append(Commitment.made_on <= q.date_to)
    return where


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.CHINA)


def _article_conditions(q: Query) -> list:
    where = []
    if q.column:
        where.append(Article.column_id.in_(select(ArticleColumn.id).where(ArticleColumn.slug == q.column)))
    if q.date_from:
        where.append(Article.publish_at >= _day_start(q.date_from))
    if q.date_to:
        where.append(Article.publish_at < _day_start(q.date_to + dt.timedelta(days=1)))
    return where


COLUMNS = {
    c.name: c
    for c in (
        OpenColumn(
            "licenses",
            "行政许可",
            License,
            License.decided_on,
            lambda today: public_filter(License, today),
            _decision_conditions(License),
            lambda rows, today: records.present("license", rows, today),
            (selectinload(License.subject), selectinload(License.project)),
        ),
        OpenColumn(
            "penalties",
            "行政处罚",
            Penalty,
            Penalty.decided_on,
            lambda today: public_filter(Penalty, today),
            _decision_conditions(Penalty),
            lambda rows, today: records.present("penalty", rows, today),
            (selectinload(Penalty.subject), selectinload(Penalty.project)),
        ),
        OpenColumn(
            "list_entries",
            "信用名单",
            ListEntry,
            ListEntry.listed_on,
            lambda today: public_filter(ListEntry, today),
            _list_conditions,
            lists.present,
            (selectinload(ListEntry.subject),),
        ),
        OpenColumn(
            "commitments",
            "信用承诺",
            Commitment,
            Commitment.made_on,
            lambda today: public_filter(Commitment, today),
            _commitment_conditions,
            lambda rows, today: [commitment_view(c) for c in rows],
            (selectinload(Commitment.subject),),
        ),
        OpenColumn(
            "articles",
            "新闻资讯",
            Article,
            Article.publish_at,
            lambda today: content.public_filter(),
            _article_conditions,
            lambda rows, today: [article_view(a) for a in rows],
            (selectinload(Article.column),),
        ),
    )
}


def _statement(col: OpenColumn, q: Query, today: dt.date) -> Select:
    # The filters first: SQLite ranges over the first of two upper bounds on a date (records._public).
    return select(col.model).where(*col.conditions(q), col.public(today)).options(*col.preload)


def _key(col: OpenColumn, row) -> tuple:
    day = getattr(row, col.day.key)
    return (day.isoformat() if day is not None else None, row.id)


def _parse_key(col: OpenColumn, values: list) -> tuple:
    day, ident = values
    if not isinstance(day, str) or not isinstance(ident, int) or isinstance(ident, bool):
        raise cursor.BadCursor(values)
    try:
        parsed = dt.datetime.fromisoformat(day) if col.model is Article else dt.date.fromisoformat(day)
    except ValueError as e:
        raise cursor.BadCursor(values) from e
    return parsed, ident


@dataclass(frozen=True)
class Listing:
    items: list[dict]
    next_cursor: str | None
    last_modified: dt.datetime


def _last_change(rows: list) -> dt.datetime:
    """When the answer last changed at the latest: a shown row's edit, a removal, or today's start
    (windows end at midnight)."""
    stamps = [_day_start(clock.today())]
    stamps += [_aware(r.updated_at) for r in rows if getattr(r, "updated_at", None)]
    latest_event = db.session.scalar(select(func.max(VisibilityEvent.at)))
    if latest_event is not None:
        stamps.append(_aware(latest_event))
    return max(stamps)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def page(name: str, q: Query = Query(), after: str | None = None, limit: int = 20) -> Listing:
    """Up to `limit` public rows, newest first, after the row the cursor names (BadCursor if not ours)."""
    col, today = COLUMNS[name], clock.today()
    limit = max(1, min(limit, MAX_LIMIT))
    stmt = _statement(col, q, today)
    if after:
        day, ident = _parse_key(col, cursor.decode(name, after, 2))
        stmt = stmt.where(tuple_(col.day, col.model.id) < (day, ident))
    rows = db.session.scalars(stmt.order_by(col.day.desc(), col.model.id.desc()).limit(limit + 1)).all()
    more, rows = len(rows) > limit, rows[:limit]
    next_cursor = cursor.encode(name, *_key(col, rows[-1])) if more else None
    return Listing(col.present(rows, today), next_cursor, _last_change(rows))


def stream(name: str, q: Query = Query(), batch: int = STREAM_BATCH) -> Iterator[dict]:
    """Every public row of the column, newest first, read in keyset batches: memory stays bounded
    however many rows there are."""
    col, today = COLUMNS[name], clock.today()
    stmt = _statement(col, q, today).order_by(col.day.desc(), col.model.id.desc())
    position = None
    while True:
        chunk = stmt if position is None else stmt.where(tuple_(col.day, col.model.id) < position)
        rows = db.session.scalars(chunk.limit(batch)).all()
        if not rows:
            return
        yield from col.present(rows, today)
        position = (getattr(rows[-1], col.day.key), rows[-1].id)
        db.session.expunge_all()  # the identity map would otherwise keep every row read
        if len(rows) < batch:
            return


def public_ids(name: str, q: Query = Query()) -> set[int]:
    """Ids of every public row of a column today (tests and mirrors compare against it)."""
    col = COLUMNS[name]
    return set(db.session.scalars(select(col.model.id).where(and_(col.public(clock.today()), *col.conditions(q)))))
