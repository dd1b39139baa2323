"""One page of a query's results, already passed through a presenter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, func, select

from portal.extensions import db

PER_PAGE = 20


def page_count(total: int, per_page: int = PER_PAGE) -> int:
    return max(1, -(-total // per_page))


@dataclass(frozen=True)
class Page:
    items: list[dict]
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(stmt: Select, page: int, present: Callable[[list], list[dict]], per_page: int = PER_PAGE) -> Page:
    """`stmt` must already be ordered; `present` turns the page's models into presenter dicts."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page = min(max(1, page), page_count(total, per_page))  # past the end: the last page
    rows = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(present(rows), total, page, per_page)
