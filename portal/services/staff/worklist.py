"""What waits for a staff member: the dashboard's queues, always within their own department.

- reviewers: records, list entries and revisions pending review, oldest first; overdue when waiting
  more than 7 working days (PORTAL_PUBLICATION_LIMIT_WORKDAYS) since the decision (revisions: since
  they were submitted);
- clerks: entries returned by a reviewer;
- handlers: open objections, repair applications and commitments, overdue (deadline before today)
  first;
- administrators (信用办): the same for submissions that reach no active department (UNROUTED), so
  that nothing filed is left in nobody's queue;
- everyone with a department: this quarter's publication timeliness (share of records published
  within the limit, from timeliness_workdays).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload

from portal import clock
from portal.extensions import db
from portal.models import (
    ApplicationStatus,
    Commitment,
    Department,
    License,
    ListEntry,
    Objection,
    Penalty,
    PublicationState,
    RecordRevision,
    RepairApplication,
    RevisionState,
)
from portal.rules.time_limits import overdue
from portal.rules.workdays import workdays_between
from portal.services.core import record_kinds
from portal.services.core.workflow import publication_limit
from portal.services.online.applications import OPEN
from portal.services.statistics import indicators
from portal.services.statistics.period import current_quarter

SHOWN = 20


def _limit() -> int:
    return publication_limit()


def _china_date(value: dt.datetime | None) -> dt.date | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite: stored as UTC wall-clock time
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(clock.CHINA).date()


@dataclass
class Item:
    kind: str
    kind_label: str
    id: int
    title: str
    since: dt.date | None = None
    waited: int | None = None  # working days
    overdue: bool = False
    deadline: dt.date | None = None
    status: str = ""
    note: str = ""


@dataclass
class Queue:
    title: str
    total: int = 0
    items: list[Item] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    # Counted in the database where `items` is cut to a limit.
    overdue_count: int | None = None

    @property
    def overdue(self) -> int:
        return self.overdue_count if self.overdue_count is not None else sum(1 for i in self.items if i.overdue)


def _waiting(kind: str, id_: int, title: str, since: dt.date | None, today: dt.date, limit: int) -> Item:
    waited = workdays_between(since, today) if since else None
    late = waited is not None and waited > limit
    return Item(kind, record_kinds.LABELS.get(kind, kind), id_, title, since, waited, late)


def pending_review(department_id: int | None, today: dt.date | None = None) -> Queue:
    today = today or clock.today()
    limit = _limit()
    queue = Queue("待审核")
    if department_id is None:
        return queue
    for kind, model in (("license", License), ("penalty", Penalty)):
        where = (model.state == PublicationState.PENDING, model.department_id == department_id)
        queue.counts[kind] = db.session.scalar(select(func.count()).select_from(model).where(*where))
        for r in db.session.scalars(select(model).where(*where).order_by(model.decided_on, model.id).limit(SHOWN)):
            queue.items.append(_waiting(kind, r.id, f"{r.doc_no} {r.subject_name}", r.decided_on, today, limit))
    where = (ListEntry.state == PublicationState.PENDING, ListEntry.department_id == department_id)
    queue.counts["list_entry"] = db.session.scalar(select(func.count()).select_from(ListEntry).where(*where))
    for e in db.session.scalars(
        select(ListEntry)
        .where(*where)
        .options(selectinload(ListEntry.subject))
        .order_by(ListEntry.listed_on, ListEntry.id)
        .limit(SHOWN)
    ):
        queue.items.append(
            _waiting("list_entry", e.id, f"{e.kind.label}（{e.list_type}）{e.subject.name}", e.listed_on, today, limit)
        )
    where = (RecordRevision.state == RevisionState.PENDING, RecordRevision.department_id == department_id)
    queue.counts["revision"] = db.session.scalar(select(func.count()).select_from(RecordRevision).where(*where))
    for rev in db.session.scalars(
        select(RecordRevision).where(*where).order_by(RecordRevision.submitted_at, RecordRevision.id).limit(SHOWN)
    ):
        item = _waiting(
            rev.entity_type,
            rev.id,
            f"{record_kinds.LABELS.get(rev.entity_type, rev.entity_type)} #{rev.entity_id} 的修改",
            _china_date(rev.submitted_at),
            today,
            limit,
        )
        item.kind, item.kind_label = "revision", "修改申请"
        queue.items.append(item)
    queue.total = sum(queue.counts.values())
    queue.items.sort(key=lambda i: (i.since or dt.date.max, i.kind, i.id))
    del queue.items[SHOWN:]
    return queue


def returned_entries(department_id: int | None, user_id: int) -> Queue:
    """Entries a reviewer sent back (a draft with the reviewer's reason), and the clerk's returned revisions."""
    queue = Queue("被退回")
    if department_id is not None:
        for kind, model in (("license", License), ("penalty", Penalty), ("list_entry", ListEntry)):
            where = (
                model.state == PublicationState.DRAFT,
                model.returned_reason.is_not(None),
                model.department_id == department_id,
            )
            queue.counts[kind] = db.session.scalar(select(func.count()).select_from(model).where(*where))
            for r in db.session.scalars(select(model).where(*where).order_by(model.updated_at.desc()).limit(SHOWN)):
                title = f"{r.doc_no} {r.subject_name}" if kind != "list_entry" else f"{r.kind.label}（{r.list_type}）"
                queue.items.append(Item(kind, record_kinds.LABELS[kind], r.id, title, note=r.returned_reason or ""))
    where = (RecordRevision.state == RevisionState.RETURNED, RecordRevision.submitted_by_id == user_id)
    queue.counts["revision"] = db.session.scalar(select(func.count()).select_from(RecordRevision).where(*where))
    for rev in db.session.scalars(
        select(RecordRevision).where(*where).order_by(RecordRevision.reviewed_at.desc()).limit(SHOWN)
    ):
        queue.items.append(
            Item(
                "revision",
                "修改申请",
                rev.id,
                f"{record_kinds.LABELS.get(rev.entity_type, rev.entity_type)} #{rev.entity_id} 的修改",
                since=_china_date(rev.reviewed_at),
                note=rev.reason or "",
            )
        )
    queue.total = sum(queue.counts.values())
    del queue.items[SHOWN:]
    return queue


APPLICATIONS = (
    ("objection", "异议申诉", Objection, lambda a: f"{a.number} {a.applicant_name}（{a.ground}）"),
    ("repair", "信用修复", RepairApplication, lambda a: f"{a.number} {a.applicant_name}"),
    ("commitment", "信用承诺", Commitment, lambda a: f"{a.number} {a.committer_name}（{a.type.value}）"),
)


UNROUTED = "unrouted"  # the platform's (信用办) queue: filed for no department, or for an inactive one


def _open_where(kind: str, model, department_id) -> tuple:
    if department_id == UNROUTED:
        inactive = select(Department.id).where(Department.active.is_(False))
        mine = or_(model.department_id.is_(None), model.department_id.in_(inactive))
    else:
        mine = model.department_id == department_id
    where = (mine, model.status.in_(OPEN[kind]))
    if model is Commitment:  # a repair's generated commitment is handled with its repair
        where += (Commitment.penalty_id.is_(None),)
    return where


def applications(
    department_id,
    today: dt.date | None = None,
    limit: int | None = None,
    kinds: tuple[str, ...] = ("objection", "repair", "commitment"),
) -> Queue:
    """Open objections, repairs and commitments addressed to the department (or UNROUTED: to none):
    overdue first, then by deadline."""
    today = today or clock.today()
    queue = Queue("受理事项" if department_id != UNROUTED else "未分派事项")
    if department_id is None:
        return queue
    for kind, label, model, title in APPLICATIONS:
        if kind not in kinds:
            continue
        where = _open_where(kind, model, department_id)
        queue.counts[kind] = db.session.scalar(select(func.count()).select_from(model).where(*where))
        queue.overdue_count = (queue.overdue_count or 0) + db.session.scalar(
            select(func.count()).select_from(model).where(*where, model.deadline < today)
        )
        stmt = (
            select(model)
            .where(*where)
            .order_by(
                case((model.deadline < today, 0), else_=1),
                case((model.deadline.is_(None), 1), else_=0),
                model.deadline,
                model.created_at,
                model.id,
            )
        )
        if limit:
            stmt = stmt.limit(limit)
        for a in db.session.scalars(stmt):
            queue.items.append(
                Item(
                    kind,
                    label,
                    a.id,
                    title(a),
                    since=_china_date(a.created_at),
                    overdue=overdue(a.deadline, today),
                    deadline=a.deadline,
                    status=a.status.label,
                )
            )
    queue.total = sum(queue.counts.values())
    queue.items.sort(
        key=lambda i: (not i.overdue, i.deadline is None, i.deadline or dt.date.max, i.since or dt.date.max)
    )
    if limit:
        del queue.items[limit:]
    return queue


def settled_commitments(department_id: int | None, limit: int = 50) -> list[Commitment]:
    """Accepted commitments of the department, newest first: where fulfilment is recorded."""
    if department_id is None:
        return []
    return list(
        db.session.scalars(
            select(Commitment)
            .where(
                Commitment.department_id == department_id,
                Commitment.status.in_((ApplicationStatus.ACCEPTED, ApplicationStatus.APPROVED)),
            )
            .order_by(Commitment.made_on.desc(), Commitment.id.desc())
            .limit(limit)
        )
    )


@dataclass
class Timeliness:
    quarter: str
    published: int
    in_time: int
    limit: int

    @property
    def share(self) -> float | None:
        return None if not self.published else self.in_time / self.published

    @property
    def percent(self) -> str:
        return "—" if self.share is None else f"{self.share * 100:.1f}%"


def timeliness(department_id: int | None, today: dt.date | None = None) -> Timeliness | None:
    """Records of the department published this quarter, and how many within the limit: the
    timeliness indicator (services/statistics) for this quarter and department."""
    if department_id is None:
        return None
    today = today or clock.today()
    result = indicators.compute("timeliness", current_quarter(today), indicators.Scope(department_id), today)
    label = f"{today.year}年第{(today.month - 1) // 3 + 1}季度"
    return Timeliness(label, result.denominator or 0, result.numerator or 0, publication_limit())
