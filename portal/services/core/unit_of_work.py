"""The one transaction style: a service operation is one unit of work.

Views and the CLI call an operation; the operation changes the models, writes its audit entry and
search-outbox rows, and ends with `commit()`. An operation that refuses raises (WorkflowError,
Rejected, ValueError...) and, through `@atomic`, leaves nothing half-done in the session. Helpers
an operation builds on only add and flush. Views (`portal/views/`, `admin/`) never touch the session:
tests/test_architecture.py enforces it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import current_app

from portal import faults
from portal.extensions import db
from portal.search import autosync

P = ParamSpec("P")
R = TypeVar("R")


def commit() -> None:
    """End the unit of work: store it, then wake the search sync for its outbox rows."""
    faults.point("commit.before")
    db.session.commit()
    faults.point("commit.after")
    autosync.kick(current_app._get_current_object())  # type: ignore[attr-defined]  # a LocalProxy


def atomic(operation: Callable[P, R]) -> Callable[P, R]:
    """An operation that raises rolls back what it had begun, so the caller sees the state before."""

    @wraps(operation)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return operation(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise

    return run
