"""Keeping the index in step with the database.

Every change writes a search-outbox row in its own transaction. `sync` takes outbox rows in id
order, re-reads those entities, writes their current documents, and only then deletes the rows:
a crash between the index write and the delete repeats the work, never loses it. One process at
a time syncs or rebuilds (an exclusive file lock next to the index, or a PostgreSQL advisory
lock for the shared backend); the others skip and let it work.

An index that is missing, incomplete, unreadable, empty while the database is not, or another
generation than the one the outbox was applied to, is never searched as if it said "no records":
`status()` reports it, search falls back to the database, and `sync` rebuilds it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, insert, literal, select, text

from portal import clock
from portal.extensions import db
from portal.models import Penalty, SearchIndexState, SearchOutbox, Subject, SubjectKind
from portal.models.base import utcnow
from portal.search import backend as current_backend
from portal.search import builders, presentations, upkeep
from portal.search.backend import SUBJECT
from portal.search.documents import all_docs, count_all
from portal.services.core import figures

SYNC_BATCH = 5000
# A backlog this large is built in worker processes when the caller allows them, in batches this
# small so that the workers are busy while the first batches are written.
PARALLEL_FROM = 10_000
PARALLEL_BATCH = 1000
STATUS_SECONDS = 1.0  # how long one process trusts its last status check
LAG_NOTICE_SECONDS = 10  # older pending changes are announced on the search page
_ADVISORY_KEY = 727_101  # arbitrary, constant: "the portal's indexer"


class Busy(Exception):
    """Another process holds the indexer lock."""


@contextmanager
def indexer_lock(wait: bool):
    """Mutual exclusion between every process that writes the index."""
    if current_app.config["PORTAL_SEARCH_BACKEND"] == "postgres":
        # A session-level lock, outside any transaction: an idle transaction keeps the snapshot of
        # its statement, so no vacuum could remove the rows deleted while the lock is held.
        conn = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            # Keyed by schema too: portals (or test runs) in other schemas of one database are independent.
            key = "(:k, hashtext(current_schema()))"
            if wait:
                conn.execute(text(f"SELECT pg_advisory_lock{key}"), {"k": _ADVISORY_KEY})
            elif not conn.execute(text(f"SELECT pg_try_advisory_lock{key}"), {"k": _ADVISORY_KEY}).scalar():
                raise Busy
            try:
                yield
            finally:
                conn.execute(text(f"SELECT pg_advisory_unlock{key}"), {"k": _ADVISORY_KEY})
        finally:
            conn.close()
        return
    directory = Path(current_app.config["PORTAL_SEARCH_INDEX"])
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / "indexer.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise Busy from None
        yield
    finally:
        os.close(fd)


def pending() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutbox))


@dataclass(frozen=True)
class Status:
    problem: str | None  # why the index cannot be trusted: missing, incomplete, unreadable, empty, stale
    lagging: int = 0  # changes waiting longer than LAG_NOTICE_SECONDS (counted up to LAG_COUNT_CAP)


LAG_COUNT_CAP = 100_000
_status_cache: dict[int, tuple[float, Status]] = {}
_status_lock = threading.Lock()


def _kind() -> str:
    return current_app.config["PORTAL_SEARCH_BACKEND"]


def _recorded_id() -> str | None:
    return db.session.scalar(select(SearchIndexState.index_id).where(SearchIndexState.backend == _kind()))


def _database_has_documents() -> bool:
    return bool(db.session.scalar(select(select(Subject.id).where(Subject.kind != SubjectKind.PERSON).exists())))


def _problem() -> str | None:
    engine = current_backend()
    problem = engine.problem()
    if problem:
        return problem
    if engine.index_id() != _recorded_id():
        return "stale"
    if not engine.has_documents() and _database_has_documents():
        return "empty"
    return None


def _lagging() -> int:
    oldest = db.session.scalar(select(SearchOutbox.created_at).order_by(SearchOutbox.id).limit(1))
    if oldest is None:
        return 0
    if oldest.tzinfo is None:  # SQLite returns naive UTC
        oldest = oldest.replace(tzinfo=dt.timezone.utc)
    if (utcnow() - oldest).total_seconds() < LAG_NOTICE_SECONDS:
        return 0
    bounded = select(SearchOutbox.id).limit(LAG_COUNT_CAP).subquery()
    return db.session.scalar(select(func.count()).select_from(bounded))


def status() -> Status:
    """Whether search may trust the index now; checked at most once a second per process."""
    app = current_app._get_current_object()
    now = time.monotonic()
    with _status_lock:
        cached = _status_cache.get(id(app))
    if cached and now - cached[0] < STATUS_SECONDS:
        return cached[1]
    result = Status(_problem(), _lagging())
    with _status_lock:
        _status_cache[id(app)] = (now, result)
    return result


def forget_status() -> None:
    with _status_lock:
        _status_cache.pop(id(current_app._get_current_object()), None)


_expiries_queued: dict[int, dt.date] = {}


def _queue_expiries(today: dt.date) -> None:
    """Penalties whose display ended yesterday or the day before leave the index (no edit marks
    that day); once a day per process, which is cheap, and idempotent if several processes do it."""
    app = id(current_app._get_current_object())
    if _expiries_queued.get(app) == today:
        return
    expired = select(literal("penalty"), Penalty.id, literal(utcnow())).where(
        Penalty.display_until >= today - dt.timedelta(days=2), Penalty.display_until < today
    )
    db.session.execute(insert(SearchOutbox).from_select(["entity_type", "entity_id", "created_at"], expired))
    db.session.commit()
    _expiries_queued[app] = today


def sync(
    wait: bool = False,
    progress: Callable[[int], None] | None = None,
    processes: int = 1,
    stopping: Callable[[], bool] | None = None,
) -> int:
    """Bring the index up to date: apply the outbox, or rebuild an index that cannot be trusted.

    `processes` > 1 builds the documents of a large backlog in that many forked processes
    (portal.search.builders): for the index worker and the sync command, never a web process.
    `stopping` is asked after each batch: once it says so, the rest of the outbox waits.
    Returns the number of outbox rows applied or covered (0 if another process holds the lock).
    """
    try:
        with indexer_lock(wait):
            if _problem():
                before = pending()
                _rebuild_locked(None, None)
                return before
            _queue_expiries(clock.today())
            applied = _drain(progress, processes if processes > 1 and _large_backlog() else 1, stopping)
            if applied:
                upkeep.tidy(applied)
            return applied
    except Busy:
        return 0


def _large_backlog() -> bool:
    """At least PARALLEL_FROM rows wait (without counting a long outbox to the end)."""
    stmt = select(SearchOutbox.id).order_by(SearchOutbox.id).offset(PARALLEL_FROM - 1).limit(1)
    return db.session.scalar(stmt) is not None


def _drain(progress, processes: int = 1, stopping: Callable[[], bool] | None = None) -> int:
    """Apply the outbox in id order, a batch at a time; with worker processes, smaller batches and
    several at once, so that the workers build the next while this process writes one."""
    applied = 0
    today = clock.today()
    engine = current_backend()
    batch = SYNC_BATCH if processes <= 1 else PARALLEL_BATCH
    with builders.builders(processes) as build:
        while True:
            rows = db.session.execute(
                select(SearchOutbox.id, SearchOutbox.entity_type, SearchOutbox.entity_id)
                .order_by(SearchOutbox.id)
                .limit(SYNC_BATCH * processes)
            ).all()
            if not rows:
                return applied
            chunks = [rows[start : start + batch] for start in range(0, len(rows), batch)]
            for chunk, built in zip(chunks, build([_by_type(c) for c in chunks], today), strict=True):
                engine.apply(built.upserts, built.deletes)
                gone = [(kind, int(i)) for kind, _, i in (k.partition(":") for k in built.deletes) if kind != SUBJECT]
                presentations.store(db.session, built.presented, gone)
                figures.forget()  # totals and listing bounds are recounted with these changes
                # By id, not by range: a lower id of a transaction still open may commit later.
                db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in chunk])))
                db.session.commit()
                applied += len(chunk)
                if progress:
                    progress(len(chunk))
                if stopping and stopping():
                    return applied


def _by_type(rows) -> dict[str, list[int]]:
    """{entity type: its distinct ids} of outbox rows, in their order."""
    by_type: dict[str, dict[int, None]] = {}
    for _, entity_type, entity_id in rows:
        by_type.setdefault(entity_type, {})[entity_id] = None
    return {entity_type: list(ids) for entity_type, ids in by_type.items()}


def rebuild(progress: Callable[[int], None] | None = None, on_total: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the database; searches keep answering from the old one."""
    with indexer_lock(wait=True):
        return _rebuild_locked(progress, on_total)


def _rebuild_locked(progress, on_total) -> int:
    # Outbox rows committed before the rebuild reads anything are covered by it. Not a max id:
    # a transaction still open may hold a lower id and commit later.
    covered = db.session.scalars(select(SearchOutbox.id)).all()
    db.session.commit()
    today = clock.today()
    if on_total:
        on_total(count_all(today))
    engine = current_backend()
    # Stored presentations are written as the documents are made, on a connection of their own
    # committing each batch: the documents are read on the session's, in one long transaction.
    with db.engine.connect() as writer:

        def presented(rows: list[dict]) -> None:
            presentations.store(writer, rows)
            writer.commit()

        count = engine.rebuild(all_docs(today, presented=presented), progress)
    for start in range(0, len(covered), 5000):
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(covered[start : start + 5000])))
    state = db.session.get(SearchIndexState, _kind()) or SearchIndexState(backend=_kind())
    state.index_id, state.built_at = engine.index_id(), utcnow()
    db.session.add(state)
    db.session.commit()
    forget_status()
    # Every stored presentation was rewritten, and every covered outbox row deleted.
    upkeep.tidy(count + len(covered) + _drain(None))
    return count
