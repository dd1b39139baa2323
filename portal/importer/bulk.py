"""Multi-row INSERT at import speed.

SQLAlchemy's executemany processes every parameter of every row in Python; at a million rows that
costs more than the validation itself. Here the statement is compiled once, each column's bind
processor is looked up once, and the driver's executemany gets plain tuples or dicts.
"""

from __future__ import annotations

from sqlalchemy import Insert

from portal.extensions import db


def bulk_insert(stmt: Insert, rows: list[dict]) -> None:
    """Execute `stmt` for `rows`; every row must have the same keys, all of them table columns."""
    if not rows:
        return
    conn = db.session.connection()
    dialect = conn.dialect
    keys = list(rows[0])
    compiled = stmt.inline().compile(dialect=dialect, column_keys=keys)
    missing = set(compiled.binds) - set(keys)
    if missing:
        raise ValueError(f"bulk_insert rows lack values for {sorted(missing)}")
    columns = stmt.table.c
    processors = {
        k: p for k in keys if (p := columns[k].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    }

    def convert(row: dict) -> dict:
        return {k: (processors[k](v) if k in processors and v is not None else v) for k, v in row.items()}

    if compiled.positional:
        order = compiled.positiontup
        params = [tuple(converted[k] for k in order) for converted in map(convert, rows)]
    else:
        params = [convert(row) for row in rows]
    conn.exec_driver_sql(compiled.string, params)
