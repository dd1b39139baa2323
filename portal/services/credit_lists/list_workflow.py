"""Red, serious-dishonesty and abnormal lists in the back office: listing and removal, both reviewed.

Approval, return and withdrawal of entries are the common steps of services.publishing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import ListEntry, ListKind, PublicationState, Role, Subject
from portal.models.lists import LIST_TYPES
from portal.rules import overreach, uscc
from portal.rules.parsing import ParseError, parse_date
from portal.services.core import audit
from portal.services.core.record_kinds import LIST_ENTRY
from portal.services.core.workflow import (
    Rejected,
    WorkflowError,
    atomic,
    commit,
    editable,
    require,
    same_department,
    snapshot,
    touch,
)
from portal.services.publication import revisions
from portal.services.publication.publishing import resubmit, revise


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def _date(data: dict, field: str, label: str, errors: _Errors, required: bool) -> dt.date | None:
    text = (data.get(field) or "").strip()
    if not text:
        if required:
            errors.add(field, f"“{label}”为必填项")
        return None
    try:
        return parse_date(text)
    except ParseError as e:
        errors.add(field, str(e))
        return None


def _text(data: dict, field: str, label: str, errors: _Errors, limit: int | None = None) -> str:
    text = (data.get(field) or "").strip()
    if not text:
        errors.add(field, f"“{label}”为必填项")
    elif limit and len(text) > limit:
        errors.add(field, f"“{label}”超过{limit}个字符")
    return text


def _subject(data: dict, errors: _Errors) -> Subject | None:
    code = (data.get("subject_uscc") or "").strip()
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
        errors.add("subject_uscc", f"系统中没有统一社会信用代码为{check.code}的信用主体")
    return subject


def checked(data: dict, exclude_id: int | None = None) -> dict:
    """The entry's column values from form data, or Rejected with Chinese messages per field."""
    errors = _Errors()
    subject = _subject(data, errors)
    kind = next((k for k in ListKind if k.value == data.get("kind")), None)
    if kind is None:
        errors.add("kind", "请选择名单类别")
    list_type = (data.get("list_type") or "").strip()
    if kind is not None and list_type not in LIST_TYPES[kind]:
        errors.add("list_type", f"名单类型“{list_type}”不属于{kind.label}，应为：" + "、".join(LIST_TYPES[kind]))
    values = {
        "authority": _text(data, "authority", "认定机关", errors, 200),
        "reason": _text(data, "reason", "列入原因", errors),
        "basis": _text(data, "basis", "认定依据", errors),
        "listed_on": _date(data, "listed_on", "列入日期", errors, required=True),
        "planned_end": _date(data, "planned_end", "计划移出日期", errors, required=False),
    }
    finding = overreach.classify(
        values["reason"], values["basis"], organisation=subject is not None and not subject.is_person
    )
    if finding:
        errors.add("reason", finding.message)
    authority_uscc = (data.get("authority_uscc") or "").strip()
    if authority_uscc:
        check = uscc.validate(authority_uscc)
        for message in check.errors:
            errors.add("authority_uscc", message)
        authority_uscc = check.code
    listed_on, planned_end = values["listed_on"], values["planned_end"]
    if listed_on and listed_on > clock.today():
        errors.add("listed_on", "列入日期不能晚于今天")
    if listed_on and planned_end and planned_end < listed_on:
        errors.add("planned_end", "计划移出日期不能早于列入日期")
    if subject is not None and kind is not None and not errors:
        stmt = select(ListEntry.id).where(
            ListEntry.subject_id == subject.id,
            ListEntry.kind == kind,
            ListEntry.list_type == list_type,
            ListEntry.removed_on.is_(None),
            ListEntry.state.in_((PublicationState.PENDING, PublicationState.DRAFT, PublicationState.PUBLISHED)),
        )
        if exclude_id is not None:
            stmt = stmt.where(ListEntry.id != exclude_id)
        if db.session.scalar(stmt) is not None:
            errors.add("list_type", "该主体已在此名单中（或列入申请正在审核），请勿重复列入")
    if errors:
        raise Rejected(dict(errors))
    return {
        **values,
        "subject_id": subject.id,
        "kind": kind,
        "list_type": list_type,
        "authority_uscc": authority_uscc or None,
    }


@atomic
def add(data: dict, user) -> ListEntry:
    """A clerk lists a subject; the entry waits for review in the clerk's department."""
    require(user, Role.CLERK)
    entry = ListEntry(
        **checked(data), state=PublicationState.PENDING, created_by_id=user.id, department_id=user.department_id
    )
    db.session.add(entry)
    db.session.flush()
    touch(LIST_ENTRY, entry)
    audit.record("create", user=user, entity_type=LIST_ENTRY, entity_id=entry.id, after=snapshot(entry))
    commit()
    return entry


@atomic
def edit(entry: ListEntry, data: dict, user) -> None:
    """Correct a pending or returned entry; it goes (back) to review."""
    require(user, Role.CLERK)
    same_department(user, entry.department_id)
    if not editable(LIST_ENTRY, entry.state):
        raise WorkflowError(f"“{entry.state.label}”状态的名单记录不能修改；已公示的记录请申请移出")
    resubmit(LIST_ENTRY, entry, checked(data, exclude_id=entry.id), user)


@atomic
def request_removal(entry: ListEntry, data: dict, user):
    """移出 as a revision: the entry stays listed until a reviewer approves the removal."""
    require(user, Role.CLERK)
    same_department(user, entry.department_id)
    if entry.state != PublicationState.PUBLISHED:
        raise WorkflowError("只能对已公示的名单记录申请移出")
    if entry.removed_on is not None:
        raise WorkflowError("该主体已移出名单")
    if revisions.pending_revision(LIST_ENTRY, entry.id):
        raise WorkflowError("该记录已有待审核的修改，请待审核完成后再申请")
    errors = _Errors()
    removed_on = _date(data, "removed_on", "移出日期", errors, required=True)
    reason = _text(data, "removal_reason", "移出原因", errors)
    if removed_on and removed_on < entry.listed_on:
        errors.add("removed_on", "移出日期不能早于列入日期")
    if errors:
        raise Rejected(dict(errors))
    return revise(
        LIST_ENTRY, entry, {"removed_on": removed_on, "removal_reason": reason}, user, action="removal_request"
    )
