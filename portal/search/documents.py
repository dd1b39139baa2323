"""Turning database rows into index documents, and deciding what the index may hold.

Natural persons are not searchable by name, and no unmasked personal data reaches the index:
record text is what the presenters show (portal.presenters.searchable_text), masked the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import city
from portal.extensions import db
from portal.models import License, Penalty, Subject, SubjectKind
from portal.presenters import searchable_text
from portal.rules import company_names
from portal.rules.text import fold
from portal.search.backend import LICENSE, PENALTY, SUBJECT, Doc
from portal.search.query import normalise_doc_no
from portal.visibility import is_public, public_filter

MODELS = {SUBJECT: Subject, LICENSE: License, PENALTY: Penalty}


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


def license_doc(lic: License) -> Doc:
    return Doc(
        LICENSE,
        lic.id,
        lic.subject_id,
        code=normalise_doc_no(lic.doc_no),
        decided_on=lic.decided_on,
        text=fold(searchable_text(lic)),
    )


def penalty_doc(p: Penalty) -> Doc:
    return Doc(
        PENALTY,
        p.id,
        p.subject_id,
        code=normalise_doc_no(p.doc_no),
        decided_on=p.decided_on,
        text=fold(searchable_text(p)),
    )


_BUILD = {LICENSE: license_doc, PENALTY: penalty_doc}


def docs_for(entity_type: str, ids: list[int], today: dt.date) -> tuple[list[Doc], list[str]]:
    """Current documents of these entities, and the keys to remove (gone or no longer public)."""
    model = MODELS[entity_type]
    stmt = select(model).where(model.id.in_(ids))
    if model is not Subject:
        stmt = stmt.options(selectinload(model.subject))
    found = {e.id: e for e in db.session.scalars(stmt)}
    upserts, deletes = [], []
    for entity_id in ids:
        entity = found.get(entity_id)
        if entity is None:
            doc = None
        elif model is Subject:
            doc = subject_doc(entity)
        else:
            doc = _BUILD[entity_type](entity) if is_public(entity, today) else None
        if doc is None:
            deletes.append(f"{entity_type}:{entity_id}")
        else:
            upserts.append(doc)
    return upserts, deletes


def all_docs(today: dt.date, chunk: int = 5000) -> Iterator[Doc]:
    """Every document, subjects first, records newest first (the order index walks prefer)."""
    for model, build, order in (
        (Subject, subject_doc, Subject.id),
        (Penalty, penalty_doc, Penalty.decided_on.desc()),
        (License, license_doc, License.decided_on.desc()),
    ):
        stmt = select(model).order_by(order, model.id)
        if model is not Subject:
            stmt = stmt.where(public_filter(model, today)).options(selectinload(model.subject))
        else:
            stmt = stmt.where(Subject.kind != SubjectKind.PERSON)
        for entity in db.session.scalars(stmt.execution_options(yield_per=chunk)):
            doc = build(entity)
            if doc is not None:
                yield doc


def count_all(today: dt.date) -> int:
    from sqlalchemy import func

    total = db.session.scalar(select(func.count()).select_from(Subject).where(Subject.kind != SubjectKind.PERSON))
    for model in (Penalty, License):
        total += db.session.scalar(select(func.count()).select_from(model).where(public_filter(model, today)))
    return total
