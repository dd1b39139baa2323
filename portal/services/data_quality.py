"""Data-quality checks over stored records: 重错码 (one code with two names, codes failing the check)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.extensions import db
from portal.models import License, Penalty, Subject
from portal.rules import uscc


@dataclass
class CodeReport:
    conflicts: dict[str, set[str]]  # USCC -> the different names records carry for it
    invalid: dict[str, list[str]]  # code -> why it fails


def code_report() -> CodeReport:
    pairs = []
    for model in (License, Penalty):
        pairs += db.session.execute(
            select(Subject.uscc, model.subject_name)
            .join(Subject, Subject.id == model.subject_id)
            .where(Subject.uscc.is_not(None))
            .distinct()
        ).all()
    codes = set(db.session.scalars(select(Subject.uscc).where(Subject.uscc.is_not(None))))
    for model in (License, Penalty):
        codes |= set(db.session.scalars(select(model.authority_uscc).distinct()))
        codes |= set(db.session.scalars(select(model.source_unit_uscc).distinct()))
    return CodeReport(conflicts=uscc.find_code_conflicts(pairs), invalid=uscc.find_invalid_codes(codes))
