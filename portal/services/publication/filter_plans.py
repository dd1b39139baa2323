"""Listing filters written so that the database reads few rows, however rare the filter.

A listing walks the records newest first and stops at a page: a filter most records pass costs a
few rows, but a rare one (a district with a handful of enterprises, a small authority, a rare
category, a typo) or a rare combination of common ones walked every record to fill a page or to
count it: 1.3-1.6 s at 1,000,000 records, 2 s and more for two filters. Each filter therefore has
two forms:
- `walk`: tested row by row as the listing walks newest first (cheap when many records pass);
- `indexed`: the passing records read through an index of the filter's column, which the
  database then sorts (cheap when few pass).
Which form drives a listing is decided here from bounded counts through the indexes, since the
planners' statistics cannot tell one district or authority from another, nor see that two
filters are rarely met together. A filter no record passes is false.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, false, func, literal, literal_column, select, text

from portal.extensions import db
from portal.models import Subject
from portal.services.core.paging import bounded_count

SMALL = 3000  # records (or a region's subjects) under which a filter is rare, whatever the others
COUNTED = 20_000  # rows of one filter's index counted at most to weigh the plans
COUNTS_KEPT = 600.0  # seconds a process weighs plans by a filter's count (never by a count of 0)
KEPT_COUNTS = 10_000  # filters' counts a process keeps at most
# Rows a walk reads per match it needs, weighed: a page needs 21 matches and a listing's count
# (kept ten minutes) up to 201.
WALK_PER_MATCH = 200
MANY_VALUES = 5000  # distinct values read at most to resolve a filter; past them, only the walk
# A covering filter's records are read from its index's entries, packed dozens to a page: about
# this many for the cost of one record read row by row through another filter's index.
COVERING_GAIN = 10


@dataclass(frozen=True)
class Filter:
    """`walk`: the condition as the walk tests it, exactly; `indexed`: the same records (or a few
    more, which the walk then drops) through an index of the filter's column (None: the walk's
    condition is a range of the listing's own index)."""

    walk: ColumnElement[bool]
    indexed: ColumnElement[bool] | None = None
    key: tuple = ()  # what the filter asks for, to keep its count by
    # Rows of something cheaper to count, as many as pass or more (a region's subjects): past
    # SMALL of them the filter is common without counting its records.
    probe: Select | None = None
    # The index of `indexed` also holds the listing's columns and every other filter's
    # (models.publicity): the database reads, tests and orders the records from its entries.
    # Else, driving, the ids it passes are a subquery, or SQLite would walk the listing's index
    # past the records instead (testing there what the index does not hold).
    covering: bool = False


NOTHING = Filter(false())  # a filter no record can pass: the listing is empty without a query


@dataclass(frozen=True)
class Plan:
    """The conditions of a page of a listing, and of its count (None: the same). A count through
    a filter's index need not walk in order: it stops at its bound wherever the records are."""

    conditions: list
    counting: list | None = None

    @property
    def count_conditions(self) -> list:
        return self.conditions if self.counting is None else self.counting

    @property
    def count_in_order(self) -> bool:
        return self.counting is None


_counts: dict[tuple, tuple[float, int | None]] = {}


def _held(model, one: Filter) -> int | None:
    """The records `one` passes, counted up to a bound (0: none; None: too many to weigh); a count
    is kept a while: it only weighs the plans, and every plan lists the same records."""
    if one.indexed is None:
        return None
    key = (str(db.engine.url), model.__tablename__, one.key)
    kept = _counts.get(key)
    if one.key and kept and time.monotonic() - kept[0] < COUNTS_KEPT:
        return kept[1]
    if one.probe is not None and bounded_count(one.probe, SMALL)[1]:
        held = None
    else:
        found, more = bounded_count(select(model.id).where(one.indexed), SMALL if one.probe is not None else COUNTED)
        held = None if more else found
    if held != 0:
        if len(_counts) >= KEPT_COUNTS:  # visitors type authorities: keep the memory bounded
            _counts.clear()
        _counts[key] = (time.monotonic(), held)
    return held


def _as_rare(condition: ColumnElement[bool], share: float) -> ColumnElement[bool]:
    """`condition`, with the share of records it passes told to SQLite: its statistics rate a rare
    authority or category like an average one, so to fill a page of a rare combination it walked
    the listing's index reading every row (2 s cold at 1M records) instead of the filter's."""
    if db.engine.dialect.name != "sqlite":
        return condition
    return func.likelihood(condition, literal_column(f"{min(share, 1.0):.6f}"))


def _reading_cost(counted: tuple[int, Filter, ColumnElement[bool]]) -> float:
    held, one, _ = counted
    return held / COVERING_GAIN if one.covering else held


def plan(model, filters: list[Filter], total: Callable[[], int]) -> Plan:
    """How a listing with these filters reads its records (`total`: the number of public records
    of `model`, asked for when a filter is weighed).

    The filter cheapest to read drives (the fewest records, a covering index's entries weighed
    lighter) when reading them all costs less than the walk (estimated from the filters' shares as
    if independent): its indexed form, the others tested on those records. Else every filter is
    tested as the listing walks, and the count reads through a covering filter's index if there
    is one.
    """
    if any(one is NOTHING for one in filters):
        return Plan([false()])
    counted: list[tuple[int, Filter, ColumnElement[bool]]] = []
    share = 1.0
    for one in filters:
        if one.indexed is None:
            continue
        held = _held(model, one)
        if held == 0:
            return Plan([false()])
        # One too common to count is taken to pass COUNTED records, as rare as it can be: the walk
        # may then be estimated too long, and at most COUNTED rows are read instead.
        share *= min(1.0, (COUNTED if held is None else held) / max(total(), 1))
        if held is not None:
            counted.append((held, one, one.indexed))
    if counted:
        fewest, driver, indexed = min(counted, key=_reading_cost)
        if fewest <= min(total(), WALK_PER_MATCH / share):
            if driver.covering:
                indexed = _as_rare(indexed, fewest / max(total(), 1))
            else:
                indexed = model.id.in_(select(model.id).where(indexed))
            # Every walk test stays (`indexed` may pass a few more), but the driver's own when it is
            # the same condition (a licence category).
            driven = [indexed, *(one.walk for one in filters if one.walk is not driver.indexed)]
            return Plan(driven, driven)
    walks = [one.walk for one in filters]
    common = next((one for one in filters if one.covering), None)
    if common is None:
        return Plan(walks)
    # Too common to drive a page, but its index holds every other filter's columns: the count
    # reads its first entries instead of walking rows (an authority in every district).
    return Plan(walks, [common.indexed, *walks])


def _distinct(model, column: str) -> list[str] | None:
    """Every distinct value of an indexed text column, one index seek each (None: more than MANY_VALUES)."""
    table = model.__table__.name
    values = db.session.scalars(
        text(
            f"WITH RECURSIVE v(value) AS (SELECT min({column}) FROM {table} UNION ALL "
            f"SELECT (SELECT min({column}) FROM {table} WHERE {column} > v.value) FROM v "
            "WHERE v.value IS NOT NULL) SELECT value FROM v WHERE value IS NOT NULL LIMIT :limit"
        ),
        {"limit": MANY_VALUES + 1},
    ).all()
    return None if len(values) > MANY_VALUES else list(values)


def subject_in_region(model, code: str) -> ColumnElement[bool]:
    """The walk's test of a row of `model` (any table with subject_id) for region `code`: is its
    subject among the region's. SQLite reads that set once from the subjects' region index (a tenth
    of them) and looks each walked row up in it; as a correlated EXISTS it read each walked record's
    subject row (a district's first count: 0.2 s cold at 1M records, 17 ms this way). PostgreSQL
    joins the set as it joined the EXISTS. `+ 0` keeps the planners from reading the region's
    records through the subject index instead and sorting them."""
    return (model.subject_id + literal_column("0")).in_(select(Subject.id).where(Subject.region_code == code))


def in_region(model, code: str) -> Filter:
    """Records of `model` whose subject is registered in region `code`."""
    subjects = select(Subject.id).where(Subject.region_code == code)
    return Filter(subject_in_region(model, code), model.subject_id.in_(subjects), ("region", code), subjects)


def authority_contains(model, part: str) -> Filter:
    """Records of `model` whose authority contains `part` (as the database's LIKE compares)."""
    contains = model.authority.contains(part, autoescape=True)
    names = _distinct(model, "authority")
    if names is None:
        return Filter(contains)
    # casefold: never narrower than LIKE, which ignores the case of ASCII letters in SQLite.
    wanted = part.casefold()
    matching = [name for name in names if wanted in name.casefold()]
    if not matching:
        return NOTHING
    return Filter(contains, model.authority.in_(matching), ("authority", part), covering=True)


def with_item(model, column: str, item: str) -> Filter:
    """Records whose `column` ('a;b', items in national order) holds the whole item `item`; the
    column's index holds the listing's columns (models.publicity PENALTY_CATEGORIES)."""
    stored = getattr(model, column)
    values = _distinct(model, column)
    walk = (literal(";") + stored + literal(";")).contains(f";{item};", autoescape=True)
    if values is None:
        return Filter(walk)
    matching = [value for value in values if item in value.split(";")]
    if not matching:
        return NOTHING
    return Filter(walk, stored.in_(matching), (column, item), covering=True)
