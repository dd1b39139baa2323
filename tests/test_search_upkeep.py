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


@pytest.fixture
def search_ctx(search_app):
    with search_app.app_context():
        yield search_app


def test_a_drain_vacuums_the_outbox_at_once(search_ctx, monkeypatch):
    """Right after the drain, in the same second: the statistics may not have heard of its deletes."""
    vacuumed: list[list[str]] = []
    tidy = upkeep.tidy
    monkeypatch.setattr(upkeep, "tidy", lambda changed: vacuumed.append(tidy(changed)) or vacuumed[-1])
    indexer.sync(wait=True)
    _queue(3000)
    vacuumed.clear()
    assert indexer.sync(wait=True) == 3000
    assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0
    if db.engine.dialect.name == "postgresql":
        assert "search_outbox" in vacuumed[-1]
    else:
        assert vacuumed == [[]]  # SQLite reuses freed pages itself


def test_the_indexer_lock_holds_no_snapshot(search_ctx):
    """A lock held inside a transaction kept its snapshot: the vacuum after a drain could remove
    none of the rows the drain deleted (1.4 million outbox rows at 1M records)."""
    if search_ctx.config["PORTAL_SEARCH_BACKEND"] != "postgres":
        pytest.skip("the PostgreSQL backend's lock is held on a connection")
    with indexer.indexer_lock(wait=True):
        held = db.session.execute(
            text(
                "SELECT a.state, a.backend_xmin FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :key "
                "AND l.objid = hashtext(current_schema())::oid AND l.objsubid = 2"
            ),
            {"key": indexer._ADVISORY_KEY},
        ).all()
        db.session.rollback()
    assert len(held) == 1
    assert held[0].backend_xmin is None and held[0].state == "idle"


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
