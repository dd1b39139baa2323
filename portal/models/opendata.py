"""Open data: the moments records left (or came back to) public view through a change someone made.

Removals that follow from the calendar alone (a penalty's display window ending, a list exit dated
ahead) are not stored: the removal feed derives them from the publicity rules on the day they happen.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.extensions import db


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
