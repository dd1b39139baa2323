"""Edits of published records waiting for review: the public keeps seeing the published version."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import enum_column, utcnow


class RevisionState(str, enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {"pending": "待审核", "approved": "已通过", "returned": "已退回"}[self.value]


class RecordRevision(db.Model):
    __tablename__ = "record_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(16))  # 'license', 'penalty' or 'list_entry'
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    # New values of the changed fields, JSON-ready (dates as ISO strings, amounts as strings).
    changes: Mapped[dict] = mapped_column(JSON)
    state: Mapped[RevisionState] = mapped_column(enum_column(RevisionState), default=RevisionState.PENDING, index=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
