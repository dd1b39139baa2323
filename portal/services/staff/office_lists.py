"""The other desks' listings, on desk_lists' `Listing`: accounts (系统管理员), the open submissions
of a department (受理员), import runs (录入员), API keys and articles. Each has a query the page
pages through and a CSV export of the same rows, in the same order, with the page's columns.

Who sees what is asked of `access`: accounts and API keys are the platform's (系统管理员 only),
import runs and submissions their department's; articles belong to no department (栏目编辑).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import selectinload

from portal import clock
from portal.extensions import db
from portal.importer.headers import KIND_LABELS as IMPORT_KIND_LABELS
from portal.models import ApiKey, ApplicationStatus, Article, ImportRun, Role, StaffUser, UserRole
from portal.services.articles import editorial
from portal.services.core import audit
from portal.services.imports import web_import
from portal.services.staff import access, worklist
from portal.services.staff import accounts as staff_accounts
from portal.services.staff.desk_lists import (
    ACCOUNT_STATES,
    EXPORT_CAP,
    IMPORT_STATES,
    KEY_STATES,
    SORTS,
    Listing,
    _ordered,
    csv_lines,
)


def _day_range(column, listing: Listing) -> tuple:
    """Conditions for a timestamp column within the listing's dates (days in China's time)."""
    where: list = []
    if listing.date_from:
        where.append(column >= _day_start_utc(listing.date_from))
    if listing.date_to:
        where.append(column < _day_start_utc(listing.date_to + dt.timedelta(days=1)))
    return tuple(where)


def _day_start_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.CHINA).astimezone(dt.timezone.utc)


_local = clock.local_time


# Accounts -----------------------------------------------------------------------------------------


def account_state(user: StaffUser) -> str:
    if not user.active:
        return "disabled"
    return "must_change" if user.must_change_password else "active"


def accounts(user, listing: Listing) -> Select:
    stmt = access.platform_wide(select(StaffUser), user, Role.ADMIN).options(selectinload(StaffUser.department))
    if listing.q:
        stmt = stmt.where(
            StaffUser.username.contains(listing.q, autoescape=True)
            | StaffUser.display_name.contains(listing.q, autoescape=True)
        )
    if listing.kind:
        stmt = stmt.where(exists().where(UserRole.user_id == StaffUser.id, UserRole.role == Role(listing.kind)))
    if listing.department:
        stmt = stmt.where(StaffUser.department_id == listing.department)
    if listing.state == "disabled":
        stmt = stmt.where(StaffUser.active.is_(False))
    elif listing.state == "inactive":
        stmt = stmt.where(staff_accounts.inactive())
    elif listing.state:
        stmt = stmt.where(
            StaffUser.active.is_(True), StaffUser.must_change_password.is_(listing.state == "must_change")
        )
    stmt = stmt.where(*_day_range(StaffUser.last_login_at, listing))
    return _ordered(stmt, StaffUser, listing)


ACCOUNT_COLUMNS = (
    ("用户名", lambda u: u.username),
    ("姓名", lambda u: u.display_name),
    ("部门", lambda u: u.department.name if u.department else ""),
    ("角色", lambda u: "、".join(u.role_labels)),
    ("状态", lambda u: ACCOUNT_STATES[account_state(u)]),
    ("最近登录", lambda u: _local(u.last_login_at) or "从未登录"),
)


# Open submissions (受理事项) -------------------------------------------------------------------------


def submissions(user, listing: Listing) -> worklist.Queue:
    """The department's open objections, repairs and commitments matching the listing, in its order.
    A department's open matters are few: they are filtered and ordered after the queue is read."""
    kinds = (listing.kind,) if listing.kind else ("objection", "repair", "commitment")
    queue = worklist.applications(access.department_of(user), kinds=kinds)
    items = queue.items
    if listing.q:
        items = [i for i in items if listing.q in i.title]
    if listing.state == "overdue":
        items = [i for i in items if i.overdue]
    elif listing.state:
        label = ApplicationStatus(listing.state).label
        items = [i for i in items if i.status == label]
    if listing.date_from:
        items = [i for i in items if i.since and i.since >= listing.date_from]
    if listing.date_to:
        items = [i for i in items if i.since and i.since <= listing.date_to]
    if listing.sort == "deadline":
        # Overdue first, then by deadline (the default); the whole order reversed when asked.
        items.sort(key=lambda i: (not i.overdue, i.deadline or dt.date.max, i.since or dt.date.max))
        if listing.descending:
            items.reverse()
    else:
        field = SORTS["application"][listing.sort][0]
        items.sort(key=lambda i: (getattr(i, field) is None, getattr(i, field) or ""), reverse=listing.descending)
    queue.items = items
    return queue


SUBMISSION_COLUMNS = (
    ("类别", lambda i: i.kind_label),
    ("事项", lambda i: i.title),
    ("状态", lambda i: i.status),
    ("提交日期", lambda i: i.since.isoformat() if i.since else ""),
    ("办理期限", lambda i: i.deadline.isoformat() if i.deadline else ""),
    ("是否超期", lambda i: "已超期" if i.overdue else ""),
)


# Import runs --------------------------------------------------------------------------------------


def imports(user, listing: Listing) -> Select:
    stmt = access.own_department(select(ImportRun), ImportRun, user)
    if listing.q:
        stmt = stmt.where(ImportRun.file_name.contains(listing.q, autoescape=True))
    if listing.kind:
        stmt = stmt.where(ImportRun.kind == listing.kind)
    # The states of web_import.status, as conditions.
    if listing.state == "failed":
        stmt = stmt.where(ImportRun.error.is_not(None))
    elif listing.state:
        finished = (
            ImportRun.finished_at.is_not(None) if listing.state == "finished" else ImportRun.finished_at.is_(None)
        )
        stmt = stmt.where(ImportRun.error.is_(None), finished)
    stmt = stmt.where(*_day_range(ImportRun.started_at, listing))
    return _ordered(stmt, ImportRun, listing)


IMPORT_COLUMNS = (
    ("编号", lambda r: r.id),
    ("类别", lambda r: IMPORT_KIND_LABELS.get(r.kind, r.kind)),
    ("文件", lambda r: r.file_name),
    ("开始时间", lambda r: _local(r.started_at)),
    ("状态", lambda r: IMPORT_STATES[web_import.status(r)]),
    ("合格", lambda r: r.rows_valid),
    ("不合格", lambda r: r.rows_rejected),
)


# API keys -----------------------------------------------------------------------------------------


def api_keys(user, listing: Listing) -> Select:
    stmt = access.platform_wide(select(ApiKey), user, Role.ADMIN)
    if listing.q:
        stmt = stmt.where(ApiKey.holder.contains(listing.q, autoescape=True) | ApiKey.prefix.startswith(listing.q))
    if listing.state:
        stmt = stmt.where(ApiKey.revoked_at.is_(None) if listing.state == "valid" else ApiKey.revoked_at.is_not(None))
    stmt = stmt.where(*_day_range(ApiKey.created_at, listing))
    return _ordered(stmt, ApiKey, listing)


KEY_COLUMNS = (
    ("使用者", lambda k: k.holder),
    ("密钥开头", lambda k: k.prefix + "…"),
    ("签发时间", lambda k: _local(k.created_at)),
    ("状态", lambda k: KEY_STATES["revoked" if k.revoked_at else "valid"]),
    ("停用时间", lambda k: _local(k.revoked_at)),
)


# Articles -----------------------------------------------------------------------------------------


def articles(user, listing: Listing) -> Select:
    stmt = access.platform_wide(select(Article), user, Role.EDITOR).options(selectinload(Article.column))
    if listing.column:
        stmt = stmt.where(Article.column_id == listing.column)
    if listing.state:
        stmt = stmt.where(editorial.status_filter(editorial.ArticleStatus(listing.state)))
    if listing.q:
        stmt = stmt.where(Article.title.contains(listing.q, autoescape=True))
    stmt = stmt.where(*_day_range(Article.updated_at, listing))
    return _ordered(stmt, Article, listing)


ARTICLE_COLUMNS = (
    ("标题", lambda a: a.title),
    ("栏目", lambda a: a.column.name),
    ("状态", lambda a: editorial.status(a).label),
    ("发布时间", lambda a: _local(a.publish_at)),
    ("最后修改", lambda a: _local(a.updated_at)),
    ("来源", lambda a: a.source or ""),
)


# Export -------------------------------------------------------------------------------------------

_EXPORTS = {
    "account": ("accounts", accounts, ACCOUNT_COLUMNS, "staff_user"),
    "import": ("imports", imports, IMPORT_COLUMNS, "import_run"),
    "api_key": ("api-keys", api_keys, KEY_COLUMNS, "api_key"),
    "article": ("articles", articles, ARTICLE_COLUMNS, "article"),
}


def export(table: str, user, listing: Listing) -> tuple[str, Iterator[str]]:
    """(file name, CSV lines) of a listing as the page shows it; the export is recorded in the audit log."""
    columns: tuple
    rows: Iterable
    if table == "application":
        name, entity, columns = "submissions", "application", SUBMISSION_COLUMNS
        rows = submissions(user, listing).items
    else:
        name, query, columns, entity = _EXPORTS[table]
        rows = _streamed(query(user, listing))
    audit.record("list_exported", user=user, entity_type=entity, after=listing.as_args() or None)
    db.session.commit()
    return f"{name}-{clock.today().isoformat()}.csv", csv_lines(columns, rows)


def _streamed(stmt: Select) -> Iterator:
    """The rows, read when the response is sent (inside the stream), in batches."""
    yield from db.session.scalars(stmt.limit(EXPORT_CAP).execution_options(yield_per=1000))
