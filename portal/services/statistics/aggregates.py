"""Derived aggregates the counting indicators read instead of every record row.

- `stat_record_days`: published licences and penalties per decision day × kind × department ×
  industry × district × licence category × subject kind and industry (the end of a penalty's
  publicity window is a column too, so "public today" is still decided on the day of the query).
- `stat_timely_days`: records per publication day (China time) × working days to publication ×
  department × industry × district (timeliness with any configured limit N).

The records stay the source of truth: `rebuild()` recounts everything (`flask portal stats-refresh
--full`, nightly), `refresh()` recounts only the days of records and subjects changed since the
last refresh (their `updated_at`, looked at with a margin for transactions still open then). Pages
call `ensure_fresh()`: a small backlog is refreshed at once, a large one (a big import) runs as a
job and the page shows the figures as of the last refresh. Every page says when that was (`as_of`).
tests/test_statistics_aggregates.py checks the figures equal a recount from the rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable

from flask import current_app
from sqlalchemy import Date, String, and_, cast, delete, false, func, insert, literal, null, or_, select, update
from sqlalchemy.exc import OperationalError

from portal import clock, jobs
from portal.extensions import db
from portal.models import License, Penalty, PublicationState, StatRecordDay, StatState, StatTimelyDay, Subject
from portal.models.base import utcnow

RECORD_MODELS = {"license": License, "penalty": Penalty}
REFRESHED = "refreshed"
JOB = "stats-refresh"
# Changes are found by `updated_at`; a transaction open at a refresh commits rows stamped before it.
MARGIN = dt.timedelta(minutes=10)
# A backlog of more changed rows than this is left to the job instead of the page that noticed it.
INLINE_LIMIT = 20000
JOB_AGAIN_AFTER = dt.timedelta(minutes=30)


def _china_day(column):
    """The China calendar day of a stored UTC instant, in SQL (China has no daylight saving time)."""
    if db.engine.dialect.name == "postgresql":
        return func.date(func.timezone("Asia/Shanghai", column))
    return func.date(column, "+8 hours")


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.CHINA).astimezone(dt.timezone.utc)


def _ranges(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days merged into (first, last) ranges: conditions an index on the day can serve."""
    out: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if out and day == out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


def _record_rows(kind: str, model, where: list):
    # Licences have no publicity window, penalties no licence category: NULL, not grouped.
    display_until = model.display_until if model is Penalty else None
    category = model.category if model is License else None
    dimensions = (
        model.decided_on,
        display_until,
        model.department_id,
        model.industry,
        Subject.region_code,
        category,
        Subject.kind,
        Subject.industry,
    )
    columns = list(dimensions)
    columns[1] = cast(null(), Date) if display_until is None else display_until
    columns[5] = cast(null(), String) if category is None else category
    return (
        select(literal(kind), *columns, func.count())
        .select_from(model)
        .join(Subject, Subject.id == model.subject_id)
        .where(model.state == PublicationState.PUBLISHED, *where)
        .group_by(*(c for c in dimensions if c is not None))
    )


def _timely_rows(kind: str, model, where: list):
    day = _china_day(model.published_at)
    columns = (day, model.timeliness_workdays, model.department_id, model.industry, Subject.region_code)
    return (
        select(literal(kind), *columns, func.count())
        .select_from(model)
        .join(Subject, Subject.id == model.subject_id)
        .where(model.published_at.is_not(None), model.timeliness_workdays.is_not(None), *where)
        .group_by(*columns)
    )


RECORD_COLUMNS = (
    "kind",
    "decided_on",
    "display_until",
    "department_id",
    "industry",
    "region_code",
    "category",
    "subject_kind",
    "subject_industry",
    "records",
)
TIMELY_COLUMNS = ("kind", "published_on", "workdays", "department_id", "industry", "region_code", "records")


def _on_days(column, ranges: list[tuple[dt.date, dt.date]]):
    return or_(false(), *(and_(column >= a, column <= b) for a, b in ranges))


def _at_on_days(column, ranges: list[tuple[dt.date, dt.date]]):
    """Instants on these China days (stored in UTC)."""
    return or_(false(), *(and_(column >= _utc(a), column < _utc(b + dt.timedelta(days=1))) for a, b in ranges))


def _recount(decided: list[tuple[dt.date, dt.date]] | None, published: list[tuple[dt.date, dt.date]] | None) -> None:
    """Replace the aggregate rows of these day ranges (None: every day) by a recount from the records."""
    for table, columns, ranges, day_column, rows, records_on in (
        (
            StatRecordDay,
            RECORD_COLUMNS,
            decided,
            StatRecordDay.decided_on,
            _record_rows,
            lambda m, r: _on_days(m.decided_on, r),
        ),
        (
            StatTimelyDay,
            TIMELY_COLUMNS,
            published,
            StatTimelyDay.published_on,
            _timely_rows,
            lambda m, r: _at_on_days(m.published_at, r),
        ),
    ):
        if ranges == []:
            continue
        stale = delete(table)
        db.session.execute(stale if ranges is None else stale.where(_on_days(day_column, ranges)))
        for kind, model in RECORD_MODELS.items():
            where = [] if ranges is None else [records_on(model, ranges)]
            db.session.execute(insert(table).from_select(list(columns), rows(kind, model, where)))


def _state() -> StatState | None:
    return db.session.get(StatState, REFRESHED)


def _watermark(state: StatState | None) -> dt.datetime | None:
    if state is None or not state.value:
        return None
    return dt.datetime.fromisoformat(json.loads(state.value)["watermark"])


def _lock() -> StatState | None:
    """Serialise refreshes: the first statement writes the state row, so a second refresh waits here
    (PostgreSQL row lock, SQLite write lock) and then reads what the first one left."""
    db.session.execute(update(StatState).where(StatState.name == REFRESHED).values(name=REFRESHED))
    return db.session.get(StatState, REFRESHED, populate_existing=True)


def _finish(state: StatState | None, started: dt.datetime, extra: dict | None = None) -> None:
    value = {
        **(json.loads(state.value) if state and state.value else {}),
        **(extra or {}),
        "watermark": started.isoformat(),
    }
    if state is None:
        db.session.add(StatState(name=REFRESHED, value=json.dumps(value), at=started))
    else:
        state.value, state.at = json.dumps(value), started
    db.session.commit()


def rebuild() -> dt.datetime:
    """Recount every aggregate row from the records; returns the as-of time."""
    started = utcnow()
    state = _lock()
    _recount(None, None)
    _store_totals(_record_totals(None))
    _finish(state, started, {"job_requested": None})
    for name in SNAPSHOTS:
        snapshot(name, force=True)
    return started


def _changed(model, since: dt.datetime) -> list:
    """Conditions, each served by an index, selecting the records changed since `since`: their own
    change, or their subject's (its district or industry)."""
    return [
        model.updated_at >= since,
        model.subject_id.in_(select(Subject.id).where(Subject.updated_at >= since)),
    ]


def _changed_days(since: dt.datetime) -> tuple[set[dt.date], set[dt.date]]:
    decided: set[dt.date] = set()
    published: set[dt.date] = set()
    for model in RECORD_MODELS.values():
        for condition in _changed(model, since):
            for decided_on, published_at in db.session.execute(
                select(model.decided_on, model.published_at).where(condition)
            ):
                decided.add(decided_on)
                if published_at is not None:
                    if published_at.tzinfo is None:
                        published_at = published_at.replace(tzinfo=dt.timezone.utc)
                    published.add(published_at.astimezone(clock.CHINA).date())
    return decided, published


def backlog(since: dt.datetime) -> int:
    """How many records changed since `since` (one changed twice may count twice)."""
    return sum(
        db.session.scalar(select(func.count()).select_from(model).where(condition))
        for model in RECORD_MODELS.values()
        for condition in _changed(model, since)
    )


TOTALS = "totals"


def _record_totals(ranges: list[tuple[dt.date, dt.date]] | None) -> dict[tuple, int]:
    """Published records per subject kind, industry and district on these decision days (None: all)."""
    day = StatRecordDay
    keys = (day.subject_kind, day.subject_industry, day.region_code)
    stmt = select(*keys, func.sum(day.records)).group_by(*keys)
    if ranges is not None:
        stmt = stmt.where(_on_days(day.decided_on, ranges))
    return {(k.value, i, r): int(n) for k, i, r, n in db.session.execute(stmt)}


def _store_totals(records: dict[tuple, int]) -> None:
    """Keep the per-subject totals beside the refresh, so no page sums the whole daily table: records
    per subject kind, industry and district over all days, and subjects counted likewise."""
    keys = (Subject.kind, Subject.industry, Subject.region_code)
    subjects = db.session.execute(select(*keys, func.count()).group_by(*keys))
    value = {
        "records": [[*key, n] for key, n in records.items() if n],
        "subjects": [[k.value, i, r, int(n)] for k, i, r, n in subjects],
    }
    db.session.merge(StatState(name=TOTALS, value=json.dumps(value), at=utcnow()))


def _stored_record_totals() -> dict[tuple, int]:
    found = db.session.get(StatState, TOTALS)
    rows = json.loads(found.value or "{}").get("records", []) if found is not None else []
    return {(k, i, r): n for k, i, r, n in rows}


def totals(what: str, kinds, industry: str | None = None, district: str | None = None) -> int:
    """Published records (`what`='records') or subjects ('subjects') of these subject kinds, in
    this industry (the subject's) and district, from the totals of the last refresh."""
    ensure_fresh()
    found = db.session.get(StatState, TOTALS)
    rows = json.loads(found.value or "{}")[what] if found is not None else []
    wanted = {k.value for k in kinds}
    return sum(
        n
        for kind, subject_industry, region, n in rows
        if kind in wanted and (not industry or subject_industry == industry) and (not district or region == district)
    )


def refresh() -> dt.datetime:
    """Recount the days of records (and subjects) changed since the last refresh; returns the as-of time."""
    started = utcnow()
    state = _lock()
    watermark = _watermark(state)
    if watermark is None:
        db.session.rollback()
        return rebuild()
    decided, published = _changed_days(watermark - MARGIN)
    # The totals follow by difference: minus these days' rows before the recount, plus after.
    ranges = _ranges(decided)
    totals = _stored_record_totals()
    for key, n in _record_totals(ranges).items():
        totals[key] = totals.get(key, 0) - n
    _recount(ranges, _ranges(published))
    for key, n in _record_totals(ranges).items():
        totals[key] = totals.get(key, 0) + n
    _store_totals(totals)
    _finish(state, started)
    return started


def as_of() -> dt.datetime | None:
    """Up to when the aggregates hold every change (China time), None before the first refresh."""
    watermark = _watermark(_state())
    return watermark.astimezone(clock.CHINA) if watermark else None


def ensure_fresh() -> dt.datetime | None:
    """Bring the aggregates up to date when the last refresh is older than PORTAL_STATS_REFRESH_SECONDS:
    at once for a small backlog, else by the refresh job. Returns the as-of time of what pages show."""
    state = _state()
    watermark = _watermark(state)
    every = dt.timedelta(seconds=current_app.config["PORTAL_STATS_REFRESH_SECONDS"])
    if watermark is not None and utcnow() - watermark < every:
        return watermark.astimezone(clock.CHINA)
    if watermark is None:
        return refresh().astimezone(clock.CHINA)
    if backlog(watermark - MARGIN) <= INLINE_LIMIT:
        try:
            return refresh().astimezone(clock.CHINA)
        except OperationalError:  # another writer held the database too long: the page shows the last refresh
            db.session.rollback()
            return watermark.astimezone(clock.CHINA)
    _request_job(state)
    return watermark.astimezone(clock.CHINA)


def _request_job(state: StatState | None) -> None:
    if state is None:
        return
    value = json.loads(state.value or "{}")
    requested = value.get("job_requested")
    if requested and utcnow() - dt.datetime.fromisoformat(requested) < JOB_AGAIN_AFTER:
        return
    state.value = json.dumps({**value, "job_requested": utcnow().isoformat()})
    db.session.commit()
    jobs.enqueue(JOB)


def run_job() -> None:
    """The refresh job: the changed days, then the snapshots."""
    refresh()
    for name in SNAPSHOTS:
        snapshot(name, force=True)


jobs.register(JOB, run_job)


# Snapshots of whole-database figures that no day bounds (重错码: every stored code) -------------

# Filled by the indicators that own them (name -> function counting the figure).
SNAPSHOTS: dict[str, Callable[[], dict]] = {}


def snapshot(
    name: str,
    *,
    force: bool = False,
    max_age: dt.timedelta | None = None,
    count: Callable[[], dict] | None = None,
) -> tuple[dict, dt.datetime]:
    """A figure recounted when missing or older than `max_age` (pages: PORTAL_STATS_SNAPSHOT_SECONDS,
    a safety net; `stats-refresh` keeps it younger); returns it with the time it was counted (China time).
    `count` counts a snapshot not in SNAPSHOTS (one per period, recounted only when a page asks)."""
    found = db.session.get(StatState, name)
    if max_age is None:
        max_age = dt.timedelta(seconds=current_app.config["PORTAL_STATS_SNAPSHOT_SECONDS"])
    at = found.at if found is not None else None
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=dt.timezone.utc)
    if force or found is None or at is None or utcnow() - at >= max_age:
        started = utcnow()
        value = (count or SNAPSHOTS[name])()
        found = db.session.merge(StatState(name=name, value=json.dumps(value), at=started))
        db.session.commit()
        return value, started.astimezone(clock.CHINA)
    return json.loads(found.value or "{}"), at.astimezone(clock.CHINA)
