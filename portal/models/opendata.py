"""Open data: the moments records left (or entered) public view through a change someone made, and
the API keys of registered users.

Removals that follow from the calendar alone (a penalty's display window ending, a list exit dated
ahead) are not stored: the removal feed derives them from the publicity rules on the day they happen.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.extensions import db
from portal.models.base import utcnow


class VisibilityEvent(db.Model):
    __tablename__ = "visibility_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    # 'license', 'penalty', 'list_entry' or 'commitment'
    entity_type: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(Integer)
    # A removal kind (portal.services.opendata.removals.KINDS) or 'published'.
    kind: Mapped[str] = mapped_column(String(32))
    # In UTC: SQLite keeps no offset.
    at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=lambda: clock.now().astimezone(dt.timezone.utc), index=True
    )
    # Public identifiers kept with the event: the record itself may change later.
    doc_no: Mapped[str | None] = mapped_column(String(128))
    authority_uscc: Mapped[str | None] = mapped_column(String(64))
    code: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (db.Index("ix_visibility_events_entity", "entity_type", "entity_id"),)


class ApiKey(db.Model):
    """A registered user's API key: only its SHA-256 is stored (the key is shown once, when issued).

    Keys are 256-bit random tokens, so a plain digest is enough: there is nothing to guess."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))  # who it was issued to (organisation or person)
    prefix: Mapped[str] = mapped_column(String(16))  # first characters, to recognise it in lists
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
