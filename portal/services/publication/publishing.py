"""录入 -> 审核 -> 公示: the rules for entering, reviewing, editing and withdrawing records.

Licences and penalties entered by form are validated by the importer's RowValidator, exactly like
a row of an exchange file. Every step writes search-outbox rows and an audit entry in the same
transaction as the change. Views only translate WorkflowError / Rejected into Chinese messages.
"""

from __future__ import annotations

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.importer.headers import DOC_NO, HEADERS
from portal.importer.validate import ERROR, RowValidator, ValidRow
from portal.models import (
    License,
    ListEntry,
    Penalty,
    PublicationState,
    RecordRevision,
    RevisionState,
    Role,
    SearchOutbox,
    Subject,
)
from portal.models.base import utcnow
from portal.rules import uscc
from portal.rules.text import normalise_name
from portal.rules.workdays import workdays_between
from portal.services.core import audit
from portal.services.core.record_kinds import LIST_ENTRY, MODELS
from portal.services.core.workflow import (
    FOUR_EYES,
    Rejected,
    WorkflowError,
    atomic,
    commit,
    editable,
    publication_limit,
    reason_text,
    require,
    same_department,
    snapshot,
    touch,
)
from portal.services.online import handling
from portal.services.publication import data_quality, projects, revisions
from portal.services.staff import access


def resubmit(kind: str, entity, values: dict, user) -> None:
    """Apply corrections to an unpublished entity and send it (back) to review, audited."""
    changes = revisions.diff(entity, values)
    before = {**revisions.current(entity, changes), "state": entity.state, "returned_reason": entity.returned_reason}
    for key in changes:
        setattr(entity, key, values[key])
    entity.state, entity.returned_reason, entity.reviewed_by_id = PublicationState.PENDING, None, None
    touch(kind, entity)
    audit.record(
        "update",
        user=user,
        entity_type=kind,
        entity_id=entity.id,
        before=before,
        after={**changes, "state": PublicationState.PENDING, "returned_reason": None},
    )
    commit()


# What staff see ---------------------------------------------------------------------------------


def pending_review(user, limit: int) -> list[tuple[str, License | Penalty | ListEntry]]:
    """New entries of the user's department waiting for review, oldest first within each kind."""
    found: list[tuple[str, License | Penalty | ListEntry]] = []
    for kind, model in MODELS.items():
        stmt = access.own_department(select(model).where(model.state == PublicationState.PENDING), model, user)
        found += [(kind, e) for e in db.session.scalars(stmt.order_by(model.created_at, model.id).limit(limit))]
    return found


# Entering and editing licences and penalties ------------------------------------------------------


def validate(kind: str, values: dict[str, str]) -> tuple[ValidRow, list[str]]:
    """Form values by national header, checked as one row of an exchange file; warnings returned."""
    headers = list(HEADERS[kind])
    valid, problems = RowValidator(kind, headers, clock.today()).validate([values.get(h) or "" for h in headers], 1)
    errors: dict[str, list[str]] = {}
    for p in problems:
        if p.level == ERROR:
            errors.setdefault(p.column, []).append(p.message)
    if valid is None:
        raise Rejected(errors or {"": ["数据未通过校验"]})
    return valid, [f"{p.column}：{p.message}" for p in problems if p.level != ERROR]


def _key_taken(kind: str, valid: ValidRow, exclude_id: int | None = None) -> None:
    model = MODELS[kind]
    stmt = select(model.id).where(model.doc_no == valid.natural_key[0], model.authority_uscc == valid.natural_key[1])
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        raise Rejected({DOC_NO[kind]: ["同一决定机关的该文书号已有记录，请勿重复录入（更正请修改原记录）"]})


def name_conflict(values: dict[str, str]) -> str | None:
    """A warning before saving when the form's code is registered under another name (重错码)."""
    code = uscc.normalise(values.get("统一社会信用代码") or "")
    name = values.get("行政相对人名称") or ""
    if not code or not name:
        return None
    found = db.session.scalar(select(Subject).where(Subject.uscc == code).order_by(Subject.id))
    if found is None or normalise_name(found.name) == normalise_name(name):
        return None
    return (
        f"统一社会信用代码{code}已登记为“{found.name}”，本次填写的名称为“{name.strip()}”。"
        "请核对代码和名称；如确认无误，勾选确认后保存，主体名称不会被更改，该情况将记为重错码待核实"
    )


def _subject(valid: ValidRow) -> Subject:
    """The row's subject; a new one is created, a known one is left as it is (unreviewed data).

    A known code under another name is recorded as a 重错码 case (subject_names), never renamed."""
    found = db.session.scalar(select(Subject).where(Subject.subject_key == valid.subject["subject_key"]))
    if found is not None:
        if found.name_norm != valid.subject["name_norm"] and not found.is_person:
            data_quality.record_other_name(found, valid.subject["name"], valid.record["decided_on"], "form")
        return found
    subject = Subject(**valid.subject, info_as_of=valid.record["decided_on"])
    db.session.add(subject)
    db.session.flush()
    db.session.add(SearchOutbox(entity_type="subject", entity_id=subject.id))
    return subject


@atomic
def enter(kind: str, values: dict[str, str], user) -> tuple[License | Penalty, list[str]]:
    """A clerk's new licence or penalty, stored as 待审核 in the clerk's department."""
    require(user, Role.CLERK)
    valid, warnings = validate(kind, values)
    _key_taken(kind, valid)
    subject = _subject(valid)
    record = MODELS[kind](
        **valid.record,
        subject_id=subject.id,
        project_id=projects.resolve(subject.id, valid.project_ref),
        state=PublicationState.PENDING,
        created_by_id=user.id,
        department_id=user.department_id,
    )
    db.session.add(record)
    db.session.flush()
    touch(kind, record)
    audit.record("create", user=user, entity_type=kind, entity_id=record.id, after=snapshot(record))
    commit()
    return record, warnings


@atomic
def edit(kind: str, record, values: dict[str, str], user) -> tuple[RecordRevision | None, list[str]]:
    """Change a record: in place while pending or returned, as a revision for review once published."""
    require(user, Role.CLERK)
    same_department(user, record.department_id)
    if not editable(kind, record.state):
        raise WorkflowError(f"“{record.state.label}”状态的记录不能修改")
    if record.state == PublicationState.PUBLISHED and revisions.pending_revision(kind, record.id):
        raise WorkflowError("该记录已有待审核的修改，请待审核完成后再修改")
    valid, warnings = validate(kind, values)
    _key_taken(kind, valid, exclude_id=record.id)
    subject_id = _subject(valid).id
    project_id = projects.resolve(subject_id, valid.project_ref, current_id=record.project_id)
    new_values = {**valid.record, "subject_id": subject_id, "project_id": project_id}
    if record.state == PublicationState.PUBLISHED:
        return revise(kind, record, new_values, user), warnings
    resubmit(kind, record, new_values, user)
    return None, warnings


def revise(kind: str, record, new_values: dict, user, action: str = "revise") -> RecordRevision | None:
    keys = revisions.diff(record, new_values)
    before = revisions.current(record, keys)
    revision = revisions.submit(kind, record, new_values, user_id=user.id)
    if revision is not None:
        db.session.flush()
        audit.record(
            action,
            user=user,
            entity_type=kind,
            entity_id=record.id,
            before=before,
            after={**revision.changes, "revision_id": revision.id},
        )
        touch(kind, record)
    commit()
    return revision


# Review decisions ---------------------------------------------------------------------------------


@atomic
def approve(kind: str, record, user) -> None:
    """Publish a pending record; its timeliness (working days since the decision) is stored."""
    require(user, Role.REVIEWER)
    same_department(user, record.department_id)
    if record.state != PublicationState.PENDING:
        raise WorkflowError(f"只能审核“待审核”的记录，该记录当前为“{record.state.label}”")
    if record.created_by_id == user.id:
        raise WorkflowError(FOUR_EYES)
    record.state, record.reviewed_by_id, record.returned_reason = PublicationState.PUBLISHED, user.id, None
    record.published_at = utcnow()
    published = {"published_at": record.published_at}
    if kind != LIST_ENTRY:
        record.timeliness_workdays = workdays_between(record.decided_on, clock.today())
        published.update(
            timeliness_workdays=record.timeliness_workdays,
            in_time=record.timeliness_workdays <= publication_limit(),
        )
    touch(kind, record)
    audit.record(
        "approve",
        user=user,
        entity_type=kind,
        entity_id=record.id,
        before={"state": PublicationState.PENDING},
        after={"state": PublicationState.PUBLISHED, "reviewed_by_id": user.id},
    )
    audit.record("publish", user=user, entity_type=kind, entity_id=record.id, after=published)
    commit()


@atomic
def send_back(kind: str, record, user, reason: str | None) -> None:
    """Return a pending record to its clerk with a reason (草稿: corrected and resubmitted)."""
    reason = reason_text(reason, "退回须填写原因")
    require(user, Role.REVIEWER)
    same_department(user, record.department_id)
    if record.state != PublicationState.PENDING:
        raise WorkflowError(f"只能退回“待审核”的记录，该记录当前为“{record.state.label}”")
    record.state, record.returned_reason, record.reviewed_by_id = PublicationState.DRAFT, reason, user.id
    touch(kind, record)
    audit.record(
        "return",
        user=user,
        entity_type=kind,
        entity_id=record.id,
        before={"state": PublicationState.PENDING},
        after={"state": PublicationState.DRAFT, "returned_reason": reason},
    )
    commit()


@atomic
def withdraw(kind: str, record, user, reason: str | None) -> None:
    """撤销 a published record; pending edits of it are closed."""
    reason = reason_text(reason, "撤销须填写原因")
    require(user, Role.REVIEWER)
    same_department(user, record.department_id)
    if record.state != PublicationState.PUBLISHED:
        raise WorkflowError(f"只能撤销已公示的记录，该记录当前为“{record.state.label}”")
    record.state, record.withdrawn_reason = PublicationState.WITHDRAWN, reason
    for revision in db.session.scalars(
        select(RecordRevision).where(
            RecordRevision.entity_type == kind,
            RecordRevision.entity_id == record.id,
            RecordRevision.state == RevisionState.PENDING,
        )
    ):
        revision.state, revision.reason = RevisionState.RETURNED, "记录已撤销"
        revision.reviewed_by_id, revision.reviewed_at = user.id, utcnow()
    touch(kind, record)
    audit.record(
        "withdraw",
        user=user,
        entity_type=kind,
        entity_id=record.id,
        before={"state": PublicationState.PUBLISHED},
        after={"state": PublicationState.WITHDRAWN, "withdrawn_reason": reason},
    )
    commit()


def revision_target(revision: RecordRevision):
    return db.session.get(MODELS[revision.entity_type], revision.entity_id)


@atomic
def approve_revision(revision: RecordRevision, user) -> None:
    """Apply an edit of a published record: from now on the public sees the new values."""
    require(user, Role.REVIEWER)
    same_department(user, revision.department_id)
    if revision.state != RevisionState.PENDING:
        raise WorkflowError("该修改已审核")
    if revision.submitted_by_id == user.id:
        raise WorkflowError(FOUR_EYES)
    record = revision_target(revision)
    if record is None or record.state != PublicationState.PUBLISHED:
        raise WorkflowError("该记录已不在公示状态，修改不能通过")
    before = revisions.current(record, revision.changes)
    revisions.apply(record, revision.changes)
    revision.state, revision.reviewed_by_id, revision.reviewed_at = RevisionState.APPROVED, user.id, utcnow()
    touch(revision.entity_type, record)
    audit.record(
        "revision_approve",
        user=user,
        entity_type=revision.entity_type,
        entity_id=record.id,
        before=before,
        after={**revision.changes, "revision_id": revision.id},
    )
    # Upheld objections awaiting this correction close.
    handling.correction_published(revision.entity_type, record.id, user)
    commit()


@atomic
def return_revision(revision: RecordRevision, user, reason: str | None) -> None:
    """Refuse an edit: the published version stays as it is."""
    reason = reason_text(reason, "退回须填写原因")
    require(user, Role.REVIEWER)
    same_department(user, revision.department_id)
    if revision.state != RevisionState.PENDING:
        raise WorkflowError("该修改已审核")
    revision.state, revision.reason = RevisionState.RETURNED, reason
    revision.reviewed_by_id, revision.reviewed_at = user.id, utcnow()
    record = revision_target(revision)
    touch(revision.entity_type, record)
    audit.record(
        "revision_return",
        user=user,
        entity_type=revision.entity_type,
        entity_id=revision.entity_id,
        before={"revision_state": RevisionState.PENDING},
        after={"revision_state": RevisionState.RETURNED, "reason": reason, "revision_id": revision.id},
    )
    commit()
