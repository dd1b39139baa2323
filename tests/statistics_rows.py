"""A random but reproducible quarter of rows for the statistics tests: records in several industries
and districts, list entries, objections, repairs with their history, commitments and import runs."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from portal import clock
from portal.extensions import db
from portal.models import (
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    Commitment,
    CommitmentType,
    Department,
    ImportRun,
    License,
    ListEntry,
    ListKind,
    Objection,
    Penalty,
    PublicationState,
    RepairApplication,
    Subject,
    SubjectKind,
)
from portal.rules.workdays import add_workdays, workdays_between

S = ApplicationStatus
START, END = dt.date(2026, 4, 1), dt.date(2026, 6, 30)  # 2026Q2
INDUSTRIES = ("燃气经营", "建筑垃圾运输", "食品药品", None)
REGIONS = ("330203", "330212", "330282", "110108")  # the last is outside the demo city


def china(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=clock.CHINA)


@dataclass
class Rows:
    subjects: list[Subject] = field(default_factory=list)
    records: list = field(default_factory=list)
    lists: list[ListEntry] = field(default_factory=list)
    objections: list[Objection] = field(default_factory=list)
    repairs: list[RepairApplication] = field(default_factory=list)
    events: dict[int, list[ApplicationEvent]] = field(default_factory=dict)
    commitments: list[Commitment] = field(default_factory=list)
    runs: list[ImportRun] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)


def _day(rng: random.Random, start=dt.date(2026, 1, 10), end=dt.date(2026, 9, 20)) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days))


def build(seed: int = 13) -> Rows:
    rng = random.Random(seed)
    out = Rows()
    for i, name in enumerate(("宁波市市场监督管理局", "宁波市综合行政执法局")):
        dept = Department(name=name, uscc=f"11330200MB000000{i}X"[:18], region_code="330200")
        db.session.add(dept)
        out.departments.append(dept)
    db.session.flush()
    for i in range(24):
        kind = (SubjectKind.ORGANISATION, SubjectKind.INDIVIDUAL_BUSINESS, SubjectKind.PERSON)[i % 3]
        subject = Subject(
            subject_key=f"K{i}",
            kind=kind,
            name=f"主体{i}",
            name_norm=f"主体{i}",
            region_code=REGIONS[i % len(REGIONS)],
            industry=INDUSTRIES[i % len(INDUSTRIES)],
        )
        db.session.add(subject)
        out.subjects.append(subject)
    db.session.flush()
    for i in range(90):
        subject = rng.choice(out.subjects)
        decided = _day(rng)
        state = rng.choice([PublicationState.PUBLISHED] * 6 + [PublicationState.PENDING, PublicationState.WITHDRAWN])
        published_on = add_workdays(decided, rng.choice((1, 3, 6, 7, 8, 12, 20)))
        common = dict(
            subject_id=subject.id,
            subject_name=subject.name,
            decided_on=decided,
            authority="机关",
            authority_uscc="113302004JURQ2830R",
            source_unit="机关",
            source_unit_uscc="113302004JURQ2830R",
            doc_no=f"文{i}",
            industry=rng.choice(INDUSTRIES),
            department_id=rng.choice(out.departments).id,
            state=state,
            published_at=china(published_on) if state != PublicationState.PENDING else None,
            timeliness_workdays=workdays_between(decided, published_on) if state != PublicationState.PENDING else None,
        )
        if i % 2:
            display_until = decided + dt.timedelta(days=rng.choice((60, 200, 900)))
            record = Penalty(
                **common,
                violation_type="违法",
                facts="事实",
                basis="依据",
                categories="罚款",
                content="罚款",
                severity="一般",
                repair_from=decided + dt.timedelta(days=90),
                display_until=display_until,
            )
        else:
            record = License(**common, category=rng.choice(("普通", "登记", "核准")))
        db.session.add(record)
        out.records.append(record)
    for i in range(30):
        subject = rng.choice(out.subjects)
        kind = rng.choice(list(ListKind))
        listed = _day(rng, dt.date(2025, 1, 1), dt.date(2026, 6, 1))
        removed = listed + dt.timedelta(days=rng.randrange(30, 500)) if rng.random() < 0.5 else None
        entry = ListEntry(
            subject_id=subject.id,
            kind=kind,
            list_type="其他",
            authority="机关",
            reason="原因",
            listed_on=listed,
            removed_on=removed,
            state=PublicationState.PUBLISHED if i % 7 else PublicationState.PENDING,
            department_id=out.departments[i % 2].id,
        )
        db.session.add(entry)
        out.lists.append(entry)
    db.session.flush()
    penalties = [r for r in out.records if isinstance(r, Penalty)]
    for i in range(14):
        submitted = _day(rng, dt.date(2026, 3, 20), dt.date(2026, 7, 10))
        status = rng.choice((S.SUBMITTED, S.ACCEPTED, S.REFUSED, S.REJECTED, S.APPROVED, S.VERIFIED))
        outcome = rng.choice(("correct", "withdraw")) if status in (S.APPROVED, S.VERIFIED) else None
        decided = (
            add_workdays(submitted, rng.randrange(1, 16)) if status in (S.REFUSED, S.REJECTED, S.APPROVED) else None
        )
        objection = Objection(
            number=f"YY{i}",
            query_code_hash="x",
            contact_name="联系人",
            contact_phone="13800000000",
            record_type="penalty",
            record_id=penalties[i].id,
            ground="错误",
            description="说明",
            applicant_name=f"申请人{i}",
            status=status,
            outcome=outcome,
            department_id=out.departments[i % 2].id,
            created_at=china(submitted),
            decided_at=china(decided, 15) if decided else None,
        )
        db.session.add(objection)
        out.objections.append(objection)
    for i in range(12):
        penalty = penalties[i]
        submitted = _day(rng, dt.date(2026, 3, 20), dt.date(2026, 7, 10))
        status = rng.choice((S.SUBMITTED, S.ACCEPTED, S.REFUSED, S.REJECTED, S.APPROVED, S.MORE_MATERIAL))
        accept_deadline = add_workdays(submitted, 3)
        accepted_on = add_workdays(submitted, rng.choice((1, 2, 5)))
        decide_deadline = add_workdays(accepted_on, 10)
        repair = RepairApplication(
            number=f"XF{i}",
            query_code_hash="x",
            contact_name="联系人",
            contact_phone="13800000000",
            penalty_id=penalty.id,
            subject_id=penalty.subject_id,
            applicant_name=f"修复申请人{i}",
            applicant_uscc="91110108551385082Q",
            performance="已履行",
            status=status,
            department_id=out.departments[i % 2].id,
            created_at=china(submitted),
            deadline=accept_deadline if status == S.SUBMITTED else (decide_deadline if status == S.ACCEPTED else None),
        )
        db.session.add(repair)
        db.session.flush()
        steps = [(submitted, S.SUBMITTED, accept_deadline)]
        if status != S.SUBMITTED:
            steps.append((accepted_on, S.ACCEPTED if status != S.REFUSED else S.REFUSED, decide_deadline))
        if status in (S.REJECTED, S.APPROVED):
            steps.append((add_workdays(accepted_on, rng.choice((4, 9, 14))), status, None))
        if status == S.MORE_MATERIAL:
            steps.append((add_workdays(accepted_on, 2), S.MORE_MATERIAL, None))
        if status == S.REFUSED:
            steps[-1] = (accepted_on, S.REFUSED, None)
        events = []
        for day, step_status, deadline in steps:
            event = ApplicationEvent(
                kind=ApplicationKind.REPAIR,
                application_id=repair.id,
                at=china(day),
                status=step_status,
                deadline=deadline,
            )
            db.session.add(event)
            events.append(event)
        out.events[repair.id] = events
        out.repairs.append(repair)
    for i in range(16):
        subject = rng.choice(out.subjects)
        commitment = Commitment(
            number=f"CN{i}",
            query_code_hash="x",
            contact_name="联系人",
            contact_phone="13800000000",
            subject_id=subject.id,
            committer_name=subject.name,
            type=rng.choice(list(CommitmentType)),
            matter="事由",
            content="内容",
            liability="责任",
            letter_text="承诺书",
            made_on=_day(rng),
            acceptor="机关",
            signer="签署人",
            status=rng.choice((S.SUBMITTED, S.ACCEPTED, S.APPROVED, S.REFUSED)),
            fulfilment=rng.choice((None, "全部履行", "部分履行", "全部未履行")),
            department_id=out.departments[i % 2].id,
        )
        db.session.add(commitment)
        out.commitments.append(commitment)
    for i in range(6):
        total = rng.randrange(5, 40)
        valid = total - rng.randrange(0, 5)
        run = ImportRun(
            kind="penalty",
            file_name=f"f{i}.csv",
            file_sha256="0" * 64,
            finished_at=china(_day(rng, dt.date(2026, 3, 25), dt.date(2026, 7, 5))),
            rows_total=total,
            rows_valid=valid,
            rows_rejected=total - valid,
            department_id=out.departments[i % 2].id if i % 3 else None,
        )
        db.session.add(run)
        out.runs.append(run)
    db.session.commit()
    return out
