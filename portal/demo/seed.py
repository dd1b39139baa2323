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
        entries.append(
            dict(
                subject_id=subject_id,
                kind=kind,
                list_type=list_type,
                authority=authority,
                reason=_list_reason(kind, list_type),
                basis=_LIST_BASIS[kind],
                listed_on=listed,
                planned_end=listed + dt.timedelta(days=365 * (1 if kind == ListKind.RED else 3)),
                removed_on=removed if removed and removed <= today else None,
                removal_reason="已履行相关义务，依申请移出" if removed and removed <= today else None,
                state=PublicationState.PUBLISHED,
                published_at=utcnow(),
                department_id=universe_dept.id if universe_dept else None,
            )
        )
    if entries:
        db.session.execute(insert(ListEntry), entries)
    db.session.commit()
    return len(entries)


_LIST_BASIS = {
    ListKind.RED: "《纳税信用管理办法》",
    ListKind.BLACK: "《最高人民法院关于公布失信被执行人名单信息的若干规定》",
    ListKind.ABNORMAL: "《企业经营异常名录管理暂行办法》",
}


def _list_reason(kind: ListKind, list_type: str) -> str:
    if kind == ListKind.RED:
        return f"经评定为{list_type}，列入守信激励对象名单"
    if kind == ListKind.BLACK:
        return f"列入{list_type}，有履行能力而拒不履行生效法律文书确定的义务"
    return "未按规定期限公示年度报告"


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
    from portal.services.setup import init_db

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
    main_dept = db.session.scalar(select(Department).order_by(Department.id))
    lists = _lists(rng, main_dept, today)
    commitments = _commitments(rng, today)
    articles = _articles(rng)
    filed = seed_applications(rng, today, count=max(6, min(30, subjects // 20)))
    return (
        f"演示数据：主体{len(universe.subjects)}个，行政许可{licences.valid}条，行政处罚{penalties.valid}条，"
        f"名单{lists}条，信用承诺{commitments}条，文章{articles}篇，在线申请{filed}件"
    )
