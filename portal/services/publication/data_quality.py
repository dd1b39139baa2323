"""Data-quality checks over stored records: 重错码 (one code with two names, codes failing the check).

A code arriving under a second name never renames its subject: the other name is kept in
subject_names as a case for staff, who confirm a change of name (the old one becomes a 曾用名) or
mark the other name as wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import License, Penalty, SearchOutbox, Subject, SubjectName
from portal.rules import uscc
from portal.rules.text import normalise_name
from portal.services.core import audit
from portal.services.core.unit_of_work import commit

CONFLICT, FORMER, REJECTED = "conflict", "former", "rejected"


@dataclass
class CodeReport:
    conflicts: dict[str, set[str]]  # USCC -> the different names records carry for it
    invalid: dict[str, list[str]]  # code -> why it fails
    warnings: dict[str, list[str]] = field(default_factory=dict)  # code -> inner-check warnings (old codes)


def code_report() -> CodeReport:
    pairs = []
    for model in (License, Penalty):
        pairs += db.session.execute(
            select(Subject.uscc, model.subject_name)
            .join(Subject, Subject.id == model.subject_id)
            .where(Subject.uscc.is_not(None))
            .distinct()
        ).all()
    pairs += db.session.execute(select(Subject.uscc, Subject.name).where(Subject.uscc.is_not(None))).all()
    pairs += db.session.execute(
        select(Subject.uscc, SubjectName.name)
        .join(Subject, Subject.id == SubjectName.subject_id)
        .where(Subject.uscc.is_not(None), SubjectName.status == CONFLICT)
    ).all()
    codes = set(db.session.scalars(select(Subject.uscc).where(Subject.uscc.is_not(None))))
    for model in (License, Penalty):
        codes |= set(db.session.scalars(select(model.authority_uscc).distinct()))
        codes |= set(db.session.scalars(select(model.source_unit_uscc).distinct()))
    warnings = {}
    for code in codes:
        check = uscc.validate(code) if code else None
        if check is not None and check.ok and check.warnings:
            warnings[check.code] = check.warnings
    return CodeReport(
        conflicts=uscc.find_code_conflicts(pairs), invalid=uscc.find_invalid_codes(codes), warnings=warnings
    )


def record_other_name(subject: Subject, name: str, seen_on: dt.date | None, source: str) -> SubjectName:
    """Keep `name` as a name `subject`'s code arrived under (once per normalised name)."""
    norm = normalise_name(name)
    found = db.session.scalar(
        select(SubjectName).where(SubjectName.subject_id == subject.id, SubjectName.name_norm == norm)
    )
    if found is None:
        found = SubjectName(
            subject_id=subject.id, name=name.strip(), name_norm=norm, first_seen_on=seen_on, source=source
        )
        db.session.add(found)
    return found


@dataclass
class NameCase:
    case: SubjectName
    subject: Subject
    records_under_name: int
    records_under_subject_name: int


def _records_named(subject_id: int, name_norm: str) -> int:
    total = 0
    for model in (License, Penalty):
        names = db.session.scalars(select(model.subject_name).where(model.subject_id == subject_id))
        total += sum(1 for n in names if normalise_name(n) == name_norm)
    return total


def open_name_cases(limit: int = 200) -> list[NameCase]:
    cases = db.session.execute(
        select(SubjectName, Subject)
        .join(Subject, Subject.id == SubjectName.subject_id)
        .where(SubjectName.status == CONFLICT)
        .order_by(SubjectName.created_at, SubjectName.id)
        .limit(limit)
    ).all()
    return [NameCase(c, s, _records_named(s.id, c.name_norm), _records_named(s.id, s.name_norm)) for c, s in cases]


def open_name_case_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SubjectName).where(SubjectName.status == CONFLICT)) or 0


def former_names(subject: Subject) -> list[str]:
    return list(
        db.session.scalars(
            select(SubjectName.name)
            .where(SubjectName.subject_id == subject.id, SubjectName.status == FORMER)
            .order_by(SubjectName.updated_at.desc())
        )
    )


def open_name_case(case_id: int) -> SubjectName | None:
    """A 重错码 case still waiting for a decision."""
    case = db.session.get(SubjectName, case_id)
    return case if case is not None and case.status == CONFLICT else None


def decide_name_case(case: SubjectName, user, renamed: bool) -> None:
    """Staff decision: the subject was renamed (the old name becomes a 曾用名) or the other name is wrong."""
    subject = db.session.get(Subject, case.subject_id)
    before = {"name": subject.name, "case": case.name, "status": case.status}
    if renamed:
        old = record_other_name(subject, subject.name, None, "rename")
        old.status = FORMER
        subject.name, subject.name_norm = case.name, case.name_norm
        db.session.delete(case)
        db.session.add(SearchOutbox(entity_type="subject", entity_id=subject.id))
    else:
        case.status = REJECTED
    audit.record(
        "name_case",
        user=user,
        entity_type="subject",
        entity_id=subject.id,
        before=before,
        after={"name": subject.name, "renamed": renamed},
    )
    commit()
