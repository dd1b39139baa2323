"""Search as users see it: checked query, backend candidates, database check, masked results.

The index may lag behind the database, so every candidate is checked against the database's
publication state today before it is shown: an expired, withdrawn or repaired record never
appears, whatever the index still holds. An index that cannot be trusted (missing, being rebuilt,
damaged) never answers "no records": the database is searched instead, the rebuild is started,
and the page says that results may be incomplete; so does an index lagging behind the outbox.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import Date, bindparam, literal, select, union_all

from portal import clock, presenters
from portal.extensions import db
from portal.models import License, Penalty, Subject, SubjectKind
from portal.search import autosync, backend, code_search, indexer, presentations
from portal.search.backend import LICENSE, PENALTY, RECORD_CAP, RECORD_TYPES, Hit, Truncated
from portal.search.fallback import DatabaseSearch
from portal.search.query import SearchQuery, parse
from portal.search.sqlite_backend import IndexUnavailable
from portal.services.publication import markers
from portal.visibility import public_filter

REBUILDING = (
    "检索索引正在重建，当前结果直接查自数据库：只含名称、统一社会信用代码或文书号相符的信用主体及其公示记录，"
    "可能不完整，请稍后再查询全文。"
)

SUBJECT_LIMIT = 50  # like the national enterprise system: at most 50 subjects per name query
PAGE_SIZE = 20
VERIFY_STEP = 100  # a list of candidates up to this long is checked whole: its total is exact
TYPES = {"all": ("subject",) + RECORD_TYPES, "subject": ("subject",), LICENSE: (LICENSE,), PENALTY: (PENALTY,)}
_MODELS = {LICENSE: License, PENALTY: Penalty}
# What presenters.subject_view reads: the rows of these columns are presented like Subject entities.
SUBJECT_VIEW_COLUMNS = (
    Subject.kind,
    Subject.uscc,
    Subject.public_id,
    Subject.name,
    Subject.region_code,
    Subject.business_reg_no,
    Subject.org_code,
    Subject.legal_rep,
    Subject.legal_rep_id_type,
    Subject.legal_rep_id_no,
    Subject.id_type,
    Subject.id_no,
)


@dataclass
class SearchResults:
    query: SearchQuery
    type: str
    subjects: list[dict] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    record_total: int = 0
    record_total_capped: bool = False
    record_total_estimated: bool = False  # candidates past the page were not checked one by one
    page: int = 1
    pages: int = 0
    complete: bool = True  # False while the index is rebuilt or lags: "nothing found" is not an answer
    notice: str | None = None
    code_prefix: str | None = None  # set when the query was taken as a USCC (or its beginning)

    def as_json(self) -> dict:
        return {
            "query": self.query.raw,
            "type": self.type,
            "subjects": self.subjects,
            "records": self.records,
            "record_total": self.record_total,
            "record_total_capped": self.record_total_capped,
            "record_total_estimated": self.record_total_estimated,
            "page": self.page,
            "pages": self.pages,
            "complete": self.complete,
            "notice": self.notice,
            "code_prefix": self.code_prefix,
        }


def _subjects(ids: list[int]) -> list[dict]:
    if not ids:
        return []
    found: dict[int, Any] = {s.id: s for s in db.session.execute(_subjects_statement(), {"ids": ids})}
    return [presenters.subject_view(found[i]) for i in ids if i in found]


@cache
def _subjects_statement():
    """The columns a subject's view shows, as rows: a search shows up to 50 subjects, and loading
    them as entities cost more than finding them."""
    return select(Subject.id, *SUBJECT_VIEW_COLUMNS).where(
        Subject.id.in_(bindparam("ids", expanding=True)), Subject.kind != SubjectKind.PERSON
    )


@cache
def _visible_statement(kinds: tuple[str, ...]):
    """Built once per set of kinds (every search runs it): one statement for every kind."""
    on = bindparam("on", type_=Date)
    statements = [
        select(literal(kind), _MODELS[kind].id).where(
            _MODELS[kind].id.in_(bindparam(f"{kind}_ids", expanding=True)), public_filter(_MODELS[kind], on)
        )
        for kind in kinds
    ]
    return union_all(*statements)


def _visible_hits(hits: list[Hit], today) -> list[Hit]:
    """The hits the database says are public today, in the backend's order."""
    wanted = {kind: ids for kind in _MODELS if (ids := [h.entity_id for h in hits if h.type == kind])}
    if not wanted:
        return []
    params = {f"{kind}_ids": ids for kind, ids in wanted.items()}
    visible = {(kind, i) for kind, i in db.session.execute(_visible_statement(tuple(wanted)), {**params, "on": today})}
    return [h for h in hits if (h.type, h.entity_id) in visible]


def _visible_page(hits: list[Hit], page: int, today) -> tuple[list[Hit], int, bool, int]:
    """The page's hits, checked against the database in the backend's order.

    Up to VERIFY_STEP candidates are checked whole, so their total is exact. A longer list is
    checked only as far as the page needs (a common word has 1,000 candidates; the first page
    needs 20 of them): checking more would not make its total exact, and each check reads a row.

    Returns (the page's hits, total, whether the total is exact, the page number after clamping).
    The total counts the unchecked candidates too: almost all are public, since the index holds
    only public records and learns of every change through the outbox.
    """
    visible: list[Hit] = []
    checked = 0
    whole = len(hits) <= VERIFY_STEP
    while checked < len(hits) and len(visible) < page * PAGE_SIZE:
        step = len(hits) if whole else max(PAGE_SIZE, page * PAGE_SIZE - len(visible))
        visible += _visible_hits(hits[checked : checked + step], today)
        checked += step
    checked = min(checked, len(hits))
    total = len(visible) + len(hits) - checked
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if page > pages and checked < len(hits):  # past the end of the estimate: check up to its last page
        return _visible_page(hits, pages, today)
    page = min(page, pages)
    return visible[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], total, checked == len(hits), page


def _present(hits: list[Hit], today) -> list[dict]:
    """The page's records as the presenters show them: their stored presentations where those may be
    served (portal.search.presentations), else presented from the database; with their markers."""
    views = presentations.present_many({kind: [h.entity_id for h in hits if h.type == kind] for kind in _MODELS}, today)
    # Markers as on every page showing a record (异议处理中 / 信用修复中).
    markers.attach_many({kind: [view for (k, _), view in views.items() if k == kind] for kind in _MODELS})
    return [views[(h.type, h.entity_id)] for h in hits if (h.type, h.entity_id) in views]


def _lagging(count: int) -> str:
    more = "+" if count >= indexer.LAG_COUNT_CAP else ""
    return f"检索索引正在更新：最近{count}{more}项变更尚未纳入查询结果，请稍后再查询。"


def search(raw: str | None, type_: str = "all", page: int = 1) -> SearchResults:
    """Raises QueryError (with a Chinese message) for queries that are not searched."""
    query = parse(raw)
    type_ = type_ if type_ in TYPES else "all"
    prefix = code_search.code_prefix(query)
    if prefix:
        results = _run(code_search.CodeSearch(prefix), query, type_, page)
        results.code_prefix = prefix
        return results
    status = indexer.status()
    if not status.problem:
        try:
            results = _run(backend(), query, type_, page)
        except IndexUnavailable:  # damaged since the last status check
            indexer.forget_status()
        else:
            if status.lagging:
                results.complete, results.notice = False, _lagging(status.lagging)
            return results
    autosync.kick(current_app)  # the background sync rebuilds an index it cannot trust
    results = _run(DatabaseSearch(), query, type_, page)
    results.complete, results.notice = False, REBUILDING
    return results


def _run(engine, query, type_: str, page: int) -> SearchResults:
    types = TYPES[type_]
    today = clock.today()
    results = SearchResults(query=query, type=type_)
    if "subject" in types and page == 1:
        results.subjects = _subjects(engine.subjects(query, SUBJECT_LIMIT))
    record_types = tuple(t for t in types if t in RECORD_TYPES)
    if record_types:
        page = max(page, 1)
        candidates = engine.records(query, record_types, RECORD_CAP, enough=page * PAGE_SIZE + VERIFY_STEP)
        shown, total, exact, results.page = _visible_page(candidates, page, today)
        truncated = isinstance(candidates, Truncated)  # the engine estimates more than the cap
        if truncated:
            total, exact = max(total, RECORD_CAP), False
        results.record_total, results.record_total_estimated = total, not exact
        results.record_total_capped = truncated or len(candidates) >= RECORD_CAP
        results.pages = max(1, math.ceil(total / PAGE_SIZE))
        results.records = _present(shown, today)
    return results
