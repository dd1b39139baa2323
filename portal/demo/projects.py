"""Demo projects and facilities (项目/设施) of licensed enterprises, with the gaps a real inspection finds.

Most enterprises licensed in an industry that needs projects get one or two approved projects there,
spanning the records they are attached to; about a fifth get none (有许可无项目), and some records are
left without their project, so that some projects running last quarter have no record in it
(项目无信用记录). A few projects wait for review.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import bindparam, insert, select, update

from portal import city, reference
from portal.demo import vocabulary as vocab
from portal.extensions import db
from portal.models import License, Penalty, Project, PublicationState, Subject, SubjectKind
from portal.models.base import utcnow
from portal.services.core import serials

# Per industry: (kind, name suffixes) of the projects an enterprise there runs.
PROJECT_STYLES = {
    "建筑施工": ("工程项目", ("住宅小区工程", "安置房工程", "综合楼工程", "厂房扩建工程", "学校新建工程")),
    "建筑垃圾运输": ("建筑垃圾处置项目", ("建筑垃圾清运项目", "工程渣土运输项目", "拆迁垃圾处置项目")),
    "燃气经营": ("燃气供应站点", ("液化石油气供应站", "天然气加气站", "燃气调压站")),
    "户外广告设置": ("户外广告设施", ("大型户外广告牌", "楼顶广告设施", "道路灯杆广告")),
    "生活垃圾分类收运": ("生活垃圾收运项目", ("生活垃圾分类收运项目", "餐厨垃圾收运项目")),
    "公共停车场经营": ("公共停车场", ("公共停车场", "立体停车库")),
    "城市园林绿化": ("园林绿化养护项目", ("道路绿化养护项目", "公园绿地养护项目")),
}
PLACES = ("滨江", "东湖", "新城", "北岸", "望春", "潘火", "明州", "梅墟", "庄桥", "洪塘", "姜山", "云龙")
NO_PROJECT_SHARE = 0.2  # licensed enterprises left without a project: 有许可无项目
UNATTACHED_SHARE = 0.25  # records not linked to their project: some projects then lack a record


def _facts():
    """(subject, industry) of enterprises with published licences in project industries, with their
    region, department, and the published records they have in that industry."""
    needed = reference.project_kinds().project_industries
    found: dict[tuple[int, str], dict] = {}
    for model in (License, Penalty):
        stmt = (
            select(
                model.id, model.subject_id, model.industry, model.decided_on, model.department_id, Subject.region_code
            )
            .join(Subject, Subject.id == model.subject_id)
            .where(
                model.industry.in_(needed),
                model.state == PublicationState.PUBLISHED,
                Subject.kind != SubjectKind.PERSON,
            )
            .order_by(model.id)
        )
        for record_id, subject_id, industry, day, dept, region in db.session.execute(stmt):
            entry = found.setdefault(
                (subject_id, industry), {"region": region, "dept": dept, "licensed": False, "records": []}
            )
            entry["records"].append((model, record_id, day))
            entry["licensed"] |= model is License
    return {k: v for k, v in found.items() if v["licensed"]}


def seed_projects(rng: random.Random, today: dt.date) -> int:
    districts = [d.code for d in city.current().districts]
    names = dict(vocab.REGIONS)
    rows, links = [], {License: [], Penalty: []}
    for (subject_id, industry), facts in sorted(_facts().items()):
        if rng.random() < NO_PROJECT_SHARE:
            continue
        kind, suffixes = PROJECT_STYLES.get(industry, ("其他项目", ("项目",)))
        region = facts["region"] if facts["region"] in districts else rng.choice(districts)
        days = sorted(day for _, _, day in facts["records"])
        for _ in range(1 + (rng.random() < 0.3)):
            start = max(days[0] - dt.timedelta(days=rng.randrange(10, 150)), dt.date(2015, 1, 1))
            end = days[-1] + dt.timedelta(days=rng.randrange(30, 300)) if rng.random() < 0.75 else None
            pending = rng.random() < 0.04
            rows.append(
                dict(
                    code=f"XM{today.year}{len(rows) + 1:06d}",
                    subject_id=subject_id,
                    name=f"{names.get(region, '')}{rng.choice(PLACES)}{rng.choice(suffixes)}",
                    kind=kind,
                    industry=industry,
                    district=region,
                    address=f"{names.get(region, '')}{rng.choice(PLACES)}路{rng.randrange(1, 999)}号",
                    start_on=start,
                    end_on=end,
                    department_id=facts["dept"],
                    state=PublicationState.PENDING if pending else PublicationState.PUBLISHED,
                    published_at=None if pending else utcnow(),
                    created_at=utcnow(),
                    updated_at=utcnow(),
                )
            )
            if not pending:
                for model, record_id, _ in facts["records"]:
                    if rng.random() >= UNATTACHED_SHARE:
                        links[model].append({"b_id": record_id, "b_code": rows[-1]["code"]})
    if not rows:
        return 0
    db.session.execute(insert(Project), rows)
    ids = dict(db.session.execute(select(Project.code, Project.id)).all())
    for model, pairs in links.items():
        chosen: dict[int, str] = {}
        for pair in pairs:  # a record named by two projects of its subject keeps the last one
            chosen[pair["b_id"]] = pair["b_code"]
        if chosen:
            table = model.__table__
            db.session.execute(
                update(table).where(table.c.id == bindparam("b_id")).values(project_id=bindparam("b_project")),
                [{"b_id": i, "b_project": ids[code]} for i, code in chosen.items()],
            )
    serials.next_value(f"project:{today.year}", start=len(rows))  # entered projects continue the numbers
    db.session.commit()
    return len(rows)
