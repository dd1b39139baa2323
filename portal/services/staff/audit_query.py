"""Reading the audit log: filters, pages and the CSV export. Nothing here changes an entry."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, select

from portal import clock
from portal.extensions import db
from portal.models import AuditLog, StaffUser
from portal.services.core import audit
from portal.services.core.unit_of_work import commit
from portal.services.staff.desk_lists import csv_cell

ACTION_LABELS = {
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出",
    "password_changed": "修改密码",
    "password_reset": "重置密码",
    "account_created": "新建账号",
    "account_updated": "修改账号",
    "account_disabled": "停用账号",
    "account_enabled": "启用账号",
    "department_created": "新建部门",
    "department_updated": "修改部门",
    "article_created": "新建文章",
    "article_updated": "修改文章",
    "article_published": "发布文章",
    "article_withdrawn": "撤下文章",
    "attachment_uploaded": "上传附件",
    "audit_exported": "导出审计日志",
    "projects_exported": "导出项目/设施",
    "create": "新建",
    "update": "修改",
    "publish": "公示",
    "withdraw": "撤销",
    "revise": "提交修改",
    "revision_approve": "修改审核通过",
    "revision_return": "修改退回",
    "review": "审核",
    "approve": "审核通过",
    "return": "退回",
    "import": "导入",
    "import_start": "开始导入",
    "import_failed": "导入失败",
    "import_retry": "重新开始导入",
    "repair": "信用修复（停止公示）",
    "repair_revoked": "违反修复承诺（恢复公示）",
    "report_issued": "出具信用报告",
    "removal_request": "申请移出名单",
    "records_exported": "导出双公示记录",
    "list_exported": "导出列表",
    "list_entries_exported": "导出名单记录",
    "name_case": "处理重错码（名称变更）",
    "grading_run": "开展行业信用评价",
    "inspection_sample": "抽取双随机检查对象",
    "api_key_issue": "签发开放数据接口密钥",
    "api_key_revoke": "吊销开放数据接口密钥",
}
# Online submissions: '<kind>_<step>' for commitments, objections and repairs.
_KIND_LABELS = {"commitment": "信用承诺", "objection": "异议", "repair": "信用修复申请"}
_STEP_LABELS = {
    "submit": "提交",
    "accept": "受理",
    "refuse": "不予受理",
    "request_material": "要求补正材料",
    "supplement": "补正材料",
    "verify": "核实",
    "uphold": "异议成立",
    "corrected": "更正完成",
    "approve": "通过",
    "reject": "不通过",
    "fulfilment": "登记履行情况",
    "route": "分派办理部门",
}
ACTION_LABELS.update({f"{k}_{s}": f"{kl}：{sl}" for k, kl in _KIND_LABELS.items() for s, sl in _STEP_LABELS.items()})

ENTITY_LABELS = {
    "staff_user": "账号",
    "department": "部门",
    "article": "文章",
    "license": "行政许可",
    "penalty": "行政处罚",
    "list_entry": "名单",
    "revision": "修改申请",
    "import_run": "导入批次",
    "objection": "异议",
    "repair": "信用修复",
    "commitment": "信用承诺",
    "audit_log": "审计日志",
    "report_issue": "信用报告",
    "subject": "信用主体",
    "grading_run": "信用评价批次",
    "api_key": "开放数据接口密钥",
    "application": "受理事项",
    "project": "项目/设施",
}

CSV_HEADER = (
    "编号",
    "时间",
    "用户",
    "用户ID",
    "客户端地址",
    "操作",
    "操作代码",
    "对象类型",
    "对象ID",
    "变更前",
    "变更后",
)


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def entity_label(entity_type: str | None) -> str:
    return ENTITY_LABELS.get(entity_type, entity_type) if entity_type else ""


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Filters:
    user: str = ""  # username (the actor, also for failed sign-ins of unknown names)
    action: str = ""
    entity_type: str = ""
    date_from: dt.date | None = None  # China calendar days, both ends included
    date_to: dt.date | None = None

    @classmethod
    def from_args(cls, args) -> Filters:
        return cls(
            user=(args.get("user") or "").strip()[:64],
            action=(args.get("action") or "").strip()[:32],
            entity_type=(args.get("entity_type") or "").strip()[:32],
            date_from=_date(args.get("date_from")),
            date_to=_date(args.get("date_to")),
        )

    def as_args(self) -> dict:
        values = {
            "user": self.user,
            "action": self.action,
            "entity_type": self.entity_type,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        return {k: v for k, v in values.items() if v}


def _day_start_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.CHINA).astimezone(dt.timezone.utc)


def query(filters: Filters) -> Select:
    """Entries matching the filters, newest first."""
    stmt = select(AuditLog)
    if filters.user:
        user_ids = select(StaffUser.id).where(StaffUser.username == filters.user)
        stmt = stmt.where((AuditLog.actor == filters.user) | AuditLog.user_id.in_(user_ids))
    if filters.action:
        stmt = stmt.where(AuditLog.action == filters.action)
    if filters.entity_type:
        stmt = stmt.where(AuditLog.entity_type == filters.entity_type)
    if filters.date_from:
        stmt = stmt.where(AuditLog.at >= _day_start_utc(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(AuditLog.at < _day_start_utc(filters.date_to + dt.timedelta(days=1)))
    return stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc())


def local_time(value: dt.datetime | None) -> str:
    """An entry's time in China (SQLite hands back the naive UTC time it stored)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(clock.CHINA).strftime("%Y-%m-%d %H:%M:%S")


def _json(value: dict | None) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""


def entry_view(entry: AuditLog) -> dict:
    return {
        "id": entry.id,
        "at": local_time(entry.at),
        "actor": entry.actor or "",
        "user_id": entry.user_id,
        "client_addr": entry.client_addr or "",
        "action": entry.action,
        "action_label": action_label(entry.action),
        "entity_type": entry.entity_type or "",
        "entity_label": entity_label(entry.entity_type),
        "entity_id": entry.entity_id,
        "before": _json(entry.before),
        "after": _json(entry.after),
    }


def known_actions() -> list[str]:
    found = set(db.session.scalars(select(AuditLog.action).distinct()))
    return sorted(found, key=lambda a: (a not in ACTION_LABELS, a))


def known_entity_types() -> list[str]:
    return sorted(t for t in db.session.scalars(select(AuditLog.entity_type).distinct()) if t)


def csv_rows(filters: Filters) -> Iterator[str]:
    """The export, UTF-8 with a BOM (so that Excel reads the Chinese), streamed in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(CSV_HEADER)
    for n, entry in enumerate(db.session.scalars(query(filters).execution_options(yield_per=1000)), 1):
        v = entry_view(entry)
        writer.writerow(
            [
                csv_cell(x)
                for x in (
                    v["id"],
                    v["at"],
                    v["actor"],
                    v["user_id"],
                    v["client_addr"],
                    v["action_label"],
                    v["action"],
                    v["entity_label"],
                    v["entity_id"],
                    v["before"],
                    v["after"],
                )
            ]
        )
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def entity_history(entity_type: str, entity_id: int) -> list[AuditLog]:
    """Every audit entry of one record or list entry, oldest first (its detail page's history)."""
    return list(
        db.session.scalars(
            select(AuditLog)
            .where(AuditLog.entity_type == entity_type, AuditLog.entity_id == entity_id)
            .order_by(AuditLog.id)
        )
    )


def record_export(user, filters: Filters) -> None:
    """Who exported what is itself recorded (a new entry; nothing existing changes)."""
    audit.record("audit_exported", user=user, entity_type="audit_log", after=filters.as_args() or None)
    commit()
