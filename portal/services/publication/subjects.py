"""A subject's public credit file: basic data and every record the public may see today."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select

from portal import clock
from portal.extensions import db
from portal.models import Commitment, License, ListEntry, ListKind, Penalty, Subject, SubjectKind
from portal.presenters import commitment_view, subject_view
from portal.rules import idcard, uscc
from portal.rules.text import normalise_name
from portal.services.credit_lists import lists
from portal.services.online import commitments
from portal.services.publication import data_quality, projects, records
from portal.services.statistics import grading
from portal.visibility import public_filter

# Tags on the file's cover, by list kind (national credit report V2.0).
TAGS = {ListKind.RED: "守信激励对象", ListKind.BLACK: "严重失信主体", ListKind.ABNORMAL: "经营异常名录"}


def find(ref: str) -> Subject | None:
    """By USCC for organisations, by public_id otherwise; never by an ID number."""
    ref = (ref or "").strip()
    if uscc.is_valid(ref):
        return db.session.scalar(select(Subject).where(Subject.uscc == uscc.normalise(ref)).order_by(Subject.id))
    return db.session.scalar(select(Subject).where(Subject.public_id == ref))


def _public(model, subject: Subject, newest_first) -> Sequence:
    stmt = select(model).where(model.subject_id == subject.id, public_filter(model, clock.today()))
    return db.session.scalars(stmt.order_by(newest_first.desc(), model.id.desc())).all()


def _commitments(subject: Subject) -> list[dict]:
    mine = Commitment.subject_id == subject.id
    if subject.uscc:
        mine = or_(mine, Commitment.uscc == subject.uscc)  # filed online before the subject was linked
    return [commitment_view(c) for c in db.session.scalars(commitments.newest_public(mine))]


def credit_file(ref: str) -> dict | None:
    """The file, or None for an unknown ref or a natural person with nothing public today."""
    subject = find(ref)
    if subject is None:
        return None
    file = file_for(subject)
    if subject.is_person and not any(file["counts"].values()):
        return None
    return {**file, "grade": None if subject.is_person else grading.public_grade(subject.id)}


def file_for(subject: Subject) -> dict:
    """Everything public today about a subject, through the presenters (credit file page, API, reports)."""
    today = clock.today()
    licenses = records.present("license", _public(License, subject, License.decided_on), today)
    penalties = records.present("penalty", _public(Penalty, subject, Penalty.decided_on), today)
    entries = lists.present(_public(ListEntry, subject, ListEntry.listed_on), today)
    promises = _commitments(subject)
    return {
        "subject": {
            **subject_view(subject),
            "region_name": records.region_name(subject.region_code),
            # 曾用名: only names staff confirmed as a change of name (data_quality), never persons'.
            "former_names": [] if subject.is_person else data_quality.former_names(subject),
        },
        "as_of": today.isoformat(),
        "tags": sorted({TAGS[ListKind(e["kind"])] for e in entries}),
        "counts": {
            "licenses": len(licenses),
            "penalties": len(penalties),
            "list_entries": len(entries),
            "commitments": len(promises),
        },
        "licenses": licenses,
        "penalties": penalties,
        "list_entries": entries,
        "commitments": promises,
        # 项目/设施 are enterprises' (never a person's): approved ones, public fields only.
        "projects": [] if subject.is_person else projects.public_of(subject),
    }


COUNTER_LIMIT = 20


def get(subject_id: int) -> Subject | None:
    return db.session.get(Subject, subject_id)


def find_at_counter(query: str) -> list[Subject]:
    """The service hall's search: organisations by USCC or part of the name; persons only by exact ID number."""
    query = (query or "").strip()
    if not query:
        return []
    if uscc.is_valid(query):
        return list(db.session.scalars(select(Subject).where(Subject.uscc == uscc.normalise(query))))
    number = query.upper()
    if not idcard.validate(number):
        found = db.session.scalar(select(Subject).where(Subject.subject_key == f"ID:{idcard.ID_CARD}:{number}"))
        return [found] if found is not None else []
    folded = normalise_name(query)
    if len(folded) < 2:
        return []
    stmt = (
        select(Subject)
        .where(Subject.kind != SubjectKind.PERSON, Subject.name_norm.contains(folded, autoescape=True))
        .order_by(Subject.name_norm)
        .limit(COUNTER_LIMIT)
    )
    return list(db.session.scalars(stmt))
