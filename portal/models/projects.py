"""Projects and facilities (项目/设施) of enterprises: entered and reviewed like records (录入 -> 审核).

Credit records (licences, penalties) may name the project they concern (`project_id` on them); the
应录未录 check compares licences, projects and records per industry and district.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import NAME, PublishableMixin
from portal.models.subject import Subject


class Project(PublishableMixin, db.Model):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    # 项目编号, issued on entry (XM + year + serial): the import column may name a project by it.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    name: Mapped[str] = mapped_column(NAME)
    kind: Mapped[str] = mapped_column(String(32))  # portal/reference/project_kinds.toml
    industry: Mapped[str] = mapped_column(String(32), index=True)  # portal/reference/industries.toml
    district: Mapped[str] = mapped_column(String(6), index=True)  # region code of a district (portal/city)
    address: Mapped[str | None] = mapped_column(String(300))
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)  # empty: still running
    remarks: Mapped[str | None] = mapped_column(Text)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)

    subject: Mapped[Subject] = relationship()
