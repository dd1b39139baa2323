"""Writing demo data into the database through the same importer that real files go through."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from collections.abc import Callable

from sqlalchemy import func, insert, select, update
from werkzeug.security import generate_password_hash

from portal import city, clock
from portal.demo import vocabulary as vocab
from portal.demo.applications import seed_applications
from portal.demo.generator import Universe, generate_rows, publication_day
from portal.demo.projects import seed_projects
from portal.extensions import db
from portal.importer.headers import HEADERS, LICENSE, PENALTY
from portal.importer.loader import ImportOptions, ImportResult, load_rows
from portal.importer.validate import RowValidator
from portal.models import (
    ApplicationStatus,
    Article,
    Column,
    Commitment,
    CommitmentType,
    Department,
    License,
    ListEntry,
    ListKind,
    Penalty,
    PublicationState,
    SearchOutbox,
    Subject,
    SubjectKind,
)
from portal.models.base import utcnow
from portal.models.lists import LIST_TYPES
from portal.rules import commitment_letter
from portal.sanitize import clean_html

LICENSE_SHARE = 0.55


def _load(universe: Universe, kind: str, count: int, seed: int, today: dt.date, echo) -> ImportResult:
    validator = RowValidator(kind, list(HEADERS[kind]), today)
    result = ImportResult(kind)
    started = time.perf_counter()
    rows = ((i + 2, cells) for i, cells in enumerate(generate_rows(universe, kind, count, today, seed)))
    load_rows(validator, rows, result, ImportOptions(published_on=publication_day(seed, today), actor="seed"))
    elapsed = time.perf_counter() - started
    echo(
        f"{kind}: {result.valid} 条，{result.rejected} 条被拒，{elapsed:.1f} 秒"
        f"（{result.total / max(elapsed, 1e-9):.0f} 行/秒）"
    )
    for problem in result.problems[:5]:
        echo(f"  第{problem.line}行 {problem.column}：{problem.message}")
    return result


def _departments() -> None:
    """One department per deciding authority found in the loaded records."""
    authorities = {
        (name, code)
        for model in (License, Penalty)
        for name, code in db.session.execute(select(model.authority, model.authority_uscc).distinct())
    }
    for name, code in sorted(authorities):
        dept = db.session.scalar(select(Department).where(Department.uscc == code))
        if dept is None:
            dept = Department(name=name, uscc=code, region_code=city.current().region_code)
            db.session.add(dept)
            db.session.flush()
        for model in (License, Penalty):
            db.session.execute(update(model).where(model.authority_uscc == code).values(department_id=dept.id))
    db.session.commit()


def _outbox(kind: str, model, condition) -> None:
    db.session.execute(
        insert(SearchOutbox).from_select(
            ["entity_type", "entity_id", "created_at"],
            select(func.cast(kind, SearchOutbox.entity_type.type), model.id, func.current_timestamp()).where(condition),
        )
    )


def _vary_states(today: dt.date) -> None:
    """Some records wait for review, a few were withdrawn, some repaired after their minimum period."""
    for kind, model in ((LICENSE, License), (PENALTY, Penalty)):
        pending = model.id % 53 == 0
        db.session.execute(
            update(model)
            .where(pending)
            .values(state=PublicationState.PENDING, published_at=None, timeliness_workdays=None)
        )
        withdrawn = model.id % 211 == 7
        db.session.execute(
            update(model).where(withdrawn).values(state=PublicationState.WITHDRAWN, withdrawn_reason="决定已被依法撤销")
        )
        _outbox(kind, model, pending | withdrawn)
    repaired = (Penalty.id % 7 == 3) & (Penalty.repair_from <= today) & (Penalty.state == PublicationState.PUBLISHED)
    _outbox(PENALTY, Penalty, repaired)
    db.session.execute(update(Penalty).where(repaired).values(state=PublicationState.REPAIRED))
    db.session.commit()


def _lists(rng: random.Random, universe_dept: Department | None, today: dt.date) -> int:
    orgs = db.session.execute(
        select(Subject.id, Subject.kind).where(Subject.kind != SubjectKind.PERSON).order_by(Subject.id)
    ).all()
    entries = []
    for subject_id, _kind in orgs:
        roll = rng.random()
        if roll < 0.012:
            kind, authority = ListKind.RED, f"国家税务总局{vocab.CITY}税务局"
        elif roll < 0.018:
            kind, authority = ListKind.BLACK, f"{vocab.CITY}中级人民法院"
        elif roll < 0.03:
            kind, authority = ListKind.ABNORMAL, f"{vocab.CITY}市场监督管理局"
        else:
            continue
        listed = today - dt.timedelta(days=rng.randrange(1, 365 * 3))
        removed = listed + dt.timedelta(days=rng.randrange(60, 700)) if rng.random() < 0.3 else None
        list_type = rng.choice(LIST_TYPES[kind])
        red_other = kind == ListKind.RED and list_type == "其他"
        authority, reason, basis, removal = RED_OTHER if red_other else LIST_FACTS[list_type]
        entries.append(
            dict(
                subject_id=subject_id,
                kind=kind,
                list_type=list_type,
                authority=authority,
                reason=reason,
                basis=basis,
                listed_on=listed,
                planned_end=listed + dt.timedelta(days=365 * (1 if kind == ListKind.RED else 3)),
                removed_on=removed if removed and removed <= today else None,
                removal_reason=removal if removed and removed <= today else None,
                state=PublicationState.PUBLISHED,
                published_at=utcnow(),
                department_id=universe_dept.id if universe_dept else None,
            )
        )
    if entries:
        db.session.execute(insert(ListEntry), entries)
    db.session.commit()
    return len(entries)


# Per list type: the deciding authority, the reason and basis of listing, and why entries leave it.
LIST_FACTS = {
    "A级纳税人": (
        "国家税务总局宁波市税务局",
        "年度纳税信用评价为A级",
        "《纳税信用管理办法》",
        "纳税信用级别调整，依规移出",
    ),
    "海关高级认证企业": (
        "中华人民共和国宁波海关",
        "经海关认证为高级认证企业（AEO）",
        "《中华人民共和国海关注册登记和备案企业信用管理办法》",
        "海关重新认证未通过，依规移出",
    ),
    "诚信典型": (
        "宁波市发展和改革委员会",
        "诚信经营事迹突出，经评选列为诚信典型",
        "《宁波市守信激励对象认定办法》",
        "有效期届满，依规移出",
    ),
    "失信被执行人": (
        "宁波市中级人民法院",
        "有履行能力而拒不履行生效法律文书确定的义务",
        "《最高人民法院关于公布失信被执行人名单信息的若干规定》",
        "已履行生效法律文书确定的义务，依申请移出",
    ),
    "重大税收违法案件当事人": (
        "国家税务总局宁波市税务局稽查局",
        "虚开增值税专用发票，构成重大税收违法失信案件",
        "《重大税收违法失信主体信息公布管理办法》",
        "已缴清税款、滞纳金和罚款，依申请提前停止公布",
    ),
    "安全生产黑名单": (
        "宁波市应急管理局",
        "发生生产安全责任事故且拒不整改",
        "《安全生产严重失信主体名单管理办法》",
        "整改到位并经复查合格，依规移出",
    ),
    "严重质量失信企业": (
        "宁波市市场监督管理局",
        "生产销售不合格产品，情节严重",
        "《市场监督管理严重违法失信名单管理办法》",
        "已纠正违法行为并履行处罚，依申请移出",
    ),
    "统计上严重失信企业": (
        "宁波市统计局",
        "提供不真实统计资料，情节严重",
        "《统计严重失信企业信用管理办法》",
        "公示期满且已整改，依规移出",
    ),
    "海关失信认证企业": (
        "中华人民共和国宁波海关",
        "被海关认定为失信企业：走私违规且拒不缴纳罚款",
        "《中华人民共和国海关注册登记和备案企业信用管理办法》",
        "已纠正失信行为并经海关重新认定，依规移出",
    ),
    "非法集资名单": (
        "宁波市地方金融管理局",
        "未经批准向社会不特定对象吸收资金，被认定为非法集资",
        "《防范和处置非法集资条例》",
        "清退完毕并经核查，依规移出",
    ),
    "严重失信债务人": (
        "宁波市中级人民法院",
        "拒不履行债务清偿义务，情节严重",
        "《关于对失信被执行人实施联合惩戒的合作备忘录》",
        "债务已清偿，依申请移出",
    ),
    "严重失信PE/VC企业": (
        "宁波市地方金融管理局",
        "私募投资基金管理人违规募集资金、挪用基金财产",
        "《私募投资基金监督管理暂行办法》",
        "违规行为已纠正，依规移出",
    ),
    "恶意逃废债借款人": (
        "中国人民银行宁波市分行",
        "具备还款能力而恶意拖欠金融机构借款",
        "《关于加强金融领域信用体系建设的意见》",
        "借款本息已清偿，依申请移出",
    ),
    "涉电力领域失信": (
        "国家能源局浙江监管办公室",
        "窃电及违约用电，拒不缴纳电费及违约使用电费",
        "《电力行业严重违法失信主体名单管理办法》",
        "已补缴电费并纠正违法行为，依规移出",
    ),
    "慈善捐助失信": (
        "宁波市民政局",
        "慈善组织违规使用捐赠财产",
        "《慈善组织信息公开办法》",
        "已整改并公开说明，依规移出",
    ),
    "拖欠农民工工资黑名单": (
        "宁波市人力资源和社会保障局",
        "克扣、无故拖欠农民工工资达到认定拖欠工资数额标准",
        "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》",
        "已清偿全部拖欠工资且一年内未再发生拖欠，依规移出",
    ),
    "经营异常名录": (
        "宁波市市场监督管理局",
        "未按规定期限公示年度报告",
        "《企业经营异常名录管理暂行办法》",
        "已补报年度报告并公示，依申请移出",
    ),
    "其他": (
        "宁波市发展和改革委员会",
        "经认定存在其他严重失信行为",
        "《宁波市公共信用信息管理条例》",
        "失信行为已纠正，依规移出",
    ),
}
RED_OTHER = (
    "宁波市发展和改革委员会",
    "经认定为其他守信激励对象",
    "《宁波市守信激励对象认定办法》",
    "有效期届满，依规移出",
)


def _commitments(rng: random.Random, today: dt.date) -> int:
    subjects = db.session.execute(
        select(Subject.id, Subject.name, Subject.uscc, Subject.legal_rep)
        .where(Subject.kind != SubjectKind.PERSON)
        .order_by(Subject.id)
    ).all()
    types = list(CommitmentType)
    rows, serial = [], {}
    for sid, name, code, legal_rep in subjects:
        if rng.random() >= 0.02:
            continue
        ctype = rng.choice([t for t in types if t != CommitmentType.REPAIR])
        made = today - dt.timedelta(days=rng.randrange(1, 700))
        serial[made] = serial.get(made, 0) + 1
        fields = vocab.commitment_fields(rng, ctype.value)
        rows.append(
            dict(
                number=f"CN-{made:%Y%m%d}-{len(rows) + 1:06d}",
                query_code_hash=generate_password_hash(secrets.token_urlsafe(8), method="pbkdf2:sha256:1000"),
                status=ApplicationStatus.ACCEPTED,
                contact_name=legal_rep or "联系人",
                contact_phone="13800000000",
                code=commitment_letter.commitment_code(city.current().region_code, made, serial[made]),
                subject_id=sid,
                committer_name=name,
                uscc=code,
                type=ctype,
                matter=fields["承诺事由"],
                content=fields["承诺内容"],
                liability=fields["违诺责任"],
                letter_text=fields["承诺内容"],
                made_on=made,
                valid_until=made + dt.timedelta(days=365),
                acceptor=city.current().footer.host,
                disclosure="可向社会公开" if rng.random() < 0.9 else "特定范围内公开",
                fulfilment=rng.choice(("全部履行", "全部履行", "全部履行", "部分履行", None)),
                signer=legal_rep or name,
                consent=True,
                created_at=utcnow(),
                updated_at=utcnow(),
            )
        )
    if rows:
        db.session.execute(insert(Commitment), rows)
    db.session.commit()
    return len(rows)


def _articles(rng: random.Random) -> int:
    n = 0
    for column in db.session.scalars(select(Column).order_by(Column.position)):
        for _ in range(4):
            title, body = vocab.article(rng, column.name)
            published = clock.now() - dt.timedelta(days=rng.randrange(1, 400), hours=rng.randrange(24))
            db.session.add(
                Article(
                    column_id=column.id,
                    title=title,
                    body_html=clean_html(body),
                    source=city.current().name,
                    state=PublicationState.PUBLISHED,
                    publish_at=published,
                    published_at=published,
                )
            )
            n += 1
    db.session.commit()
    return n


def seed_database(
    subjects: int,
    seed: int,
    records_per_subject: float = 3.0,
    *,
    if_empty: bool = False,
    echo: Callable[[str], None] = print,
) -> str:
    from portal.services.core.setup import init_db

    if if_empty and db.session.scalar(select(func.count()).select_from(Subject)):
        return "数据库已有数据，未写入演示数据"
    init_db()
    today = clock.today()
    universe = Universe(subjects, seed)
    records = int(subjects * records_per_subject)
    licences = _load(universe, LICENSE, int(records * LICENSE_SHARE), seed, today, echo)
    penalties = _load(universe, PENALTY, records - int(records * LICENSE_SHARE), seed, today, echo)
    _departments()
    _vary_states(today)
    rng = random.Random(f"extras:{seed}")
    # The first by name: ids depend on which departments init-db created before the records came.
    main_dept = db.session.scalar(select(Department).order_by(Department.name, Department.uscc))
    lists = _lists(rng, main_dept, today)
    commitments = _commitments(rng, today)
    articles = _articles(rng)
    filed = seed_applications(rng, today, count=max(6, min(30, subjects // 20)))
    projects = seed_projects(random.Random(f"projects:{seed}"), today)
    return (
        f"演示数据：主体{len(universe.subjects)}个，行政许可{licences.valid}条，行政处罚{penalties.valid}条，"
        f"名单{lists}条，信用承诺{commitments}条，文章{articles}篇，在线申请{filed}件，项目/设施{projects}个"
    )
