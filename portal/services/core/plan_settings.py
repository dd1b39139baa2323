"""PostgreSQL planner settings for the rest of a transaction, sent once in it."""

from __future__ import annotations

from sqlalchemy import text

from portal.extensions import db

# A web request's queries read few rows: compiling them (JIT) took 16 ms and starting parallel
# workers 20-80 ms of queries that take a few, and under load the other requests need the cores.
SERIAL = "SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0"


def set_local(settings: str) -> None:
    """Apply `settings` (SET LOCAL statements) to the session's current transaction, once."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    transaction = db.session.connection().get_transaction()
    sent = db.session.info.setdefault("plan_settings", {})
    if sent.get(settings) is transaction:
        return
    db.session.execute(text(settings))
    sent[settings] = transaction
