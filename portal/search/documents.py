"""Turning database rows into index documents, and deciding what the index may hold.

Natural persons are not searchable by name, and no unmasked personal data reaches the index:
record text is what the presenters show (portal.presenters.searchable_text), masked the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import city, presenters
from portal.extensions import db
from portal.models import License, Penalty, Project, Subject, SubjectKind
from portal.presenters import searchable_text
from portal.rules import company_names
from portal.rules.text import fold
from portal.search import presentations
from portal.search.backend import LICENSE, PENALTY, SUBJECT, Doc
from portal.search.query import normalise_doc_no
from portal.visibility import is_public, public_filter

MODELS = {SUBJECT: Subject, LICENSE: License, PENALTY: Penalty}
BATCH = 500  # records presented together: one query for their subjects' hidden 文书号


def subject_doc(subject: Subject) -> Doc | None:
    if subject.kind == SubjectKind.PERSON:
        return None
    return Doc(
        SUBJECT,
        subject.id,
        subject.id,
        name=subject.name_norm,
        code=subject.uscc or "",
        initials=company_names.initials_keys(subject.name, city.current().region_names),
    )


def record_doc(record, view: dict | None = None) -> Doc:
    """A licence's or penalty's document; its text from `view` (the presenter's) when given."""
    return Doc(
        LICENSE if isinstance(record, License) else PENALTY,
        record.id,
        record.subject_id,
        code=normalise_doc_no(record.doc_no),
        decided_on=record.decided_on,
        text=fold(searchable_text(record, view)),
    )


Presented = Callable[[list[dict]], None]


def _record_docs(records: list, today: dt.date, presented: Presented | None) -> list[Doc]:
    """Documents of public records; their stored presentations handed to `presented` (same views)."""
    forms = presenters.stored_forms(records, today)
    if presented is not None:
        presented([presentations.row(r, f) for r, f in zip(records, forms, strict=True)])
    return [record_doc(r, f.view) for r, f in zip(records, forms, strict=True)]


def _record_loads(model) -> tuple:
    """What presenting a record reads besides its row: its subject and its project (with the
    project's subject), a query per batch instead of one lazy load per record."""
    return (selectinload(model.subject), selectinload(model.project).selectinload(Project.subject))


def docs_for(
    entity_type: str, ids: list[int], today: dt.date, presented: Presented | None = None
) -> tuple[list[Doc], list[str]]:
    """Current documents of these entities, and the keys to remove (gone or no longer public)."""
    model = MODELS[entity_type]
    stmt = select(model).where(model.id.in_(ids))
    if model is not Subject:
        stmt = stmt.options(*_record_loads(model))
    found = {e.id: e for e in db.session.scalars(stmt)}
    if model is Subject:
        subject_docs = {i: subject_doc(found[i]) if i in found else None for i in ids}
        return [d for d in subject_docs.values() if d], [f"{entity_type}:{i}" for i, d in subject_docs.items() if not d]
    public = [found[i] for i in ids if i in found and is_public(found[i], today)]
    shown = {r.id for r in public}
    return _record_docs(public, today, presented), [f"{entity_type}:{i}" for i in ids if i not in shown]


def all_docs(today: dt.date, chunk: int = 5000, presented: Presented | None = None) -> Iterator[Doc]:
    """Every document, subjects first, records newest first (the order index walks prefer);
    with `presented`, the records' stored presentations go there, a batch at a time."""
    subjects = select(Subject).where(Subject.kind != SubjectKind.PERSON).order_by(Subject.id)
    for subject in db.session.scalars(subjects.execution_options(yield_per=chunk)):
        doc = subject_doc(subject)
        if doc is not None:
            yield doc
    for model in (Penalty, License):
        stmt = (
            select(model)
            .where(public_filter(model, today))
            .order_by(model.decided_on.desc(), model.id)
            .options(*_record_loads(model))
        )
        batch: list = []
        for record in db.session.scalars(stmt.execution_options(yield_per=chunk)):
            batch.append(record)
            if len(batch) >= BATCH:
                yield from _record_docs(batch, today, presented)
                batch = []
        yield from _record_docs(batch, today, presented)


def count_all(today: dt.date) -> int:
    from sqlalchemy import func

    total = db.session.scalar(select(func.count()).select_from(Subject).where(Subject.kind != SubjectKind.PERSON))
    for model in (Penalty, License):
        total += db.session.scalar(select(func.count()).select_from(model).where(public_filter(model, today)))
    return total
