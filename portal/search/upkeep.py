"""Dead rows of the tables the indexer churns, cleared on PostgreSQL without waiting for autovacuum.

Every change adds an outbox row that the drain deletes; stored presentations and search documents
are rewritten in place. Where autovacuum is off or behind, the dead rows pile up: 1.4 million in
search_outbox made each drain batch's "oldest rows" query and every search's lag check take about
a second. So after a drain or rebuild, each of these tables with more dead rows than autovacuum's
own rule allows (50 + 20 % of the live rows) is vacuumed, and the pending lists of the search GIN
indexes are merged, so that searches never scan a long pending list.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db

log = logging.getLogger(__name__)

TABLES = ("search_outbox", "record_presentations", "search_documents")
_DUE = text(
    "SELECT relname FROM pg_stat_user_tables WHERE schemaname = current_schema() "
    "AND relname = ANY(:tables) AND n_dead_tup > 50 + 0.2 * n_live_tup"
)
_GIN = text(
    "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
    "WHERE i.indrelid = to_regclass('search_documents') AND a.amname = 'gin'"
)


def tidy() -> list[str]:
    """Vacuum the churned tables that need it (PostgreSQL only); returns their names."""
    if db.engine.dialect.name != "postgresql":
        return []
    try:
        # The drain's own deletes count once its connection's statistics are flushed (PostgreSQL 15+
        # can be asked to flush them when the transaction ends).
        if db.session.execute(text("SELECT to_regproc('pg_stat_force_next_flush') IS NOT NULL")).scalar():
            db.session.execute(text("SELECT pg_stat_force_next_flush()"))
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            due = list(conn.execute(_DUE, {"tables": list(TABLES)}).scalars())
            for table in due:
                conn.execute(text(f"VACUUM (ANALYZE) {table}"))
            conn.execute(_GIN)
    except SQLAlchemyError as exc:  # a role that does not own the tables: autovacuum's job then
        db.session.rollback()
        log.warning("search tables not vacuumed: %s", exc)
        return []
    return due
