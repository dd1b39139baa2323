"""News and policy columns (栏目) and their articles."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import PublishableMixin, TimestampMixin

DEFAULT_COLUMNS = (
    ("news", "信用动态"),
    ("policy", "政策法规"),
    ("notice", "通知公告"),
    ("cases", "典型案例"),
    ("promotion", "诚信宣传"),
)


class Column(TimestampMixin, db.Model):
    __tablename__ = "columns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Article(PublishableMixin, db.Model):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    column_id: Mapped[int] = mapped_column(ForeignKey("columns.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(String(500))
    # Already cleaned by the one sanitising function before it is stored.
    body_html: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(100))
    publish_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))

    column: Mapped[Column] = relationship()
