"""Derived statistics aggregates (portal/services/statistics/aggregates.py): counts of published
licences and penalties per day and dimension, rebuilt from the records at any time. The records
stay the source of truth; these tables only spare the statistics pages a scan of every row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import enum_column, utcnow
from portal.models.subject import SubjectKind


class StatRecordDay(db.Model):
    """Published records per decision day and dimension (the public-count and per-subject figures)."""

    __tablename__ = "stat_record_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # 'license' or 'penalty'
    decided_on: Mapped[dt.date] = mapped_column(Date, index=True)
    display_until: Mapped[dt.date | None] = mapped_column(Date)  # penalties: end of the publicity window
    department_id: Mapped[int | None] = mapped_column(Integer)
    industry: Mapped[str | None] = mapped_column(String(32))
    region_code: Mapped[str | None] = mapped_column(String(6))
    category: Mapped[str | None] = mapped_column(String(16))  # licences: the licence category
    subject_kind: Mapped[SubjectKind] = mapped_column(enum_column(SubjectKind))
    subject_industry: Mapped[str | None] = mapped_column(String(32))
    records: Mapped[int] = mapped_column(Integer)


class StatTimelyDay(db.Model):
    """Records per publication day (China time), working days to publication and dimension."""

    __tablename__ = "stat_timely_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    published_on: Mapped[dt.date] = mapped_column(Date, index=True)
    workdays: Mapped[int] = mapped_column(Integer)
    department_id: Mapped[int | None] = mapped_column(Integer)
    industry: Mapped[str | None] = mapped_column(String(32))
    region_code: Mapped[str | None] = mapped_column(String(6))
    records: Mapped[int] = mapped_column(Integer)


class StatState(db.Model):
    """When the aggregates were last brought up to date, and snapshots of whole-database figures."""

    __tablename__ = "stat_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)  # JSON
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
