"""Connection settings applied to every new database connection."""

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

# SQLite's page cache of a connection while an import writes (KiB): index inserts of a large import
# hit the disk with a small one. Otherwise PORTAL_SQLITE_CACHE_MB: the OS caches the file as well,
# and every connection of every web worker holds its own cache.
BULK_CACHE_KIB = 128 * 1024


def install(engine: Engine, cache_mb: int) -> None:
    if engine.dialect.name != "sqlite":
        return
    cache_kib = cache_mb * 1024

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        cur = dbapi_connection.cursor()
        # WAL lets readers continue while an import writes; foreign keys are off by default in SQLite.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute(f"PRAGMA cache_size=-{cache_kib}")
        cur.close()

    @event.listens_for(engine, "checkin")
    def _default_cache(dbapi_connection, record):
        if record.info.pop("bulk_cache", False):
            cur = dbapi_connection.cursor()
            cur.execute(f"PRAGMA cache_size=-{cache_kib}")
            cur.close()


def bulk_cache(session: Session) -> None:
    """A large page cache for the session's SQLite connection until it goes back to the pool."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        connection.connection.info["bulk_cache"] = True
