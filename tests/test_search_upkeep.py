"""The tables the indexer churns are vacuumed on PostgreSQL after a drain, autovacuum or not."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from portal.extensions import db
from portal.models import SearchOutbox
from portal.search import indexer, upkeep


def _queue(n: int) -> None:
    # Entities that do not exist: the drain removes their documents, a cheap change to apply.
    db.session.execute(
        SearchOutbox.__table__.insert(), [{"entity_type": "subject", "entity_id": 10**9 + i} for i in range(n)]
    )
    db.session.commit()


def _outbox_pages() -> int:
    db.session.commit()  # a new transaction: statistics and sizes as they are now
    return db.session.scalar(text("SELECT pg_relation_size('search_outbox') / current_setting('block_size')::int"))


@pytest.fixture
def search_ctx(search_app):
    with search_app.app_context():
        yield search_app


def test_a_drain_leaves_no_dead_outbox_rows_behind(search_ctx):
    """Right after the drain, in the same second (the statistics had not yet heard of its deletes),
    and with every backend's indexer lock held meanwhile (PostgreSQL's on a connection of its own)."""
    rows = 3000
    if db.engine.dialect.name != "postgresql":
        assert upkeep.tidy(rows) == []  # SQLite reuses freed pages itself
        return
    indexer.sync(wait=True)
    _queue(rows)
    assert _outbox_pages() > 10
    assert indexer.sync(wait=True) == rows
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0
    assert _outbox_pages() == 0, "the vacuum found the dead rows and gave their pages back"


def test_a_few_changes_do_not_vacuum_every_time(app_ctx):
    if db.engine.dialect.name != "postgresql":
        return
    indexer.sync(wait=True)
    upkeep.tidy(10**6)  # start from nothing churned
    assert "search_outbox" not in upkeep.tidy(1)


def test_the_rule_is_autovacuums():
    assert not upkeep.due(live=1000, dead=250)
    assert upkeep.due(live=1000, dead=251)
    assert upkeep.due(live=0, dead=51)


def test_the_drain_calls_for_upkeep(app_ctx, monkeypatch):
    calls = []
    monkeypatch.setattr(upkeep, "tidy", lambda changed: calls.append(changed) or [])
    _queue(3)
    indexer.sync(wait=True)
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0
    assert calls == [3], "the drain that applied rows tidied up after itself, counting them"
