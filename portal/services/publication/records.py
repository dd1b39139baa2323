"""Public double-publicity records (行政许可 / 行政处罚): filtered listings and detail lookups."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal import city, clock
from portal.extensions import db
from portal.models import License, Penalty
from portal.rules.categories import LICENSE_CATEGORIES, PENALTY_CATEGORIES
from portal.search import presentations
from portal.services.core import figures
from portal.services.core.paging import Page, Position, bounded_count, keyset
from portal.services.publication import filter_plans, markers
from portal.visibility import is_public, public_filter

# A filtered listing counts at most this many rows ("200+"), walking until it has them unless a
# rare filter drives (filter_plans).
FILTERED_COUNT_CAP = 200
CATEGORIES = {"license": LICENSE_CATEGORIES, "penalty": PENALTY_CATEGORIES}
_MODELS = {"license": License, "penalty": Penalty}
_KINDS = {model: kind for kind, model in _MODELS.items()}


def region_name(code: str | None) -> str | None:
    return city.current().district_name(code)


def regions() -> list[tuple[str, str]]:
    """(code, name) of the city's districts, for the listing filter."""
    return [(d.code, d.name) for d in city.current().districts]


@dataclass(frozen=True)
class Filters:
    """What a visitor may narrow a listing by; empty values mean 'any'."""

    authority: str = ""
    category: str = ""
    region: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def __bool__(self) -> bool:
        return any((self.authority, self.category, self.region, self.date_from, self.date_to))

    @classmethod
    def from_args(cls, args) -> Filters:
        return cls(
            authority=(args.get("authority") or "").strip()[:100],
            category=(args.get("category") or "").strip(),
            region=(args.get("region") or "").strip(),
            date_from=_parse_date(args.get("date_from")),
            date_to=_parse_date(args.get("date_to")),
        )


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _filters(model, f: Filters) -> list[filter_plans.Filter]:
    found = []
    if f.authority:
        found.append(filter_plans.authority_contains(model, f.authority))
    if f.category and model is License:
        # One of six national categories, read in order through its index
        # (models.publicity LICENSE_CATEGORY) when rare enough to drive.
        category = License.category == f.category
        found.append(filter_plans.Filter(category, category, ("category", f.category), covering=True))
    elif f.category:
        found.append(filter_plans.with_item(Penalty, "categories", f.category))
    if f.region:
        found.append(filter_plans.in_region(model, f.region))
    if f.date_from:
        found.append(filter_plans.Filter(model.decided_on >= f.date_from))
    if f.date_to:
        found.append(filter_plans.Filter(model.decided_on <= f.date_to))
    return found


def planned(model, f: Filters) -> filter_plans.Plan:
    """How a listing with these filters reads its records (portal.services.publication.filter_plans)."""
    return filter_plans.plan(model, _filters(model, f), lambda: public_count(_KINDS[model])[0])


def conditions(model, f: Filters) -> list:
    """The filters as a listing tests them."""
    return planned(model, f).conditions


def present(kind: str, records: list, today: dt.date) -> list[dict]:
    """Presenter dicts of public records with their markers, in the order given (stored
    presentations where they may be served: portal.search.presentations)."""
    views = presentations.present(kind, [r.id for r in records], today, {r.id: r for r in records})
    return markers.attach(kind, [views[r.id] for r in records])


def _loaded(model):
    return select(model).options(selectinload(model.subject))


def _public(model, today: dt.date, *where):
    # The filters first: of two upper bounds on the decision date (date_to, and today's in the
    # public filter), SQLite ranges over the first it reads; today's read 10 years for 5 days.
    return select(model).where(*where, public_filter(model, today))


def public_count(kind: str) -> tuple[int, dt.datetime]:
    """Public records of a kind today: a cached figure (see services.figures)."""
    model, today = _MODELS[kind], clock.today()
    return figures.cached(
        f"public:{kind}",
        lambda: db.session.scalar(select(func.count()).select_from(model).where(public_filter(model, today))),
    )


def _oldest_public(kind: str) -> dt.date | None:
    """The oldest decision date on display: where the last page of the listing starts looking."""
    model, today = _MODELS[kind], clock.today()

    def oldest() -> int:
        day = db.session.scalar(select(func.min(model.decided_on)).where(public_filter(model, today)))
        return day.toordinal() if day else 0

    ordinal, _ = figures.cached(f"oldest:{kind}", oldest)
    return dt.date.fromordinal(ordinal) if ordinal else None


def _filtered_count(
    kind: str, filters: Filters, how: filter_plans.Plan, today: dt.date, oldest: dt.date | None
) -> tuple[int, bool, dt.datetime]:
    """(count up to FILTERED_COUNT_CAP, whether there are more, when counted): a cached figure per
    filter, since a filter that few records pass walks many rows to find that it has fewer than
    the cap. A walk counts in the listing's order (the rows it shows first); records read through
    a filter's index are counted as they come, stopping at the cap instead of sorting all."""
    model = _MODELS[kind]
    stmt = _public(model, today, *how.count_conditions)
    order = (model.decided_on.desc(), model.id.desc()) if how.count_in_order else ()
    if not order and oldest:
        # A filter's index read in its own order starts at its oldest records, most of them no
        # longer public (罚款: 0.1 s cold to count 201); its entries are ordered by date within it.
        stmt = stmt.where(model.decided_on >= oldest)

    def count() -> int:  # the cap plus one stands for "more than the cap"
        found, more = bounded_count(stmt, FILTERED_COUNT_CAP, order)
        return found + more

    key = hashlib.sha256(repr((kind, filters, FILTERED_COUNT_CAP)).encode()).hexdigest()[:32]
    value, counted_at = figures.cached(figures.PER_QUERY + key, count)
    return min(value, FILTERED_COUNT_CAP), value > FILTERED_COUNT_CAP, counted_at


def public_records(kind: str, filters: Filters = Filters(), position: Position | None = None) -> Page:
    """One page of public licences or penalties, newest decision first, at a bounded cost."""
    model, today = _MODELS[kind], clock.today()
    how = planned(model, filters)
    stmt = _public(model, today, *how.conditions)
    oldest = _oldest_public(kind)
    if filters:
        total = _filtered_count(kind, filters, how, today, oldest)
    else:
        count, counted_at = public_count(kind)
        total = (count, False, counted_at)
    return keyset(
        stmt,
        (model.decided_on, model.id),
        position or Position(),
        lambda rows: present(kind, rows, today),
        total,
        oldest=oldest,
        load=_loaded(model),
    )


def latest(kind: str, limit: int = 5) -> list[dict]:
    """The newest public records (by their stored presentations: the rows need not be loaded)."""
    model, today = _MODELS[kind], clock.today()
    newest = select(model.id).where(public_filter(model, today)).order_by(model.decided_on.desc(), model.id.desc())
    ids = db.session.scalars(newest.limit(limit)).all()
    views = presentations.present(kind, ids, today)
    return markers.attach(kind, [views[i] for i in ids if i in views])


def public_record(kind: str, record_id: int) -> dict | None:
    """The record's presenter dict, or None when it does not exist or is not public today."""
    record, today = db.session.get(_MODELS[kind], record_id), clock.today()
    if record is None or not is_public(record, today):
        return None
    return present(kind, [record], today)[0]
