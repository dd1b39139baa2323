"""Red lists, serious-dishonesty (black) lists and the abnormal-operations list."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import CODE, NAME, PublishableMixin, enum_column
from portal.models.subject import Subject


class ListKind(str, enum.Enum):
    RED = "red"
    BLACK = "black"
    ABNORMAL = "abnormal"

    @property
    def label(self) -> str:
        return {"red": "红名单", "black": "严重失信主体名单", "abnormal": "经营异常名录"}[self.value]


RED_LIST_TYPES = ("A级纳税人", "海关高级认证企业", "诚信典型", "其他")
BLACK_LIST_TYPES = (
    "失信被执行人",
    "重大税收违法案件当事人",
    "安全生产黑名单",
    "严重质量失信企业",
    "统计上严重失信企业",
    "海关失信认证企业",
    "非法集资名单",
    "严重失信债务人",
    "严重失信PE/VC企业",
    "恶意逃废债借款人",
    "涉电力领域失信",
    "慈善捐助失信",
    "拖欠农民工工资黑名单",
    "其他",
)
ABNORMAL_LIST_TYPES = ("经营异常名录",)
LIST_TYPES = {ListKind.RED: RED_LIST_TYPES, ListKind.BLACK: BLACK_LIST_TYPES, ListKind.ABNORMAL: ABNORMAL_LIST_TYPES}


class ListEntry(PublishableMixin, db.Model):
    __tablename__ = "list_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    kind: Mapped[ListKind] = mapped_column(enum_column(ListKind), index=True)
    list_type: Mapped[str] = mapped_column(String(64))
    authority: Mapped[str] = mapped_column(NAME)
    authority_uscc: Mapped[str | None] = mapped_column(CODE)
    reason: Mapped[str] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)
    listed_on: Mapped[dt.date] = mapped_column(Date, index=True)
    planned_end: Mapped[dt.date | None] = mapped_column(Date)
    removed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    removal_reason: Mapped[str | None] = mapped_column(Text)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)

    subject: Mapped[Subject] = relationship()
