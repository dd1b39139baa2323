"""Projects and facilities (项目/设施): 录入 -> 审核 in the back office, the records attached to them, and
what the public sees of approved ones.

The steps are those of records (services.publication.publishing): a clerk enters, a reviewer of the
same department approves or returns (never their own entry), a reviewer withdraws an approved one.
Every step is audited in the same transaction. An approved project that a clerk corrects goes back
to review: the public sees it again once approved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, insert, literal, or_, select
from sqlalchemy.orm import selectinload

from portal import city, clock, reference
from portal.extensions import db
from portal.models import License, Penalty, Project, PublicationState, Role, SearchOutbox, Subject
from portal.models.base import utcnow
from portal.presenters import project_view
from portal.rules import projects as rules
from portal.rules import uscc
from portal.rules.parsing import ParseError, parse_date
from portal.services.core import audit, serials
from portal.services.core.workflow import (
    FOUR_EYES,
    Rejected,
    WorkflowError,
    atomic,
    commit,
    reason_text,
    require,
    same_department,
    snapshot,
)
from portal.services.publication import revisions
from portal.services.staff import access
from portal.services.staff.desk_lists import lines

PROJECT = "project"
PROJECT_HEADER = "所属项目"  # the import column and form label naming a record's project
STATE_LABELS = {
    PublicationState.PENDING: "待审核",
    PublicationState.DRAFT: "已退回（草稿）",
    PublicationState.PUBLISHED: "已审核",
    PublicationState.WITHDRAWN: "已撤销",
}
EDITABLE = (PublicationState.PENDING, PublicationState.DRAFT, PublicationState.PUBLISHED)
FIELD_LABELS = {
    "subject_uscc": "统一社会信用代码",
    "name": "项目/设施名称",
    "kind": "类型",
    "industry": "所属行业",
    "district": "所在区县",
    "address": "地址",
    "start_on": "开始日期",
    "end_on": "结束日期",
    "remarks": "备注",
}
LIMITS = {"name": 200, "address": 300, "remarks": 2000}


def state_label(state: PublicationState) -> str:
    return STATE_LABELS.get(state, state.label)


# Checking what staff typed ------------------------------------------------------------------------


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def _subject(code: str, errors: _Errors) -> Subject | None:
    if not code:
        errors.add("subject_uscc", "“统一社会信用代码”为必填项")
        return None
    check = uscc.validate(code)
    if check.errors:
        for message in check.errors:
            errors.add("subject_uscc", message)
        return None
    subject = db.session.scalar(select(Subject).where(Subject.uscc == check.code).order_by(Subject.id))
    if subject is None:
        errors.add("subject_uscc", f"系统中没有统一社会信用代码为{check.code}的企业，请先录入该企业的信用信息")
    elif subject.is_person:
        errors.add("subject_uscc", "项目/设施只能属于企业或其他组织，不能属于自然人")
    return subject


def _date(text: str, field: str, errors: _Errors) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except ParseError as e:
        errors.add(field, str(e))
        return None


def checked(data: dict) -> dict:
    """Column values from form data, or Rejected with Chinese messages per field name."""
    errors = _Errors()
    text = {k: (data.get(k) or "").strip() for k in FIELD_LABELS}
    subject = _subject(text["subject_uscc"], errors)
    for name in ("name", "kind", "industry", "district"):
        if not text[name]:
            errors.add(name, f"“{FIELD_LABELS[name]}”为必填项")
    for name, limit in LIMITS.items():
        if len(text[name]) > limit:
            errors.add(name, f"“{FIELD_LABELS[name]}”超过{limit}个字符")
    kinds = reference.project_kinds()
    if text["kind"] and not kinds.known(text["kind"]):
        errors.add("kind", f"类型“{text['kind']}”不在项目/设施类型目录中，应为：" + "、".join(kinds.names))
    industries = reference.industries()
    if text["industry"] and not industries.known(text["industry"]):
        errors.add("industry", f"所属行业“{text['industry']}”不在行业目录中，应为：" + "、".join(industries.names))
    district = city.current().district_code(text["district"]) if text["district"] else None
    if text["district"] and district is None:
        names = "、".join(d.name for d in city.current().districts)
        errors.add("district", f"所在区县“{text['district']}”不是本市的区县，应为：{names}")
    start_on = _date(text["start_on"], "start_on", errors)
    end_on = _date(text["end_on"], "end_on", errors)
    if not text["start_on"]:
        errors.add("start_on", "“开始日期”为必填项")
    elif start_on is not None and (problem := rules.date_problem(start_on, end_on)):
        errors.add("end_on", problem)
    if start_on is not None and start_on > clock.today():
        errors.add("start_on", "开始日期不能晚于今天")
    if errors or subject is None:
        raise Rejected(dict(errors))
    return {
        "subject_id": subject.id,
        "name": text["name"],
        "kind": text["kind"],
        "industry": text["industry"],
        "district": district,
        "address": text["address"] or None,
        "start_on": start_on,
        "end_on": end_on,
        "remarks": text["remarks"] or None,
    }


def form_data(project: Project) -> dict[str, str]:
    """What the edit form shows for a stored project."""
    return {
        "subject_uscc": project.subject.uscc or "",
        "name": project.name,
        "kind": project.kind,
        "industry": project.industry,
        "district": project.district,
        "address": project.address or "",
        "start_on": project.start_on.isoformat(),
        "end_on": project.end_on.isoformat() if project.end_on else "",
        "remarks": project.remarks or "",
    }


def options() -> dict:
    """Choices of the form and the listing's filters."""
    return {
        "kinds": reference.project_kinds().names,
        "industries": reference.industries().names,
        "districts": [(d.code, d.name) for d in city.current().districts],
        "states": [(s.value, label) for s, label in STATE_LABELS.items()],
    }


# 录入 and 审核 --------------------------------------------------------------------------------------


def _new_code(today: dt.date) -> str:
    return f"XM{today.year}{serials.next_value(f'project:{today.year}'):06d}"


@atomic
def enter(data: dict, user) -> Project:
    """A clerk's new project, waiting for review in the clerk's department."""
    require(user, Role.CLERK)
    project = Project(
        **checked(data),
        code=_new_code(clock.today()),
        state=PublicationState.PENDING,
        created_by_id=user.id,
        department_id=user.department_id,
    )
    db.session.add(project)
    db.session.flush()
    audit.record("create", user=user, entity_type=PROJECT, entity_id=project.id, after=snapshot(project))
    commit()
    return project


@atomic
def edit(project: Project, data: dict, user) -> bool:
    """Correct a project; it goes (back) to review. False when nothing changed (and nothing is done)."""
    require(user, Role.CLERK)
    same_department(user, project.department_id)
    if project.state not in EDITABLE:
        raise WorkflowError(f"“{state_label(project.state)}”状态的项目/设施不能修改")
    values = checked(data)
    changes = revisions.diff(project, values)
    if not changes and project.state == PublicationState.PUBLISHED:
        return False
    before = {**revisions.current(project, changes), "state": project.state, "returned_reason": project.returned_reason}
    for key in changes:
        setattr(project, key, values[key])
    project.state, project.returned_reason, project.reviewed_by_id = PublicationState.PENDING, None, None
    audit.record(
        "update",
        user=user,
        entity_type=PROJECT,
        entity_id=project.id,
        before=before,
        after={**changes, "state": PublicationState.PENDING, "returned_reason": None},
    )
    _records_shown_again(project)
    commit()
    return True


def _records_shown_again(project: Project) -> None:
    """Records naming the project show it on public pages: their index entries and stored views are
    made again (until then pages present them from the database)."""
    for model, kind in ((License, "license"), (Penalty, "penalty")):
        ids = select(literal(kind), model.id, literal(utcnow())).where(model.project_id == project.id)
        db.session.execute(insert(SearchOutbox).from_select(["entity_type", "entity_id", "created_at"], ids))


def _pending(project: Project, step: str) -> None:
    if project.state != PublicationState.PENDING:
        raise WorkflowError(f"只能{step}“待审核”的项目/设施，该项目当前为“{state_label(project.state)}”")


@atomic
def approve(project: Project, user) -> None:
    require(user, Role.REVIEWER)
    same_department(user, project.department_id)
    _pending(project, "审核")
    if project.created_by_id == user.id:
        raise WorkflowError(FOUR_EYES)
    project.state, project.reviewed_by_id, project.returned_reason = PublicationState.PUBLISHED, user.id, None
    project.published_at = utcnow()
    audit.record(
        "approve",
        user=user,
        entity_type=PROJECT,
        entity_id=project.id,
        before={"state": PublicationState.PENDING},
        after={"state": PublicationState.PUBLISHED, "reviewed_by_id": user.id, "published_at": project.published_at},
    )
    _records_shown_again(project)
    commit()


@atomic
def send_back(project: Project, user, reason: str | None) -> None:
    reason = reason_text(reason, "退回须填写原因")
    require(user, Role.REVIEWER)
    same_department(user, project.department_id)
    _pending(project, "退回")
    project.state, project.returned_reason, project.reviewed_by_id = PublicationState.DRAFT, reason, user.id
    audit.record(
        "return",
        user=user,
        entity_type=PROJECT,
        entity_id=project.id,
        before={"state": PublicationState.PENDING},
        after={"state": PublicationState.DRAFT, "returned_reason": reason},
    )
    commit()


@atomic
def withdraw(project: Project, user, reason: str | None) -> None:
    """撤销 an approved project: it leaves the credit file; records keep naming it for the history."""
    reason = reason_text(reason, "撤销须填写原因")
    require(user, Role.REVIEWER)
    same_department(user, project.department_id)
    if project.state != PublicationState.PUBLISHED:
        raise WorkflowError(f"只能撤销已审核的项目/设施，该项目当前为“{state_label(project.state)}”")
    project.state, project.withdrawn_reason = PublicationState.WITHDRAWN, reason
    audit.record(
        "withdraw",
        user=user,
        entity_type=PROJECT,
        entity_id=project.id,
        before={"state": PublicationState.PUBLISHED},
        after={"state": PublicationState.WITHDRAWN, "withdrawn_reason": reason},
    )
    _records_shown_again(project)
    commit()


def pending_review(user, limit: int) -> list[Project]:
    """The department's projects waiting for review, oldest first."""
    stmt = access.own_department(select(Project).where(Project.state == PublicationState.PENDING), Project, user)
    stmt = stmt.options(selectinload(Project.subject)).order_by(Project.created_at, Project.id).limit(limit)
    return list(db.session.scalars(stmt))


# The back office's listing ------------------------------------------------------------------------

SORTS = {
    "updated": ("updated_at", "最近更新"),
    "code": ("code", "项目编号"),
    "name": ("name", "项目/设施名称"),
    "start": ("start_on", "开始日期"),
}


@dataclass(frozen=True)
class Listing:
    """What the staff member asked for: words, state, industry, district and an order."""

    q: str = ""
    state: str = ""
    industry: str = ""
    district: str = ""
    sort: str = "updated"
    descending: bool = True

    @classmethod
    def from_args(cls, args) -> Listing:
        state = args.get("state", "")
        industry = args.get("industry", "")
        district = args.get("district", "")
        sort = args.get("sort", "updated")
        return cls(
            q=(args.get("q") or "").strip()[:100],
            state=state if state in {s.value for s in STATE_LABELS} else "",
            industry=industry if reference.industries().known(industry) else "",
            district=district if district in {d.code for d in city.current().districts} else "",
            sort=sort if sort in SORTS else "updated",
            descending=args.get("order", "desc") != "asc",
        )

    def as_args(self, **changes) -> dict:
        values = {
            "q": self.q,
            "state": self.state,
            "industry": self.industry,
            "district": self.district,
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
            **changes,
        }
        return {k: v for k, v in values.items() if v}

    def sorted_by(self, key: str) -> dict:
        descending = not self.descending if key == self.sort else True
        return self.as_args(sort=key, order="desc" if descending else "asc")

    def aria_sort(self, key: str) -> str:
        if key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"


def listing(user, wanted: Listing) -> Select:
    """The user's department's projects matching the listing, in its order."""
    stmt = access.own_department(select(Project), Project, user).options(selectinload(Project.subject))
    if wanted.state:
        stmt = stmt.where(Project.state == PublicationState(wanted.state))
    if wanted.industry:
        stmt = stmt.where(Project.industry == wanted.industry)
    if wanted.district:
        stmt = stmt.where(Project.district == wanted.district)
    if wanted.q:
        named = select(Subject.id).where(
            Subject.name.contains(wanted.q, autoescape=True) | Subject.uscc.contains(wanted.q, autoescape=True)
        )
        stmt = stmt.where(
            or_(
                Project.name.contains(wanted.q, autoescape=True),
                Project.code.contains(wanted.q, autoescape=True),
                Project.subject_id.in_(named),
            )
        )
    column = getattr(Project, SORTS[wanted.sort][0])
    direction = column.desc() if wanted.descending else column.asc()
    tie = Project.id.desc() if wanted.descending else Project.id.asc()
    return stmt.order_by(direction.nulls_last(), tie)


EXPORT_COLUMNS = (
    ("项目编号", lambda p: p.code),
    ("项目/设施名称", lambda p: p.name),
    ("类型", lambda p: p.kind),
    ("企业名称", lambda p: p.subject.name),
    ("统一社会信用代码", lambda p: p.subject.uscc or ""),
    ("所属行业", lambda p: p.industry),
    ("所在区县", lambda p: city.current().district_name(p.district)),
    ("地址", lambda p: p.address or ""),
    ("开始日期", lambda p: p.start_on.isoformat()),
    ("结束日期", lambda p: p.end_on.isoformat() if p.end_on else ""),
    ("状态", lambda p: state_label(p.state)),
    ("退回原因", lambda p: p.returned_reason or ""),
)


def export(user, wanted: Listing):
    """(file name, CSV lines) of the listing; the export is recorded in the audit log."""
    audit.record("projects_exported", user=user, entity_type=PROJECT, after=wanted.as_args() or None)
    commit()
    return f"projects-{clock.today().isoformat()}.csv", lines(EXPORT_COLUMNS, listing(user, wanted))


# Records and projects -----------------------------------------------------------------------------


def _approved_of(subject_id: int) -> list[Project]:
    stmt = select(Project).where(Project.subject_id == subject_id, Project.state == PublicationState.PUBLISHED)
    return list(db.session.scalars(stmt.order_by(Project.start_on.desc(), Project.id.desc())))


def choices_for(subject: Subject | None, keep: Project | None = None) -> list[tuple[str, str]]:
    """(code, label) of the subject's approved projects, for a record's project field."""
    found = _approved_of(subject.id) if subject is not None else []
    if keep is not None and keep not in found:
        found.append(keep)  # a record's current project stays selectable after the project changed
    return [(p.code, f"{p.name}（{p.code}）") for p in found]


def approved_by_code(code: str) -> Project | None:
    """An approved project by its 项目编号 (None for none)."""
    if not code:
        return None
    return db.session.scalar(
        select(Project).where(Project.code == code.strip().upper(), Project.state == PublicationState.PUBLISHED)
    )


def subject_by_code(code: str) -> Subject | None:
    """The organisation a record form names by USCC (None for none or an invalid code)."""
    if not uscc.is_valid(code or ""):
        return None
    return db.session.scalar(select(Subject).where(Subject.uscc == uscc.normalise(code)).order_by(Subject.id))


def resolve(subject_id: int, reference_text: str | None, current_id: int | None = None) -> int | None:
    """The project a record names (by code or name) among its subject's approved projects, or Rejected.

    A record already attached to a project that was later withdrawn keeps it when unchanged."""
    candidates = [rules.Candidate(p.id, p.code, p.name) for p in _approved_of(subject_id)]
    if current_id is not None:
        current = db.session.get(Project, current_id)
        if current is not None and current.subject_id == subject_id:
            candidates.append(rules.Candidate(current.id, current.code, current.name))
    found, problem = rules.match_reference(reference_text or "", candidates)
    if problem:
        raise Rejected({PROJECT_HEADER: [problem]})
    return found


def records_of(project: Project) -> list[License | Penalty]:
    """Every credit record naming the project (the back office's detail page)."""
    found: list[License | Penalty] = []
    for model in (License, Penalty):
        found += db.session.scalars(select(model).where(model.project_id == project.id).order_by(model.decided_on))
    return sorted(found, key=lambda r: r.decided_on, reverse=True)


def public_of(subject: Subject) -> list[dict]:
    """The subject's approved projects, as the public sees them (credit file)."""
    return [project_view(p) for p in _approved_of(subject.id)]
