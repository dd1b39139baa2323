"""Issued credit reports: what identifies and verifies each one. The PDF itself is never stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import NAME, utcnow
from portal.models.subject import Subject


class ReportIssue(db.Model):
    __tablename__ = "report_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # 'full' (信用报告) or 'special' (专用信用报告)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    subject_name: Mapped[str] = mapped_column(NAME)  # as printed on the cover (masked for persons online)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    channel: Mapped[str] = mapped_column(String(16), index=True)  # 'online' or 'counter'
    purpose: Mapped[str | None] = mapped_column(String(16), index=True)
    requester_name: Mapped[str | None] = mapped_column(String(64))
    # A natural person's own report (identity checked at the counter): the cover shows the ID unmasked.
    own_report: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    period_from: Mapped[dt.date | None] = mapped_column(Date)
    period_to: Mapped[dt.date | None] = mapped_column(Date)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    # Summary counts as printed; and per record a keyed fingerprint -> content digest (rules.report_changes).
    counts: Mapped[dict] = mapped_column(JSON)
    snapshot: Mapped[dict] = mapped_column(JSON)
    # Digest of the counter form's one-off token: a second post of the same form issues nothing.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    subject: Mapped[Subject] = relationship()
