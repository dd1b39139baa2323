"""The back office's listings: search, filters, sorting and CSV export, one definition for the
page and its export. Records and list entries are here; the other desks' listings (accounts,
submissions, imports, API keys, articles) are in `office_lists`, built on the same `Listing`."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from portal import clock
from portal.extensions import db
from portal.importer.headers import KIND_LABELS as IMPORT_KIND_LABELS
from portal.models import License, ListEntry, ListKind, Penalty, PublicationState, Role, Subject
from portal.models.applications import OPEN_STATUSES
from portal.services.articles.editorial import ArticleStatus
from portal.services.core import audit
from portal.services.online import applications
from portal.services.opendata import extracts
from portal.services.staff import access

MODELS = {"license": License, "penalty": Penalty}
ACCOUNT_STATES = {"active": "正常", "must_change": "待修改密码", "disabled": "已停用"}
IMPORT_STATES = {"running": "导入中", "finished": "已完成", "failed": "失败"}
KEY_STATES = {"valid": "有效", "revoked": "已停用"}
# Per listing: its sortable columns (key: (column, label)); the first is the default order.
SORTS: dict[str, dict[str, tuple[str, str]]] = {
    "record": {
        "updated": ("updated_at", "最近更新"),
        "decided": ("decided_on", "决定日期"),
        "doc_no": ("doc_no", "文书号"),
        "subject": ("subject_name", "行政相对人"),
    },
    "list_entry": {
        "updated": ("updated_at", "最近更新"),
        "listed": ("listed_on", "列入日期"),
        "removed": ("removed_on", "移出日期"),
    },
    "account": {
        "username": ("username", "用户名"),
        "name": ("display_name", "姓名"),
        "login": ("last_login_at", "最近登录"),
    },
    "application": {
        "deadline": ("deadline", "办理期限"),
        "since": ("since", "提交日期"),
        "number": ("title", "事项"),
    },
    "import": {
        "started": ("started_at", "开始时间"),
        "file": ("file_name", "文件"),
        "rejected": ("rows_rejected", "不合格"),
    },
    "api_key": {
        "created": ("created_at", "签发时间"),
        "holder": ("holder", "使用者"),
    },
    "article": {
        "updated": ("updated_at", "最后修改"),
        "publish": ("publish_at", "发布时间"),
        "title": ("title", "标题"),
    },
}
_PUBLICATION_STATES = frozenset(s.value for s in PublicationState)
# Per listing: the values its 状态 and 类别 filters accept (a listing without one has no such filter).
STATES: dict[str, frozenset[str]] = {
    "record": _PUBLICATION_STATES,
    "list_entry": _PUBLICATION_STATES,
    "account": frozenset(ACCOUNT_STATES) | {"inactive"},
    "application": frozenset(s.value for s in OPEN_STATUSES) | {"overdue"},
    "import": frozenset(IMPORT_STATES),
    "api_key": frozenset(KEY_STATES),
    "article": frozenset(s.value for s in ArticleStatus),
}
KINDS: dict[str, frozenset[str]] = {
    "list_entry": frozenset(k.value for k in ListKind),
    "account": frozenset(r.value for r in Role),
    "application": frozenset(applications.KIND_LABELS),
    "import": frozenset(IMPORT_KIND_LABELS),
}
# Listings read oldest first unless asked otherwise (a queue by its deadline).
ASCENDING = {"application", "account"}
EXPORT_CAP = 50_000  # rows in one export: a department's records, not the whole platform


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _id(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


@dataclass(frozen=True)
class Listing:
    """What the staff member asked for: words, a state, a date range and an order."""

    table: str  # a key of SORTS
    q: str = ""
    state: str = ""
    kind: str = ""  # the listing's 类别 (a list kind, a submission kind, a role...)
    department: int | None = None
    column: int | None = None  # an article's 栏目
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "updated"
    descending: bool = True

    @classmethod
    def from_args(cls, table: str, args) -> Listing:
        sorts = SORTS[table]
        sort = args.get("sort", "")
        order = args.get("order", "")
        return cls(
            table=table,
            q=(args.get("q") or "").strip()[:100],
            state=args.get("state", "") if args.get("state", "") in STATES.get(table, ()) else "",
            kind=args.get("kind", "") if args.get("kind", "") in KINDS.get(table, ()) else "",
            department=_id(args.get("department")),
            column=_id(args.get("column")),
            date_from=_date(args.get("date_from")),
            date_to=_date(args.get("date_to")),
            sort=sort if sort in sorts else next(iter(sorts)),
            descending=order == "desc" if order in ("asc", "desc") else table not in ASCENDING,
        )

    def as_args(self, **changes) -> dict:
        """Query arguments that give this listing again (with `changes`), for links and the export."""
        values = {
            "q": self.q,
            "state": self.state,
            "kind": self.kind if self.table in KINDS else "",
            "department": str(self.department) if self.department else "",
            "column": str(self.column) if self.column else "",
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
            **changes,
        }
        return {k: v for k, v in values.items() if v}

    def sorted_by(self, key: str) -> dict:
        """Arguments for a column header: by this column, reversing the order if it already is."""
        descending = not self.descending if key == self.sort else True
        return self.as_args(sort=key, order="desc" if descending else "asc")

    @property
    def by_date(self) -> bool:
        """Whether the order is by a date or time (read as newest/oldest first, not as up/down)."""
        column = SORTS[self.table][self.sort][0]
        return column.endswith(("_at", "_on")) or column in ("since", "deadline")

    def aria_sort(self, key: str) -> str:
        if key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"


def _ordered(stmt: Select, model, listing: Listing) -> Select:
    column = getattr(model, SORTS[listing.table][listing.sort][0])
    direction = column.desc() if listing.descending else column.asc()
    tie = model.id.desc() if listing.descending else model.id.asc()
    return stmt.order_by(direction.nulls_last(), tie)


def records(kind: str, user, listing: Listing) -> Select:
    """The user's department's licences or penalties matching the listing, in its order."""
    model = MODELS[kind]
    stmt = access.own_department(select(model), model, user).options(selectinload(model.subject))
    if listing.state:
        stmt = stmt.where(model.state == PublicationState(listing.state))
    if listing.q:
        words = listing.q
        stmt = stmt.where(
            model.doc_no.contains(words, autoescape=True) | model.subject_name.contains(words, autoescape=True)
        )
    if listing.date_from:
        stmt = stmt.where(model.decided_on >= listing.date_from)
    if listing.date_to:
        stmt = stmt.where(model.decided_on <= listing.date_to)
    return _ordered(stmt, model, listing)


def list_entries(user, listing: Listing) -> Select:
    """The user's department's list entries matching the listing, in its order."""
    stmt = access.own_department(select(ListEntry), ListEntry, user).options(selectinload(ListEntry.subject))
    if listing.kind:
        stmt = stmt.where(ListEntry.kind == ListKind(listing.kind))
    if listing.state:
        stmt = stmt.where(ListEntry.state == PublicationState(listing.state))
    if listing.q:
        named = select(Subject.id).where(
            Subject.name.contains(listing.q, autoescape=True) | Subject.uscc.contains(listing.q, autoescape=True)
        )
        stmt = stmt.where(ListEntry.subject_id.in_(named) | ListEntry.list_type.contains(listing.q, autoescape=True))
    if listing.date_from:
        stmt = stmt.where(ListEntry.listed_on >= listing.date_from)
    if listing.date_to:
        stmt = stmt.where(ListEntry.listed_on <= listing.date_to)
    return _ordered(stmt, ListEntry, listing)


# CSV export ---------------------------------------------------------------------------------------

RECORD_COLUMNS = (
    ("文书号", lambda r: r.doc_no),
    ("行政相对人名称", lambda r: r.subject_name),
    ("决定日期", lambda r: r.decided_on.isoformat()),
    ("状态", lambda r: r.state.label),
    ("退回原因", lambda r: r.returned_reason or ""),
    ("最后更新", lambda r: r.updated_at.isoformat(timespec="seconds") if r.updated_at else ""),
)
LIST_COLUMNS = (
    ("信用主体", lambda e: e.subject.name),
    ("统一社会信用代码", lambda e: e.subject.uscc or ""),
    ("名单", lambda e: e.kind.label),
    ("名单类型", lambda e: e.list_type),
    ("列入日期", lambda e: e.listed_on.isoformat()),
    ("移出日期", lambda e: e.removed_on.isoformat() if e.removed_on else ""),
    ("状态", lambda e: e.state.label),
    ("退回原因", lambda e: e.returned_reason or ""),
)


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (names and numbers are typed by anyone)."""
    return "" if value is None else extracts.neutralise(str(value))


def csv_lines(columns, rows: Iterable) -> Iterator[str]:
    """The CSV of `rows` (UTF-8 with a BOM, Chinese headers, formulas neutralised), in chunks."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _ in columns])
    yield extracts.BOM + out.getvalue()  # BOM: spreadsheet programs then read the Chinese as UTF-8
    for row in rows:
        out.seek(0)
        out.truncate()
        writer.writerow([csv_cell(get(row)) for _, get in columns])
        yield out.getvalue()


def lines(columns, stmt: Select) -> Iterator[str]:
    """The CSV, streamed; the query runs when the response is sent (inside the stream)."""
    yield from csv_lines(columns, db.session.scalars(stmt.limit(EXPORT_CAP).execution_options(yield_per=1000)))


def export(table: str, kind: str | None, user, listing: Listing) -> tuple[str, Iterator[str]]:
    """(file name, CSV lines) of the listing; the export itself is recorded in the audit log."""
    if table == "record":
        stmt, columns = records(kind, user, listing), RECORD_COLUMNS
        name = {"license": "licenses", "penalty": "penalties"}[kind]
    else:
        stmt, columns, name = list_entries(user, listing), LIST_COLUMNS, "list-entries"
    audit.record(
        "records_exported" if table == "record" else "list_entries_exported",
        user=user,
        entity_type=kind if table == "record" else "list_entry",
        after=listing.as_args() or None,
    )
    db.session.commit()
    return f"{name}-{clock.today().isoformat()}.csv", lines(columns, stmt)
