"""Credit grading evaluations: one run per period (who, when, which model), one grade per enterprise
with the records and points that produced it. Stored, never recomputed silently."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import utcnow
from portal.models.org import StaffUser


class GradingRun(db.Model):
    __tablename__ = "grading_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(16), index=True)  # e.g. 2026Q3
    as_of: Mapped[dt.date] = mapped_column(Date)  # the evaluation day: the period's last day
    run_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    run_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    model_version: Mapped[str] = mapped_column(String(32))
    model_digest: Mapped[str] = mapped_column(String(64))
    subjects: Mapped[int] = mapped_column(Integer, default=0)

    run_by: Mapped[StaffUser | None] = relationship()


class Grade(db.Model):
    __tablename__ = "grades"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("grading_runs.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    industry: Mapped[str | None] = mapped_column(String(32), index=True)
    score: Mapped[float] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(1), index=True)
    # [{"kind", "id", "label", "day", "points", "reason"}]: what produced the score.
    items: Mapped[list] = mapped_column(JSON, default=list)
