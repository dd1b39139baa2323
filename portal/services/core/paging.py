"""One page of a query's results, already passed through a presenter, at a bounded cost.

No page counts a whole table or skips an unbounded number of rows:
- counts stop at MAX_PAGES pages of rows (shown as "2000+"), unless the caller knows the total (a cached figure);
- numbered pages go up to MAX_PAGES (an offset of at most MAX_PAGES * PER_PAGE rows, as the national
  systems cap their listings); past them, `keyset` pages continue from the last row seen
  (`after=`), go back from the first (`before=`), and jump to the oldest rows (`last=1`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Select, func, literal_column, select, tuple_

from portal.extensions import db
from portal.services.core import plan_settings

PER_PAGE = 20
MAX_PAGES = 100


def page_count(total: int, per_page: int = PER_PAGE) -> int:
    return max(1, -(-total // per_page))


@dataclass(frozen=True)
class Page:
    items: list[dict]
    total: int
    page: int | None  # None for a keyset page beyond the numbered ones
    per_page: int = PER_PAGE
    total_capped: bool = False  # `total` is a lower bound: there are more
    counted_at: dt.datetime | None = None  # when a cached total was counted
    # Query arguments of the neighbouring pages (None: there is none).
    prev: dict | None = None
    next: dict | None = None
    first: dict = field(default_factory=lambda: {"page": 1})
    last: dict | None = None

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.prev is not None

    @property
    def has_next(self) -> bool:
        return self.next is not None


def bounded_count(stmt: Select, cap: int | None = None, order: tuple = ()) -> tuple[int, bool]:
    """Rows of `stmt`, counting at most `cap` (and whether there were more).

    `order`: walk the rows in the listing's order (its index), so that a count that stops at the cap
    reads the rows the listing shows first; unordered, SQLite walked the oldest rows first, most of
    them no longer public (27 ms against 7 ms for a filtered penalty listing at 100k records)."""
    cap = cap or MAX_PAGES * PER_PAGE
    plan_settings.set_local(plan_settings.SERIAL)
    # maintain_column_froms: a query without a WHERE on its table would otherwise lose its FROM.
    limited = (
        stmt.order_by(None)
        .order_by(*order)
        .with_only_columns(literal_column("1"), maintain_column_froms=True)
        .limit(cap + 1)
        .subquery()
    )
    total = db.session.scalar(select(func.count()).select_from(limited))
    return min(total, cap), total > cap


def _offset_links(page: int, pages: int) -> dict:
    return {
        "prev": {"page": page - 1} if page > 1 else None,
        "next": {"page": page + 1} if page < pages else None,
        "last": {"page": pages} if page < pages else None,
    }


def paginate(stmt: Select, page: int, present: Callable[[list], list[dict]], per_page: int = PER_PAGE) -> Page:
    """Numbered pages of an ordered `stmt`, up to MAX_PAGES; past the end: the last page."""
    total, capped = bounded_count(stmt, MAX_PAGES * per_page)
    pages = page_count(total, per_page)
    page = min(max(1, page), pages)
    rows = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(present(rows), total, page, per_page, capped, **_offset_links(page, pages))


@dataclass(frozen=True)
class Cursor:
    """A row's place in a newest-first listing: its decision date and id."""

    day: dt.date
    id: int

    def encode(self) -> str:
        return f"{self.day.isoformat()}.{self.id}"

    @classmethod
    def parse(cls, value: str | None) -> Cursor | None:
        day, _, ident = (value or "").partition(".")
        try:
            return cls(dt.date.fromisoformat(day), int(ident)) if ident.isdigit() and len(ident) < 19 else None
        except ValueError:
            return None


@dataclass(frozen=True)
class Position:
    """Where a visitor is in a listing: a page number, after or before a row, or the oldest rows."""

    page: int = 1
    after: Cursor | None = None
    before: Cursor | None = None
    last: bool = False

    @classmethod
    def from_args(cls, args) -> Position:
        page = args.get("page", "1")
        return cls(
            page=min(int(page), 10**9) if page.isdigit() else 1,  # a huge number: past the end, the last page
            after=Cursor.parse(args.get("after")),
            before=Cursor.parse(args.get("before")),
            last=args.get("last") == "1",
        )


def keyset(
    stmt: Select,
    columns: tuple,
    position: Position,
    present: Callable[[list], list[dict]],
    total: tuple[int, bool, dt.datetime | None],
    oldest: dt.date | None = None,
    load: Select | None = None,
) -> Page:
    """A newest-first page of `stmt` (filtered, not ordered) by `columns` = (date column, id column).

    Next and previous links continue from the rows shown (never by offset), so rows inserted
    meanwhile neither repeat nor hide rows on the next page; a page number is only a label there.
    `total` = (count, capped, counted_at); `oldest` is a lower bound of the dates of every row the
    listing can show, so that the last page starts near its rows instead of skipping hidden ones;
    `load` reads the page's rows by their ids (default: `stmt`, whose filters they pass anyway).
    """
    day, ident = columns
    load = stmt if load is None else load
    plan_settings.set_local(plan_settings.SERIAL)
    count, capped, counted_at = total
    pages = None if capped else page_count(count)
    newest, oldest_order = (day.desc(), ident.desc()), (day.asc(), ident.asc())
    newest_first, oldest_first = stmt.order_by(*newest), stmt.order_by(*oldest_order)
    if oldest is not None:
        oldest_first = oldest_first.where(day >= oldest)
    numbered = not (position.after or position.before or position.last)
    page = position.page
    if numbered and pages and page >= pages:  # the last page, or past the end
        page = pages if pages <= MAX_PAGES else MAX_PAGES + 1
    elif numbered and page > MAX_PAGES:  # numbered pages stop at the cap; "next" goes on
        page = MAX_PAGES

    def fetch(query: Select, order: tuple = newest) -> list:
        """The rows of `query` (ordered by `order`, limited): their ids first, from the index the
        query walks or sorts (index entries, not whole rows), then just those rows."""
        return db.session.scalars(load.where(ident.in_(query.with_only_columns(ident))).order_by(*order)).all()

    if position.after:
        after = tuple_(day, ident) < (position.after.day, position.after.id)
        rows = fetch(newest_first.where(after).limit(PER_PAGE + 1))
        more_before, more_after = True, len(rows) > PER_PAGE
        rows = rows[:PER_PAGE]
    elif position.before or position.last or page > MAX_PAGES:
        older = oldest_first
        if position.before:
            older = older.where(tuple_(day, ident) > (position.before.day, position.before.id))
        rows = list(reversed(fetch(older.limit(PER_PAGE + 1), oldest_order)))
        more_before, more_after = len(rows) > PER_PAGE, bool(position.before)
        rows = rows[1:] if more_before else rows
        page = page if position.before else pages
    else:
        rows = fetch(newest_first.limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE))
        more_before, more_after = page > 1, len(rows) > PER_PAGE
        rows = rows[:PER_PAGE]
    label = page if page and (pages is None or page <= pages) else None

    def link(row, direction: str, number: int | None) -> dict:
        args = {direction: Cursor(getattr(row, day.key), getattr(row, ident.key)).encode()}
        return {**args, "page": number} if number else args

    return Page(
        present(rows),
        count,
        label,
        PER_PAGE,
        capped,
        counted_at,
        prev=link(rows[0], "before", label - 1 if label and label > 1 else None) if rows and more_before else None,
        next=link(rows[-1], "after", label + 1 if label else None) if rows and more_after else None,
        last={"last": "1"} if more_after else None,
    )
