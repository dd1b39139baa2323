"""Keeping the index in step with the database.

Every change writes a search-outbox row in its own transaction. `sync` takes outbox rows in id
order, re-reads those entities, writes their current documents, and only then deletes the rows:
a crash between the index write and the delete repeats the work, never loses it. One process at
a time syncs or rebuilds (an exclusive file lock next to the index, or a PostgreSQL advisory
lock for the shared backend); the others skip and let it work.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select, text

from portal import clock
from portal.extensions import db
from portal.models import SearchOutbox
from portal.search import backend as current_backend
from portal.search.documents import all_docs, count_all, docs_for

SYNC_BATCH = 2000
_ADVISORY_KEY = 727_101  # arbitrary, constant: "the portal's indexer"


class Busy(Exception):
    """Another process holds the indexer lock."""


@contextmanager
def indexer_lock(wait: bool):
    """Mutual exclusion between every process that writes the index."""
    if current_app.config["PORTAL_SEARCH_BACKEND"] == "postgres":
        conn = db.engine.connect()
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


def sync(wait: bool = False, progress: Callable[[int], None] | None = None) -> int:
    """Apply the outbox to the index; returns the number of outbox rows applied (0 if busy)."""
    try:
        with indexer_lock(wait):
            return _drain(progress)
    except Busy:
        return 0


def _drain(progress) -> int:
    applied = 0
    today = clock.today()
    while True:
        rows = db.session.execute(
            select(SearchOutbox.id, SearchOutbox.entity_type, SearchOutbox.entity_id)
            .order_by(SearchOutbox.id)
            .limit(SYNC_BATCH)
        ).all()
        if not rows:
            return applied
        by_type: dict[str, list[int]] = {}
        for _, entity_type, entity_id in rows:
            ids = by_type.setdefault(entity_type, [])
            if entity_id not in ids:
                ids.append(entity_id)
        upserts, deletes = [], []
        for entity_type, ids in by_type.items():
            docs, gone = docs_for(entity_type, ids, today)
            upserts += docs
            deletes += gone
        current_backend().apply(upserts, deletes)
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows])))
        db.session.commit()
        applied += len(rows)
        if progress:
            progress(len(rows))


def rebuild(progress: Callable[[int], None] | None = None, on_total: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from the database; searches keep answering from the old one."""
    with indexer_lock(wait=True):
        # Outbox rows committed before the rebuild reads anything are covered by it. Not a max id:
        # a transaction still open may hold a lower id and commit later.
        covered = db.session.scalars(select(SearchOutbox.id)).all()
        db.session.commit()
        today = clock.today()
        if on_total:
            on_total(count_all(today))
        count = current_backend().rebuild(all_docs(today), progress)
        for start in range(0, len(covered), 5000):
            db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_(covered[start : start + 5000])))
        db.session.commit()
        _drain(None)
        return count
