"""Demo submissions of the last four months: objections, repairs and commitments at every stage.

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
    SearchOutbox,
    Subject,
    SubjectKind,
)
from portal.models.applications import OBJECTION_GROUNDS
from portal.rules import commitment_letter, workdays
from portal.services.online import applications, commitment_codes
from portal.services.online.online_filing import repair_commitment_text

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
    application.status = ApplicationStatus.ACCEPTED
    application.deadline = applications.deadline_from(kind, ApplicationStatus.ACCEPTED, day)
    event = applications.log(application, "已受理", actor_label=dept.name)
    event.at = _at(day, 15)


def _decide(application, day: dt.date, status: ApplicationStatus, note: str, dept: Department) -> None:
    """Decided on `day` (a past working day): the history entry and the decision as handling writes them."""
    application.status, application.deadline = status, None
    application.decided_at, application.decision_reason = _at(day, 16), note
    applications.log(application, note, actor_label=dept.name).at = _at(day, 16)


def _handled(application, kind: str, record, day: dt.date, today: dt.date, rng: random.Random, dept) -> None:
    """An older submission carried to its end: accepted in 1–3 working days, decided 2–14 working days
    later (some past the 10-day limit). Upheld objections withdraw their record; approved repairs end
    the penalty's publication, as the handlers' decisions do."""
    accepted = workdays.add_workdays(day, rng.choice((1, 1, 2, 3)))
    decided = workdays.add_workdays(accepted, rng.choice((2, 4, 5, 7, 9, 12, 14)))
    if decided > today:
        return
    _accept(application, kind, accepted, dept)
    upheld = rng.random() < (0.3 if kind == "objection" else 0.7)
    if kind == "objection" and upheld and record.state == PublicationState.PUBLISHED:
        application.outcome = "withdraw"
        record.state, record.withdrawn_reason = PublicationState.WITHDRAWN, "异议成立：公示内容与决定文书不一致"
        _decide(
            application, decided, ApplicationStatus.APPROVED, "异议成立，已撤销公示：公示内容与决定文书不一致", dept
        )
    elif kind == "repair" and upheld and record.state == PublicationState.PUBLISHED:
        record.state = PublicationState.REPAIRED
        _decide(application, decided, ApplicationStatus.APPROVED, "准予信用修复：已履行处罚并完成整改", dept)
    else:
        note = "异议不成立：公示内容与决定文书一致" if kind == "objection" else "不予修复：整改材料不足"
        _decide(application, decided, ApplicationStatus.REJECTED, note, dept)
    db.session.add(
        SearchOutbox(entity_type="penalty" if kind == "repair" else application.record_type, entity_id=record.id)
    )


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
        day = today - dt.timedelta(days=rng.randrange(0, 120))
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
        if day < today - dt.timedelta(days=35):
            _handled(objection, "objection", record, day, today, rng, departments[record.department_id])
        elif accepted <= today and rng.random() < 0.5:
            _accept(objection, "objection", accepted, departments[record.department_id])
        filed += 1
    for penalty in penalties:
        day = today - dt.timedelta(days=rng.randrange(0, 120))
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
        if day < today - dt.timedelta(days=35):
            _handled(repair, "repair", penalty, day, today, rng, dept)
            if repair.status == ApplicationStatus.APPROVED:
                commitment.status = ApplicationStatus.ACCEPTED
                commitment_codes.assign(commitment, accepted)
        elif accepted <= today and rng.random() < 0.5:
            _accept(repair, "repair", accepted, dept)
            commitment.status = ApplicationStatus.ACCEPTED
            commitment_codes.assign(commitment, accepted)
        filed += 1
    db.session.commit()
    return filed
