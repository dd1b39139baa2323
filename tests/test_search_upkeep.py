"""The tables the indexer churns are vacuumed on PostgreSQL after a drain, autovacuum or not."""

from __future__ import annotations

import time

from sqlalchemy import delete, func, select, text

from portal.extensions import db
from portal.models import SearchOutbox
from portal.search import indexer, upkeep


def _dead_outbox_rows(n: int) -> None:
    db.session.execute(SearchOutbox.__table__.insert(), [{"entity_type": "subject", "entity_id": i} for i in range(n)])
    db.session.commit()
    db.session.execute(delete(SearchOutbox))
    db.session.commit()


def test_a_drain_leaves_no_dead_outbox_rows_behind(app_ctx):
    if db.engine.dialect.name != "postgresql":
        assert upkeep.tidy() == []  # SQLite reuses freed pages itself
        return
    _dead_outbox_rows(500)
    vacuumed: list[str] = []
    for _ in range(20):  # statistics reach the shared counters a moment after the commit
        vacuumed = upkeep.tidy()
        if "search_outbox" in vacuumed:
            break
        time.sleep(0.2)
    assert "search_outbox" in vacuumed
    last = db.session.scalar(
        text(
            "SELECT last_vacuum FROM pg_stat_user_tables WHERE schemaname = current_schema()"
            " AND relname = 'search_outbox'"
        )
    )
    assert last is not None


def test_the_drain_calls_for_upkeep(app_ctx, monkeypatch):
    calls = []
    monkeypatch.setattr(upkeep, "tidy", lambda: calls.append(1) or [])
    db.session.execute(SearchOutbox.__table__.insert(), [{"entity_type": "subject", "entity_id": 1}])
    db.session.commit()
    indexer.sync(wait=True)
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0
    assert calls, "the drain that applied rows tidied up after itself"
