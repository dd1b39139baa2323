"""Dead rows of the tables the indexer churns, cleared on PostgreSQL without waiting for autovacuum.

Every change adds an outbox row that the drain deletes; stored presentations and search documents
are rewritten in place. Where autovacuum is off or behind, the dead rows pile up: 1.4 million in
search_outbox made each drain batch's "oldest rows" query and every search's lag check take about
a second. So after a drain or rebuild, each of these tables with more dead rows than autovacuum's
own rule allows (50 + 20 % of the live rows) is vacuumed, and the pending lists of the search GIN
indexes are merged, so that searches never scan a long pending list.

The dead rows are counted by the drain itself, not only read from the statistics: a connection
reports its deletes to the shared statistics only when it next goes idle (at most once a second),
so right after a drain they may not count them yet. (What had kept the outbox bloated at 1.4
million rows, though, was the indexer's lock held inside a transaction, whose snapshot kept the
vacuum that did run from removing anything: see indexer.indexer_lock.)
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db

log = logging.getLogger(__name__)

TABLES = ("search_outbox", "record_presentations", "search_documents")
_FIGURES = text(
    "SELECT relname, n_live_tup, n_dead_tup FROM pg_stat_user_tables "
    "WHERE schemaname = current_schema() AND relname = ANY(:tables)"
)
_GIN = text(
    "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
    "WHERE i.indrelid = to_regclass('search_documents') AND a.amname = 'gin'"
)
# Rows this process made dead in each table since it last vacuumed it.
_churned: dict[str, int] = {}


def due(live: float, dead: float) -> bool:
    """Autovacuum's default rule: more dead rows than 50 + 20 % of the live ones."""
    return dead > 50 + 0.2 * live


def tidy(changed: int) -> list[str]:
    """Vacuum the churned tables that need it (PostgreSQL only); `changed`: the rows the caller
    just applied or covered, each of which left a dead row in every table. Returns the names."""
    if db.engine.dialect.name != "postgresql":
        return []
    for table in TABLES:
        _churned[table] = _churned.get(table, 0) + changed
    try:
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            figures = conn.execute(_FIGURES, {"tables": list(TABLES)}).all()
            vacuumed = [table for table, live, dead in figures if due(live, max(dead, _churned.get(table, 0)))]
            for table in vacuumed:
                conn.execute(text(f"VACUUM (ANALYZE) {table}"))
                _churned[table] = 0
            conn.execute(_GIN)
    except SQLAlchemyError as exc:  # a role that does not own the tables: autovacuum's job then
        db.session.rollback()
        log.warning("search tables not vacuumed: %s", exc)
        return []
    return vacuumed
