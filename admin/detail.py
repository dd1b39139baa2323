"""The detail page of a record or list entry: fields, review actions, edits waiting, history."""

from __future__ import annotations

import enum
from decimal import Decimal

from flask import render_template

from admin.record_forms import field_headers, record_data
from portal.models import PublicationState, RevisionState
from portal.services.core.record_kinds import LABELS, LIST_ENTRY
from portal.services.core.workflow import publication_limit
from portal.services.publication import revisions
from portal.services.staff import accounts, audit_query

ACTION_LABELS = {
    "create": "录入",
    "update": "修改并提交审核",
    "revise": "提交修改（待审核）",
    "approve": "审核通过",
    "publish": "公示",
    "return": "退回",
    "withdraw": "撤销",
    "revision_approve": "修改审核通过",
    "revision_return": "修改被退回",
    "removal_request": "申请移出",
    "import": "导入",
}
LIST_LABELS = {
    "subject_id": "信用主体",
    "kind": "名单类别",
    "list_type": "名单类型",
    "authority": "认定机关",
    "authority_uscc": "认定机关统一社会信用代码",
    "reason": "列入原因",
    "basis": "认定依据",
    "listed_on": "列入日期",
    "planned_end": "计划移出日期",
    "removed_on": "移出日期",
    "removal_reason": "移出原因",
}
_EXTRA_LABELS = {
    "id": "记录编号",
    "subject_id": "信用主体（编号）",
    "valid_to_long_term": "有效期至长期",
    "penalty_valid_long_term": "处罚有效期长期",
    "repair_from": "可申请信用修复日期",
    "display_until": "公示截止日期（按规则计算）",
    "state": "状态",
    "returned_reason": "退回原因",
    "withdrawn_reason": "撤销原因",
    "reviewed_by_id": "审核人",
    "published_at": "公示时间",
    "timeliness_workdays": "公示时效（工作日）",
    "in_time": "按时公示",
    "revision_id": "修改单号",
    "revision_state": "修改状态",
    "department_id": "部门",
    "project_id": "所属项目（编号）",
    "created_by_id": "录入人",
    "source_hash": None,  # internal digest: not shown
}


_STATES = {s.value: s.label for s in PublicationState} | {s.value: s.label for s in RevisionState}


def shown(key: str, value) -> str:
    """An audited or revised value as staff read it."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, enum.Enum):
        value = value.value
    if key in ("state", "revision_state"):
        return _STATES.get(value, value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def labels(kind: str) -> dict[str, str | None]:
    base = LIST_LABELS if kind == LIST_ENTRY else {**field_headers(kind), "subject_name": "行政相对人名称"}
    return {**_EXTRA_LABELS, **base}


def render(kind: str, entity, status: int = 200, error: str | None = None):
    history = audit_query.entity_history(kind, entity.id)
    edits = revisions.of_entity(kind, entity.id)
    people = accounts.display_names(
        [entity.created_by_id, entity.reviewed_by_id]
        + [a.user_id for a in history]
        + [r.submitted_by_id for r in edits]
        + [r.reviewed_by_id for r in edits]
    )
    fields = None
    if kind != LIST_ENTRY:
        data = record_data(kind, entity)
        if entity.project is not None:
            data["project"] = f"{entity.project.name}（{entity.project.code}）"
        fields = [(header, data[name]) for name, header in field_headers(kind).items()]
    template = "admin/list_entry_detail.html" if kind == LIST_ENTRY else "admin/record_detail.html"
    return render_template(
        template,
        kind=kind,
        kind_label=LABELS[kind],
        entity=entity,
        fields=fields,
        history=history,
        revisions=edits,
        pending=[r for r in edits if r.state == RevisionState.PENDING],
        people=people,
        labels=labels(kind),
        actions=ACTION_LABELS,
        error=error,
        shown=shown,
        limit=publication_limit(),
    ), status
