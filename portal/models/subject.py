"""Credit subjects (信用主体): organisations, individual businesses and natural persons."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import CODE, NAME, SHORT, TimestampMixin, enum_column, new_public_id


class SubjectKind(str, enum.Enum):
    ORGANISATION = "法人及非法人组织"
    INDIVIDUAL_BUSINESS = "个体工商户"
    PERSON = "自然人"


class Subject(TimestampMixin, db.Model):
    """One subject; records refer to it. Natural persons' ID numbers are stored, never shown unmasked."""

    __tablename__ = "subjects"
    # The statistics aggregates' refresh finds the subjects changed since the last one.
    __table_args__ = (
        Index("ix_subjects_updated_at", "updated_at"),
        # A listing's district is the set of its subjects' ids: PostgreSQL reads them from the
        # index alone (with the region code only, each walked record's subject row: 0.28 s cold).
        Index("ix_subjects_region_code", "region_code", "id"),
        # A stored view of a record is served while its subject's version is the one it was made from.
        Index("ix_subjects_shown", "id", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Natural key: USCC, else an older code, else the person's ID document (see importer.subjects).
    subject_key: Mapped[str] = mapped_column(String(120), unique=True)
    # Opaque id for URLs, so that a person's ID number never appears in one.
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    kind: Mapped[SubjectKind] = mapped_column(enum_column(SubjectKind))
    name: Mapped[str] = mapped_column(NAME)
    name_norm: Mapped[str] = mapped_column(NAME, index=True)
    uscc: Mapped[str | None] = mapped_column(CODE, index=True)
    region_code: Mapped[str | None] = mapped_column(String(6))
    # 所属行业: from the subject's first record with one (grading evaluates subjects per industry).
    industry: Mapped[str | None] = mapped_column(String(32), index=True)
    business_reg_no: Mapped[str | None] = mapped_column(CODE)
    org_code: Mapped[str | None] = mapped_column(CODE)
    tax_reg_no: Mapped[str | None] = mapped_column(CODE)
    institution_cert_no: Mapped[str | None] = mapped_column(CODE)
    social_org_reg_no: Mapped[str | None] = mapped_column(CODE)
    legal_rep: Mapped[str | None] = mapped_column(SHORT)
    legal_rep_id_type: Mapped[str | None] = mapped_column(SHORT)
    legal_rep_id_no: Mapped[str | None] = mapped_column(CODE)
    id_type: Mapped[str | None] = mapped_column(SHORT)
    id_no: Mapped[str | None] = mapped_column(CODE)
    # Decision date of the record the fields above were taken from: newer decisions win.
    info_as_of: Mapped[dt.date | None] = mapped_column(Date)

    @property
    def is_person(self) -> bool:
        return self.kind == SubjectKind.PERSON


class SubjectName(TimestampMixin, db.Model):
    """Another name a subject's code arrived under: kept, never written over the subject's name.

    'conflict' (重错码 until staff decide), 'former' (曾用名, after staff confirmed a change of name)
    or 'rejected' (staff found the other name wrong).
    """

    __tablename__ = "subject_names"
    __table_args__ = (UniqueConstraint("subject_id", "name_norm", name="uq_subject_names_subject_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    name: Mapped[str] = mapped_column(NAME)
    name_norm: Mapped[str] = mapped_column(NAME)
    first_seen_on: Mapped[dt.date | None] = mapped_column(Date)  # decision date of the first record under it
    source: Mapped[str] = mapped_column(String(16))  # 'import' or 'form'
    status: Mapped[str] = mapped_column(String(16), default="conflict", index=True)
