"""Search: a small interface with three backends (SQLite FTS5 and Whoosh files, PostgreSQL tables).

The database is the source of truth; the index is a derived copy kept in step through the
search outbox (portal.search.indexer) and rebuildable at any time (`portal reindex`).
"""

from __future__ import annotations

from flask import Flask, current_app

from portal.search.backend import SearchBackend


def init_app(app: Flask) -> None:
    kind = app.config["PORTAL_SEARCH_BACKEND"]
    if kind == "sqlite":
        from portal.search.sqlite_backend import SqliteBackend

        backend: SearchBackend = SqliteBackend(app.config["PORTAL_SEARCH_INDEX"])
    elif kind == "whoosh":
        from portal.search.whoosh_backend import WhooshBackend

        backend = WhooshBackend(app.config["PORTAL_SEARCH_INDEX"])
    elif kind == "postgres":
        from portal.search.pg_backend import PostgresBackend

        backend = PostgresBackend()
    else:
        raise RuntimeError(f"PORTAL_SEARCH_BACKEND must be 'sqlite', 'whoosh' or 'postgres', not {kind!r}")
    app.extensions["search"] = backend


def backend() -> SearchBackend:
    return current_app.extensions["search"]
