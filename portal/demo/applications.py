"""Demo submissions of the last few weeks: objections, repairs and commitments at every stage.

Filed on past days through the same registration as the online forms, so that numbers, deadlines
and histories are real; some are past their deadline and show as overdue in the handlers' queues.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from sqlalchemy import select

from portal import clock
from portal.demo import vocabulary as vocab
from portal.demo.accounts import busiest_department
from portal.extensions import db
from portal.models import (
    ApplicationStatus,
    Commitment,
    CommitmentType,
    Department,
    License,
    Objection,
    Penalty,
    PublicationState,
    RepairApplication,
    Subject,
    SubjectKind,
)
from portal.models.applications import OBJECTION_GROUNDS
from portal.rules import commitment_letter, workdays
from portal.services import applications, commitment_codes
from portal.services.online_filing import repair_commitment_text

S = ApplicationStatus
DESCRIPTIONS = {
    "错误": "公示的罚款金额与处罚决定书载明的金额不一致，请予以核实更正。",
    "遗漏": "公示信息遗漏了复议决定变更处罚内容的情况。",
    "重复公示": "同一处罚决定被重复公示两次。",
    "不应公示": "该处罚属于轻微违法行为，依规不应公示。",
    "超期公示": "该信息已超过最长公示期限，仍在公示。",
    "与决定机关记录不一致": "公示内容与决定机关出具的原始文书不一致。",
}


def _contact(rng: random.Random) -> dict:
    return {"contact_name": vocab.person_name(rng), "contact_phone": f"13{rng.randrange(10**8, 10**9)}"}


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=clock.CHINA)


def _accept(application, kind: str, day: dt.date, dept: Department) -> None:
    """Accepted on `day`, with the handling deadline counted from then."""
    application.status = S.ACCEPTED
    application.deadline = applications.deadline_from(kind, S.ACCEPTED, day)
    event = applications.log(application, "已受理", actor_label=dept.name)
    event.at = _at(day, 15)


def _public_records(model, today: dt.date, rng: random.Random, n: int, *where) -> list:
    """Up to n public records of organisations, mostly of the demo accounts' department."""
    busiest = busiest_department()
    base = (
        select(model)
        .join(Subject, Subject.id == model.subject_id)
        .where(
            model.state == PublicationState.PUBLISHED,
            model.department_id.is_not(None),
            model.decided_on <= today,
            Subject.kind != SubjectKind.PERSON,
            *where,
        )
        .order_by(model.id)
        .limit(n * 20)
    )
    own = db.session.scalars(base.where(model.department_id == busiest.id)).all() if busiest else []
    picked = rng.sample(own, min(n * 2 // 3, len(own)))
    others = [r for r in db.session.scalars(base) if r not in picked]
    return picked + rng.sample(others, min(n - len(picked), len(others)))


def seed_applications(rng: random.Random, today: dt.date, count: int = 30) -> int:
    """About `count` submissions filed over the last five weeks; returns how many."""
    departments = {d.id: d for d in db.session.scalars(select(Department))}
    penalties = _public_records(
        Penalty, today, rng, count // 3, Penalty.repair_from <= today, Penalty.display_until >= today
    )
    records = [("penalty", p) for p in _public_records(Penalty, today, rng, count // 3, Penalty.display_until >= today)]
    records += [("license", r) for r in _public_records(License, today, rng, count // 6)]
    filed = 0
    for record_type, record in records:
        day = today - dt.timedelta(days=rng.randrange(0, 35))
        objection = Objection(
            record_type=record_type,
            record_id=record.id,
            ground=(ground := rng.choice(OBJECTION_GROUNDS)),
            description=DESCRIPTIONS[ground],
            applicant_name=record.subject.name,
            applicant_uscc=record.subject.uscc,
            department_id=record.department_id,
            **_contact(rng),
        )
        applications.register("objection", objection, secrets.token_urlsafe(24), on=day, note="在线提交异议")
        accepted = workdays.add_workdays(day, 1)
        if accepted <= today and rng.random() < 0.5:
            _accept(objection, "objection", accepted, departments[record.department_id])
        filed += 1
    for penalty in penalties:
        day = today - dt.timedelta(days=rng.randrange(0, 35))
        if day < penalty.repair_from:
            continue
        contact = _contact(rng)
        matter, letter = repair_commitment_text(penalty)
        dept = departments[penalty.department_id]
        commitment = Commitment(
            subject_id=penalty.subject_id,
            committer_name=penalty.subject.name,
            uscc=penalty.subject.uscc,
            type=CommitmentType.REPAIR,
            matter=matter,
            content=commitment_letter.TYPE_UNDERTAKINGS[CommitmentType.REPAIR.value],
            liability=commitment_letter.REPAIR_LIABILITY,
            letter_text=letter,
            made_on=day,
            acceptor=dept.name,
            acceptor_uscc=dept.uscc,
            disclosure="可向社会公开",
            signer=penalty.subject.legal_rep or "法定代表人",
            consent=True,
            department_id=dept.id,
            penalty_id=penalty.id,
            **contact,
        )
        token = secrets.token_urlsafe(24)
        applications.register(
            "commitment", commitment, f"{token}:commitment", on=day, note="随信用修复申请生成信用修复型承诺"
        )
        repair = RepairApplication(
            penalty_id=penalty.id,
            subject_id=penalty.subject_id,
            applicant_name=penalty.subject.name,
            applicant_uscc=penalty.subject.uscc,
            performance="已按处罚决定书缴纳全部罚款，完成整改并通过复查。",
            department_id=dept.id,
            commitment_id=commitment.id,
            **contact,
        )
        applications.register("repair", repair, token, on=day, note=f"在线提交信用修复申请：{penalty.doc_no}")
        accepted = workdays.add_workdays(day, 2)
        if accepted <= today and rng.random() < 0.5:
            _accept(repair, "repair", accepted, dept)
            commitment.status = S.ACCEPTED
            commitment_codes.assign(commitment, accepted)
        filed += 1
    db.session.commit()
    return filed
