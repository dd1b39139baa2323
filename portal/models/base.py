"""Shared column types and the publication state every public record carries."""

from __future__ import annotations

import datetime as dt
import enum
import secrets

from sqlalchemy import DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class PublicationState(str, enum.Enum):
    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    REPAIRED = "repaired"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    PublicationState.DRAFT: "草稿",
    PublicationState.PENDING: "待审核",
    PublicationState.PUBLISHED: "已公示",
    PublicationState.WITHDRAWN: "已撤销",
    PublicationState.EXPIRED: "公示期满",
    PublicationState.REPAIRED: "已信用修复",
}


def enum_column(enum_cls, **kw):
    """Store enum values (not names) as plain strings: portable and readable in SQL."""
    from sqlalchemy import Enum

    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        **kw,
    )


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now()
    )


class PublishableMixin(TimestampMixin):
    """Publication state plus the people and dates of 录入 -> 审核 -> 公示."""

    state: Mapped[PublicationState] = mapped_column(
        enum_column(PublicationState), default=PublicationState.PENDING, index=True
    )
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_reason: Mapped[str | None] = mapped_column(String(500))
    # 录入 and 审核: who entered the record, who decided on it, and why it was returned.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    returned_reason: Mapped[str | None] = mapped_column(String(500))


SHORT = String(100)
NAME = String(200)
CODE = String(64)
