"""A small published world for the public pages: imported national-format rows plus lists and filings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from portal import clock
from portal.extensions import db
from portal.models import (
    ApplicationStatus,
    Commitment,
    CommitmentType,
    License,
    ListEntry,
    ListKind,
    Objection,
    Penalty,
    PublicationState,
    RepairApplication,
    Subject,
)
from tests.exchange_files import (
    HAISHU_USCC,
    OTHER_AUTHORITY,
    PERSON,
    YINZHOU_USCC,
    authority_columns,
    import_rows,
    license_row,
    penalty_row,
)

YINZHOU = {"行政相对人名称": "宁波恒达建筑工程有限公司", "统一社会信用代码": YINZHOU_USCC, "法定代表人": "王建国"}
HAISHU = {"行政相对人名称": "宁波海曙绿源环保科技有限公司", "统一社会信用代码": HAISHU_USCC, "法定代表人": "陈立"}
LONELY_PERSON = {**PERSON, "行政相对人名称": "李四", "证件号码": "33021219850202001X"}

# Penalty document numbers by role in the scenario.
CURRENT, OTHER, PERSON_DOC = "甬市监罚〔2026〕1号", "甬环罚〔2026〕2号", "甬市监罚〔2026〕6号"
EXPIRED, WITHDRAWN, REPAIRED, LONELY = (
    "甬市监罚〔2023〕3号",
    "甬市监罚〔2026〕4号",
    "甬市监罚〔2026〕5号",
    "甬市监罚〔2023〕7号",
)
HIDDEN = (EXPIRED, WITHDRAWN, REPAIRED)
LICENSE_CURRENT, LICENSE_OTHER = "甬市监许〔2026〕1号", "甬环许〔2026〕2号"


def days_ago(n: int) -> str:
    return (clock.today() - dt.timedelta(days=n)).isoformat()


@dataclass
class World:
    penalties: dict[str, int]
    licenses: dict[str, int]
    yinzhou: Subject
    haishu: Subject
    person: Subject
    lonely_person: Subject


def _penalty(doc_no: str, subject: dict, decided: str, **extra) -> dict:
    return penalty_row(**{**subject, "行政处罚决定书文号": doc_no, "处罚决定日期": decided, **extra})


def build(runner, tmp_path) -> World:
    import_rows(
        runner,
        tmp_path / "p.csv",
        "penalty",
        [
            _penalty(CURRENT, YINZHOU, days_ago(30)),
            _penalty(
                OTHER,
                HAISHU,
                days_ago(60),
                处罚类别="罚款",
                失信严重程度="严重",
                **authority_columns("penalty", OTHER_AUTHORITY),
            ),
            _penalty(EXPIRED, YINZHOU, "2023-01-01"),
            _penalty(WITHDRAWN, YINZHOU, days_ago(20)),
            _penalty(REPAIRED, YINZHOU, days_ago(200)),
            _penalty(
                PERSON_DOC,
                PERSON,
                days_ago(10),
                违法事实="经查，当事人张三（身份证号330212198001010016，电话13812345678）无证经营。",
            ),
            _penalty(LONELY, LONELY_PERSON, "2023-01-01"),
        ],
    )
    import_rows(
        runner,
        tmp_path / "l.csv",
        "license",
        [
            license_row(
                **YINZHOU,
                **{"行政许可决定文书号": LICENSE_CURRENT, "许可决定日期": days_ago(15), "有效期自": days_ago(15)},
            ),
            license_row(
                **HAISHU,
                **{
                    "行政许可决定文书号": LICENSE_OTHER,
                    "许可类别": "特许",
                    "许可决定日期": days_ago(100),
                    "有效期自": days_ago(100),
                    "许可证书名称": "排污许可证",
                },
                **authority_columns("license", OTHER_AUTHORITY),
            ),
        ],
    )
    penalties = dict(db.session.execute(select(Penalty.doc_no, Penalty.id)).all())
    licenses = dict(db.session.execute(select(License.doc_no, License.id)).all())
    # What the back office does: withdraw one decision, approve the repair of another.
    db.session.execute(
        update(Penalty).where(Penalty.id == penalties[WITHDRAWN]).values(state=PublicationState.WITHDRAWN)
    )
    db.session.execute(update(Penalty).where(Penalty.id == penalties[REPAIRED]).values(state=PublicationState.REPAIRED))
    subject = {s.uscc or s.name: s for s in db.session.scalars(select(Subject))}
    world = World(penalties, licenses, subject[YINZHOU_USCC], subject[HAISHU_USCC], subject["张三"], subject["李四"])
    _lists(world)
    _commitments(world)
    db.session.commit()
    return world


def _entry(subject: Subject, kind: ListKind, list_type: str, listed: int, removed: int | None = None) -> ListEntry:
    today = clock.today()
    return ListEntry(
        subject_id=subject.id,
        kind=kind,
        list_type=list_type,
        authority="宁波市中级人民法院",
        reason=f"列入{list_type}",
        listed_on=today - dt.timedelta(days=listed),
        state=PublicationState.PUBLISHED,
        removed_on=None if removed is None else today - dt.timedelta(days=removed),
    )


def _lists(world: World) -> None:
    db.session.add_all(
        [
            _entry(world.yinzhou, ListKind.BLACK, "失信被执行人", 50),
            _entry(world.yinzhou, ListKind.BLACK, "拖欠农民工工资黑名单", 40),
            _entry(world.haishu, ListKind.RED, "A级纳税人", 70),
            _entry(world.haishu, ListKind.ABNORMAL, "经营异常名录", 300, removed=5),
        ]
    )


def _commitment(subject: Subject, number: str, disclosure: str, matter: str) -> Commitment:
    return Commitment(
        number=number,
        query_code_hash="x",
        status=ApplicationStatus.ACCEPTED,
        contact_name="王建国",
        contact_phone="13800000000",
        code=f"330212{clock.today():%Y%m%d}{number[-6:]}",
        subject_id=subject.id,
        committer_name=subject.name,
        uscc=subject.uscc,
        type=CommitmentType.TOLERANCE,
        matter=matter,
        content="承诺所提交材料真实有效",
        liability="承担相应法律责任",
        letter_text="承诺书",
        made_on=clock.today(),
        acceptor="宁波市发展和改革委员会",
        disclosure=disclosure,
        signer="王建国",
        consent=True,
    )


def _commitments(world: World) -> None:
    db.session.add_all(
        [
            _commitment(world.yinzhou, "CN-000001", "可向社会公开", "申请建筑工程施工许可容缺受理"),
            _commitment(world.yinzhou, "CN-000002", "特定范围内公开", "内部承诺事项不公开"),
        ]
    )


def open_objection(record_type: str, record_id: int) -> Objection:
    objection = Objection(
        number=f"YY-{record_type}-{record_id}",
        query_code_hash="x",
        contact_name="王建国",
        contact_phone="13800000000",
        record_type=record_type,
        record_id=record_id,
        ground="错误",
        description="处罚金额与决定书不一致",
        applicant_name="宁波恒达建筑工程有限公司",
    )
    db.session.add(objection)
    db.session.commit()
    return objection


def open_repair(world: World, penalty_id: int) -> RepairApplication:
    repair = RepairApplication(
        number=f"XF-{penalty_id}",
        query_code_hash="x",
        contact_name="王建国",
        contact_phone="13800000000",
        penalty_id=penalty_id,
        subject_id=world.yinzhou.id,
        applicant_name="宁波恒达建筑工程有限公司",
        applicant_uscc=YINZHOU_USCC,
        performance="已缴清罚款并完成整改",
    )
    db.session.add(repair)
    db.session.commit()
    return repair


def close(application, status: ApplicationStatus = ApplicationStatus.APPROVED) -> None:
    application.status = status
    db.session.commit()
