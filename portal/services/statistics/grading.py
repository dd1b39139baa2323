"""Credit grading of enterprises per industry (A–E) and graded supervision.

A grader runs an evaluation for a period: every enterprise with an industry is scored by its
industry's model (portal/reference/grading.toml, rules in portal/rules/grading.py) as of the
period's last day, and the grades are stored with their explanation, the model's version and digest,
who ran it and when. Pages read stored evaluations; nothing is recomputed silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from portal import clock, reference
from portal.extensions import db
from portal.models import (
    Commitment,
    Grade,
    GradingRun,
    ListEntry,
    ListKind,
    Penalty,
    PublicationState,
    Role,
    Subject,
    SubjectKind,
)
from portal.rules import grading as rules
from portal.rules.publicity import add_months
from portal.services.core import audit
from portal.services.publication.publishing import WorkflowError
from portal.services.statistics.period import Period

ENTERPRISES = (SubjectKind.ORGANISATION, SubjectKind.INDIVIDUAL_BUSINESS)
BREACH = ("部分履行", "全部未履行")
LIST_EVIDENCE = {ListKind.BLACK: "black", ListKind.ABNORMAL: "abnormal", ListKind.RED: "red"}


def _require(user) -> None:
    if not (user.has_role(Role.GRADER) or user.has_role(Role.ADMIN)):
        raise WorkflowError("需要“信用评价员”角色才能进行信用评价")


def evidence(as_of: dt.date, max_years: float) -> dict[int, list[rules.Evidence]]:
    """Evidence per subject as of a day: published penalties within the model's horizon, list entries
    current that day, commitments recorded as broken."""
    since = add_months(as_of, -int(12 * max_years) - 1)
    found: dict[int, list[rules.Evidence]] = {}
    penalties = select(Penalty).where(
        Penalty.state == PublicationState.PUBLISHED, Penalty.decided_on <= as_of, Penalty.decided_on >= since
    )
    for p in db.session.scalars(penalties):
        found.setdefault(p.subject_id, []).append(
            rules.Evidence("penalty", p.id, f"行政处罚 {p.doc_no}", p.decided_on, p.severity, tuple(p.category_list))
        )
    entries = select(ListEntry).where(
        ListEntry.state == PublicationState.PUBLISHED,
        ListEntry.listed_on <= as_of,
        (ListEntry.removed_on.is_(None)) | (ListEntry.removed_on > as_of),
    )
    for e in db.session.scalars(entries):
        found.setdefault(e.subject_id, []).append(
            rules.Evidence(LIST_EVIDENCE[e.kind], e.id, f"{e.kind.label}：{e.list_type}", e.listed_on)
        )
    broken = select(Commitment).where(
        Commitment.fulfilment.in_(BREACH), Commitment.subject_id.is_not(None), Commitment.made_on <= as_of
    )
    for c in db.session.scalars(broken):
        found.setdefault(c.subject_id, []).append(
            rules.Evidence("commitment", c.id, f"信用承诺 {c.code or c.number}（{c.fulfilment}）", c.made_on)
        )
    return found


def run(period: Period, user) -> GradingRun:
    """Evaluate every enterprise with an industry as of the period's last day, and store the result."""
    _require(user)
    model = reference.grading_model()
    as_of = min(period.end, clock.today())
    horizon = max([model.default.max_years] + [m.max_years for m in model.industries.values()])
    by_subject = evidence(as_of, horizon)
    evaluation = GradingRun(
        period=period.code, as_of=as_of, run_by_id=user.id, model_version=model.version, model_digest=model.digest
    )
    db.session.add(evaluation)
    db.session.flush()
    subjects = db.session.execute(
        select(Subject.id, Subject.industry).where(Subject.kind.in_(ENTERPRISES), Subject.industry.is_not(None))
    ).all()
    rows = []
    for subject_id, industry in subjects:
        result = rules.evaluate(model.for_industry(industry), by_subject.get(subject_id, []), as_of)
        rows.append(
            {
                "run_id": evaluation.id,
                "subject_id": subject_id,
                "industry": industry,
                "score": result.score,
                "grade": result.grade,
                "items": [
                    {
                        "kind": i.evidence.kind,
                        "id": i.evidence.id,
                        "label": i.evidence.label,
                        "day": i.evidence.day.isoformat(),
                        "points": i.points,
                        "reason": i.reason,
                    }
                    for i in result.items
                ],
            }
        )
    if rows:
        db.session.execute(Grade.__table__.insert(), rows)
    evaluation.subjects = len(rows)
    audit.record(
        "grading_run",
        user=user,
        entity_type="grading_run",
        entity_id=evaluation.id,
        after={
            "period": period.code,
            "as_of": as_of.isoformat(),
            "model_version": model.version,
            "subjects": len(rows),
        },
    )
    db.session.commit()
    return evaluation


def runs(limit: int = 20) -> list[GradingRun]:
    return list(db.session.scalars(select(GradingRun).order_by(GradingRun.id.desc()).limit(limit)))


def get_run(run_id: int) -> GradingRun | None:
    return db.session.get(GradingRun, run_id)


def latest_run(period_code: str | None = None) -> GradingRun | None:
    stmt = select(GradingRun).order_by(GradingRun.id.desc()).limit(1)
    if period_code:
        stmt = stmt.where(GradingRun.period == period_code)
    return db.session.scalar(stmt)


@dataclass
class Distribution:
    industry: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, grade: str) -> float | None:
        return self.counts.get(grade, 0) / self.total if self.total else None


def distribution(run_id: int) -> list[Distribution]:
    """A–E counts per industry (in the industries file's order), then the whole city."""
    counts: dict[str, dict[str, int]] = {}
    stmt = (
        select(Grade.industry, Grade.grade, func.count())
        .where(Grade.run_id == run_id)
        .group_by(Grade.industry, Grade.grade)
    )
    for industry, grade, n in db.session.execute(stmt):
        counts.setdefault(industry, {})[grade] = n
    out = [Distribution(name, counts[name]) for name in reference.industries().names if name in counts]
    city_wide = {g: sum(c.get(g, 0) for c in counts.values()) for g in rules.GRADES}
    return [*out, Distribution("全市", city_wide)]


def grades(run_id: int, industry: str | None = None, grade: str | None = None, limit: int = 200) -> list[tuple]:
    stmt = (
        select(Grade, Subject.name, Subject.uscc)
        .join(Subject, Subject.id == Grade.subject_id)
        .where(Grade.run_id == run_id)
        .order_by(Grade.score, Grade.subject_id)
        .limit(limit)
    )
    if industry:
        stmt = stmt.where(Grade.industry == industry)
    if grade:
        stmt = stmt.where(Grade.grade == grade)
    return db.session.execute(stmt).all()


def explanation(run_id: int, subject_id: int) -> tuple[Grade, Subject] | None:
    found = db.session.execute(
        select(Grade, Subject)
        .join(Subject, Subject.id == Grade.subject_id)
        .where(Grade.run_id == run_id, Grade.subject_id == subject_id)
    ).first()
    return None if found is None else (found[0], found[1])


def public_grade(subject_id: int) -> dict | None:
    """The subject's grade in the latest evaluation, only where the grading file makes grades public."""
    if not reference.grading_model().public:
        return None
    found = db.session.execute(
        select(Grade.grade, Grade.industry, GradingRun.period)
        .join(GradingRun, GradingRun.id == Grade.run_id)
        .where(Grade.subject_id == subject_id)
        .order_by(GradingRun.id.desc())
        .limit(1)
    ).first()
    return None if found is None else {"grade": found.grade, "industry": found.industry, "period": found.period}


def base_score(industry: str | None) -> float:
    return reference.grading_model().for_industry(industry).base


# Graded supervision -------------------------------------------------------------------------------


@dataclass
class SampleRow:
    subject_id: int
    name: str
    uscc: str | None
    grade: str
    score: float
    frequency: str


def new_seed() -> str:
    return secrets.token_hex(4)


def sample(run_id: int, industry: str, seed: str) -> list[SampleRow]:
    """The 双随机 inspection sample of one industry from a stored evaluation: reproducible by its seed."""
    model = reference.grading_model()
    found = {
        g.subject_id: (g, name, uscc)
        for g, name, uscc in db.session.execute(
            select(Grade, Subject.name, Subject.uscc)
            .join(Subject, Subject.id == Grade.subject_id)
            .where(Grade.run_id == run_id, Grade.industry == industry)
        )
    }
    chosen = rules.draw_sample([(sid, g.grade) for sid, (g, _, _) in found.items()], model.supervision, seed)
    return [
        SampleRow(
            sid,
            found[sid][1],
            found[sid][2],
            found[sid][0].grade,
            found[sid][0].score,
            model.supervision[found[sid][0].grade].frequency,
        )
        for sid in chosen
    ]


def draw(run_id: int, industry: str, seed: str, user) -> list[SampleRow]:
    """Draw a sample and record the draw (evaluation, industry, seed, subjects) in the audit log."""
    _require(user)
    rows = sample(run_id, industry, seed)
    audit.record(
        "inspection_sample",
        user=user,
        entity_type="grading_run",
        entity_id=run_id,
        after={"industry": industry, "seed": seed, "subjects": [r.subject_id for r in rows]},
    )
    db.session.commit()
    return rows


def sample_csv(rows: list[SampleRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("主体名称", "统一社会信用代码", "信用等级", "评分", "检查频次"))
    for r in rows:
        writer.writerow((r.name, r.uscc or "", r.grade, r.score, r.frequency))
    return "\ufeff" + out.getvalue()
