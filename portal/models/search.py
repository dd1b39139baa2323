"""Search documents for the PostgreSQL search backend (the Whoosh backend keeps its own files)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class SearchDocument(db.Model):
    __tablename__ = "search_documents"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(Integer)
    subject_id: Mapped[int] = mapped_column(Integer)
    name_norm: Mapped[str | None] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(128), index=True)
    text_norm: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_search_documents_type_decided", "type", "decided_on"),)
