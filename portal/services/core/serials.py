"""Issuing numbers in sequence without gaps or duplicates across workers and machines.

One row per sequence, bumped with INSERT .. ON CONFLICT DO UPDATE .. RETURNING: the row lock
(PostgreSQL) or the write lock (SQLite) makes concurrent callers wait for each other until the
transaction that took a number ends, so two submissions never get the same one. No savepoints: a
failed submission rolls back its number with everything else.
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from portal.extensions import db
from portal.models import SerialCounter

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def next_value(name: str, start: int = 1) -> int:
    """The next number of sequence `name`; a new sequence begins at `start`."""
    insert = _INSERTS[db.session.get_bind().dialect.name](SerialCounter)
    stmt = (
        insert.values(name=name, last=start)
        .on_conflict_do_update(
            index_elements=[SerialCounter.name],
            set_={"last": SerialCounter.last + 1},
        )
        .returning(SerialCounter.last)
    )
    return db.session.execute(stmt).scalar_one()
