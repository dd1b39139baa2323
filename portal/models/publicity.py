"""Double-publicity records (双公示): administrative licences and penalties, national fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import CODE, NAME, SHORT, PublishableMixin
from portal.models.projects import Project
from portal.models.subject import Subject


class DecisionRecord(PublishableMixin):
    """Columns shared by both kinds: the subject, the deciding authority, the data source."""

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    # The subject's name as written in this decision (names change; 重错码 checks compare them).
    subject_name: Mapped[str] = mapped_column(NAME)
    decided_on: Mapped[dt.date] = mapped_column(Date)  # indexed with id: see each table's arguments
    authority: Mapped[str] = mapped_column(NAME)
    authority_uscc: Mapped[str] = mapped_column(CODE)
    source_unit: Mapped[str] = mapped_column(NAME)
    source_unit_uscc: Mapped[str] = mapped_column(CODE)
    remarks: Mapped[str | None] = mapped_column(Text)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    # 所属行业, one of portal/reference/industries.toml (statistics and grading count by it).
    industry: Mapped[str | None] = mapped_column(String(32), index=True)
    # Working days from decision to publication, against the 7-day limit.
    timeliness_workdays: Mapped[int | None] = mapped_column(Integer)
    # Digest of the imported row: a re-import of an unchanged row writes nothing.
    source_hash: Mapped[str | None] = mapped_column(String(64))
    # 所属项目: an approved project or facility of the same subject (portal/models/projects.py).
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)


# A listing's order, then the columns its public rule and its walked filters test.
LICENSE_LISTING = ("decided_on", "id", "state", "category", "subject_id")
PENALTY_LISTING = ("decided_on", "id", "state", "display_until", "categories", "subject_id")
# A category, then the listing's order and every other filter's columns.
LICENSE_CATEGORY = ("category", "decided_on", "id", "state", "subject_id", "authority")
PENALTY_CATEGORIES = ("categories", "decided_on", "id", "state", "display_until", "subject_id", "authority")
# A record by id, then what the check of a search hit and of its stored view reads (the public
# rule, the versions): a page of hits reads these small entries, not its scattered rows.
LICENSE_SHOWN = ("id", "state", "decided_on", "updated_at", "subject_id", "project_id")
PENALTY_SHOWN = ("id", "state", "decided_on", "display_until", "updated_at", "subject_id", "project_id")
# A subject's penalties with what the public rule reads, and their 文书号: which of them a
# page of its records must not cite (presenters.hidden_references).
PENALTY_SUBJECT_HIDDEN = ("subject_id", "state", "decided_on", "display_until", "doc_no")


class License(DecisionRecord, db.Model):
    __tablename__ = "licenses"
    __table_args__ = (
        UniqueConstraint("doc_no", "authority_uscc", name="uq_licenses_natural_key"),
        # Listings and the home page read newest first by (decided_on, id): on decided_on alone,
        # PostgreSQL sorted a whole day's records to order them by id. The public rule's and the
        # filters' columns follow, so a walk past many records reads index entries, not rows
        # (a district and a rare category: 0.9 s -> 70 ms at 1M).
        Index("ix_licenses_listing", *LICENSE_LISTING),
        # Statistics count records published in a period (timeliness).
        Index("ix_licenses_published_at", "published_at"),
        # The statistics aggregates' refresh finds the records changed since the last one.
        Index("ix_licenses_updated_at", "updated_at"),
        # A listing filtered to a rare authority reads its records, and tests the other
        # filters on its index entries (portal/services/publication/filter_plans.py).
        Index("ix_licenses_authority", "authority", *LICENSE_LISTING),
        # A listing filtered to a category (a rare one, or with a district) reads its entries in
        # order and tests the other filters there.
        Index("ix_licenses_category", *LICENSE_CATEGORY),
        Index("ix_licenses_shown", *LICENSE_SHOWN),
    )

    doc_name: Mapped[str | None] = mapped_column(NAME)
    doc_no: Mapped[str] = mapped_column(String(128))
    category: Mapped[str] = mapped_column(String(16))
    cert_name: Mapped[str | None] = mapped_column(NAME)
    license_no: Mapped[str | None] = mapped_column(String(128))
    content: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    valid_to_long_term: Mapped[bool] = mapped_column(Boolean, default=False)
    current_status: Mapped[str | None] = mapped_column(SHORT)

    subject: Mapped[Subject] = relationship()
    project: Mapped[Project | None] = relationship()


class Penalty(DecisionRecord, db.Model):
    __tablename__ = "penalties"
    __table_args__ = (
        UniqueConstraint("doc_no", "authority_uscc", name="uq_penalties_natural_key"),
        Index("ix_penalties_listing", *PENALTY_LISTING),
        Index("ix_penalties_published_at", "published_at"),
        Index("ix_penalties_updated_at", "updated_at"),
        Index("ix_penalties_authority", "authority", *PENALTY_LISTING),
        Index("ix_penalties_categories", *PENALTY_CATEGORIES),
        Index("ix_penalties_shown", *PENALTY_SHOWN),
        Index("ix_penalties_subject_hidden", *PENALTY_SUBJECT_HIDDEN),
    )

    doc_no: Mapped[str] = mapped_column(String(128))
    violation_type: Mapped[str] = mapped_column(String(500))
    facts: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text)
    # One or more 处罚类别, joined by ';' in national order.
    categories: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    fine_wan: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    confiscated_wan: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    license_affected: Mapped[str | None] = mapped_column(String(500))
    penalty_valid_to: Mapped[dt.date | None] = mapped_column(Date)
    penalty_valid_long_term: Mapped[bool] = mapped_column(Boolean, default=False)
    # 公示截止期 as given in the record (None when the file left it empty).
    publicity_deadline: Mapped[dt.date | None] = mapped_column(Date)
    severity: Mapped[str] = mapped_column(String(8), default="一般")
    # Computed from severity, decision date and publicity_deadline (rules.publicity).
    repair_from: Mapped[dt.date] = mapped_column(Date)
    display_until: Mapped[dt.date] = mapped_column(Date, index=True)

    subject: Mapped[Subject] = relationship()
    project: Mapped[Project | None] = relationship()

    @property
    def category_list(self) -> list[str]:
        return [c for c in self.categories.split(";") if c]
