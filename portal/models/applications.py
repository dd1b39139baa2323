"""What the public files online: commitments, objections and repair applications, with history."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import CODE, NAME, SHORT, TimestampMixin, enum_column, utcnow
from portal.models.subject import Subject


class ApplicationStatus(str, enum.Enum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    MORE_MATERIAL = "more_material"
    VERIFIED = "verified"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {
            "submitted": "已提交",
            "accepted": "已受理",
            "refused": "不予受理",
            "more_material": "待补正材料",
            "verified": "已核实",
            "approved": "已通过",
            "rejected": "未通过",
        }[self.value]


OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.MORE_MATERIAL,
    ApplicationStatus.VERIFIED,
)


class ApplicationKind(str, enum.Enum):
    COMMITMENT = "commitment"
    OBJECTION = "objection"
    REPAIR = "repair"


class ApplicationMixin(TimestampMixin):
    """Receipt number, hashed query code, contact, workflow status and its current deadline."""

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    query_code_hash: Mapped[str] = mapped_column(String(255))
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus), default=ApplicationStatus.SUBMITTED, index=True
    )
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    contact_name: Mapped[str] = mapped_column(String(64))
    contact_phone: Mapped[str] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(128))
    deadline: Mapped[dt.date | None] = mapped_column(Date, index=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # Guards against a double click creating two submissions.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)


class CommitmentType(str, enum.Enum):
    APPROVAL_SUBSTITUTE = "审批替代型"
    TOLERANCE = "容缺受理型"
    CERTIFICATION = "证明事项告知承诺"
    REPAIR = "信用修复型"
    INDUSTRY = "行业自律型"
    VOLUNTARY = "主动型"
    OTHER = "其他"


DISCLOSURE_TYPES = ("可向社会公开", "特定范围内公开", "不可公开")
FULFILMENT_STATES = ("全部履行", "部分履行", "全部未履行")


class Commitment(ApplicationMixin, db.Model):
    __tablename__ = "commitments"

    code: Mapped[str | None] = mapped_column(String(20), unique=True)  # 承诺编码: region + date + serial
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"), index=True)
    committer_name: Mapped[str] = mapped_column(NAME)
    uscc: Mapped[str | None] = mapped_column(CODE, index=True)
    type: Mapped[CommitmentType] = mapped_column(enum_column(CommitmentType))
    matter: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    liability: Mapped[str] = mapped_column(Text)
    letter_text: Mapped[str] = mapped_column(Text)
    made_on: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    acceptor: Mapped[str] = mapped_column(NAME)
    acceptor_uscc: Mapped[str | None] = mapped_column(CODE)
    disclosure: Mapped[str] = mapped_column(String(16), default="可向社会公开")
    fulfilment: Mapped[str | None] = mapped_column(String(16))
    breach_action: Mapped[str | None] = mapped_column(Text)
    signer: Mapped[str] = mapped_column(String(64))
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    penalty_id: Mapped[int | None] = mapped_column(ForeignKey("penalties.id"))

    subject: Mapped[Subject | None] = relationship()


OBJECTION_GROUNDS = ("错误", "遗漏", "重复公示", "不应公示", "超期公示", "与决定机关记录不一致")


class Objection(ApplicationMixin, db.Model):
    __tablename__ = "objections"

    # The record concerned: 'penalty', 'license' or 'list_entry' and its id.
    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int] = mapped_column(Integer, index=True)
    ground: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    applicant_name: Mapped[str] = mapped_column(NAME)
    applicant_uscc: Mapped[str | None] = mapped_column(CODE)
    # When upheld: 'correct' (a revision through review) or 'withdraw'.
    outcome: Mapped[str | None] = mapped_column(String(16))


class RepairApplication(ApplicationMixin, db.Model):
    __tablename__ = "repair_applications"

    penalty_id: Mapped[int] = mapped_column(ForeignKey("penalties.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    applicant_name: Mapped[str] = mapped_column(NAME)
    applicant_uscc: Mapped[str] = mapped_column(CODE)
    performance: Mapped[str] = mapped_column(Text)  # how the penalty was performed and the conduct corrected
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id"))


class ApplicationEvent(db.Model):
    """One step in an application's history: what the applicant sees on the tracking page."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ApplicationKind] = mapped_column(enum_column(ApplicationKind))
    application_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus))
    note: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    actor_label: Mapped[str | None] = mapped_column(SHORT)


class Attachment(TimestampMixin, db.Model):
    """A file kept outside static/ under a random name; downloaded only through authorised routes."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[str] = mapped_column(String(16))
    owner_id: Mapped[int | None] = mapped_column(Integer, index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    # What the file is for within its submission (营业执照, 履行证明...); None for article images.
    purpose: Mapped[str | None] = mapped_column(String(32))
