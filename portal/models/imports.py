"""One run of the importer: who loaded which file, with what result."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import utcnow


class ImportRun(db.Model):
    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_valid: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    rows_new: Mapped[int] = mapped_column(Integer, default=0)
    rows_updated: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    # Back-office imports: the department, rows expected (for progress), the stored upload's name,
    # and why the run failed. A run without finished_at and without error is still running; its job
    # writes heartbeat_at after every batch (NULL while it waits in the queue).
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    rows_expected: Mapped[int | None] = mapped_column(Integer)
    stored_name: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(String(500))
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
