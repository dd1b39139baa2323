"""Edits of published records held for review: the changed fields as JSON, and applying them."""

from __future__ import annotations

import datetime as dt
import decimal

from sqlalchemy import Date, DateTime, Numeric, select

from portal.extensions import db
from portal.models import RecordRevision, RevisionState
from portal.models.base import utcnow
from portal.services.core.audit import plain
from portal.services.staff import access

# Never part of a revision: identity, bookkeeping and workflow columns.
_NOT_REVISED = {
    "id",
    "created_at",
    "updated_at",
    "state",
    "published_at",
    "withdrawn_reason",
    "created_by_id",
    "reviewed_by_id",
    "returned_reason",
    "department_id",
    "timeliness_workdays",
}


def diff(entity, values: dict) -> dict:
    """The fields of `values` that differ from `entity`, JSON-ready."""
    return {
        key: plain(value) for key, value in values.items() if key not in _NOT_REVISED and getattr(entity, key) != value
    }


def current(entity, keys) -> dict:
    return {key: plain(getattr(entity, key)) for key in keys}


def _typed(column, value):
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return dt.date.fromisoformat(value)
    if isinstance(column.type, Numeric):
        return decimal.Decimal(value)
    return value


def apply(entity, changes: dict) -> None:
    columns = entity.__table__.c
    for key, value in changes.items():
        setattr(entity, key, _typed(columns[key], value))


def pending_revision(entity_type: str, entity_id: int) -> RecordRevision | None:
    return db.session.scalar(
        select(RecordRevision)
        .where(
            RecordRevision.entity_type == entity_type,
            RecordRevision.entity_id == entity_id,
            RecordRevision.state == RevisionState.PENDING,
        )
        .order_by(RecordRevision.id)
    )


def submit(entity_type: str, entity, values: dict, *, user_id: int | None) -> RecordRevision | None:
    """A pending revision of `entity` with the changed fields, or None when nothing changed."""
    changes = diff(entity, values)
    if set(changes) <= {"source_hash"}:
        # Only the row digest moved (e.g. subject columns): nothing the public sees changes.
        if changes:
            entity.source_hash = changes["source_hash"]
        return None
    revision = RecordRevision(
        entity_type=entity_type,
        entity_id=entity.id,
        department_id=entity.department_id,
        changes=changes,
        state=RevisionState.PENDING,
        submitted_by_id=user_id,
        submitted_at=utcnow(),
    )
    db.session.add(revision)
    return revision


def of_entity(entity_type: str, entity_id: int) -> list[RecordRevision]:
    """Every edit of one record or list entry, newest first."""
    return list(
        db.session.scalars(
            select(RecordRevision)
            .where(RecordRevision.entity_type == entity_type, RecordRevision.entity_id == entity_id)
            .order_by(RecordRevision.id.desc())
        )
    )


def pending_ids(user, entity_type: str, entity_ids: list[int]) -> set[int]:
    """Which of these records of the user's department have an edit waiting for review."""
    stmt = select(RecordRevision.entity_id).where(
        RecordRevision.entity_type == entity_type,
        RecordRevision.state == RevisionState.PENDING,
        RecordRevision.entity_id.in_(entity_ids),
    )
    return set(db.session.scalars(access.own_department(stmt, RecordRevision, user)))


def pending_of_department(user, limit: int) -> list[RecordRevision]:
    """Edits waiting for review in the user's department, oldest first."""
    stmt = select(RecordRevision).where(RecordRevision.state == RevisionState.PENDING)
    stmt = access.own_department(stmt, RecordRevision, user).order_by(RecordRevision.submitted_at).limit(limit)
    return list(db.session.scalars(stmt))
