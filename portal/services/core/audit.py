"""Writing the append-only audit log: who did what, when, from where, before and after."""

from __future__ import annotations

import datetime as dt
import decimal
import enum

from flask import has_request_context, request

from portal.extensions import db
from portal.models import AuditLog


def plain(value):
    """A JSON-ready value: enums by value, dates ISO, amounts as strings."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """The values that differ between two snapshots: (before, after) of those keys only."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def snapshot(entity, fields) -> dict:
    """The audited view of an entity: the named fields as JSON-ready values."""
    return {f: plain(getattr(entity, f)) for f in fields}


def record(
    action: str,
    *,
    user=None,
    actor: str | None = None,
    entity_type: str | None = None,
    entity_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditLog:
    """Add one entry to the session; it commits with the change it describes."""
    entry = AuditLog(
        user_id=getattr(user, "id", None),
        actor=actor or getattr(user, "username", None),
        client_addr=request.remote_addr if has_request_context() else None,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before={k: plain(v) for k, v in before.items()} if before else None,
        after={k: plain(v) for k, v in after.items()} if after else None,
    )
    db.session.add(entry)
    return entry
