"""Search documents for the PostgreSQL search backend (the Whoosh backend keeps its own files)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import utcnow


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
    # Pinyin initials keys of a subject, space-separated (see company_names.initials_keys).
    initials: Mapped[str | None] = mapped_column(Text)


class SearchIndexState(db.Model):
    """Which index generation the search outbox is applied to (one row per backend kind).

    An index whose own id differs (a restored copy, another machine's files, a generation built
    by an older version) missed changes the outbox no longer holds: it is stale and is rebuilt.
    """

    __tablename__ = "search_index_state"

    backend: Mapped[str] = mapped_column(String(16), primary_key=True)
    index_id: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CachedFigure(db.Model):
    """A figure that is costly to count (home-page totals): a derived copy, recounted when old."""

    __tablename__ = "cached_figures"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    day: Mapped[dt.date] = mapped_column(Date)  # the day whose publication rules it counted
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RecordPresentation(db.Model):
    """A public record's view as portal.presenters made it (masked), kept by the search indexer: a
    derived copy, served only while the record, its subject and the masking code are unchanged."""

    __tablename__ = "record_presentations"

    type: Mapped[str] = mapped_column(String(16), primary_key=True)
    entity_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    subject_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[str] = mapped_column(String(16))  # presenters.PRESENTATION_VERSION
    record_updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    subject_updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # When it was made: a view naming a project changed since (approved, corrected, withdrawn) is stale.
    stored_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    hidden: Mapped[str] = mapped_column(Text)  # JSON list of the hidden 文书号 it was masked with
    view: Mapped[str] = mapped_column(Text)  # JSON of the presenter's dict
