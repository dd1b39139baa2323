"""Atom feeds of new publications (per column, per list type, per subject) and of removals.

Each entry is what the listing shows, through the same services and presenters, so a feed shows
nothing a page would not; entries point at the page (endpoint and arguments, made into URLs by the
view).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from portal import city, clock
from portal.models import ListKind
from portal.services.credit_lists import lists
from portal.services.opendata import columns, cursor, removals
from portal.services.publication import subjects

ENTRIES = 50
RECENT = dt.timedelta(days=30)


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: dt.datetime
    endpoint: str
    args: dict = field(default_factory=dict)
    summary: str = ""


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    entries: list[Entry]
    endpoint: str  # the page the feed follows
    args: dict = field(default_factory=dict)


def _moment(day: str | None) -> dt.datetime:
    on = dt.date.fromisoformat(day) if day else clock.today()
    return dt.datetime.combine(on, dt.time(), tzinfo=clock.CHINA)


def _record_entry(view: dict) -> Entry:
    kind = view["type"]
    if kind == "license":
        title = f"行政许可：{view['subject']['name']}（{view['doc_no']}）"
        summary = "；".join(x for x in (view["category"], view["content"] or "", view["authority"]) if x)
        return Entry(
            f"urn:credit:license:{view['id']}",
            title,
            _moment(view["decided_on"]),
            "public.license_detail",
            {"record_id": view["id"]},
            summary,
        )
    if kind == "penalty":
        title = f"行政处罚：{view['subject']['name']}（{view['doc_no']}）"
        summary = "；".join(x for x in (view["violation_type"], "、".join(view["categories"]), view["authority"]) if x)
        return Entry(
            f"urn:credit:penalty:{view['id']}",
            title,
            _moment(view["decided_on"]),
            "public.penalty_detail",
            {"record_id": view["id"]},
            summary,
        )
    if kind == "list_entry":
        title = f"{view['kind_label']}：{view['subject']['name']}（{view['list_type']}）"
        return Entry(
            f"urn:credit:list-entry:{view['id']}",
            title,
            _moment(view["listed_on"]),
            "public.subject",
            {"ref": view["subject"]["ref"]},
            f"{view['authority']}；{view['reason']}",
        )
    if kind == "commitment":
        title = f"信用承诺：{view['committer_name']}（{view['commitment_type']}）"
        return Entry(
            f"urn:credit:commitment:{view['id']}",
            title,
            _moment(view["made_on"]),
            "public.commitment_list",
            {},
            view["matter"],
        )
    return Entry(
        f"urn:credit:article:{view['id']}",
        view["title"],
        _moment(view["publish_on"]),
        "public.article",
        {"article_id": view["id"]},
        view["summary"] or "",
    )


COLUMN_PAGES = {
    "licenses": ("public.licenses", {}),
    "penalties": ("public.penalties", {}),
    "commitments": ("public.commitment_list", {}),
    "articles": ("public.articles", {}),
}


def column(name: str) -> Feed:
    """The newest publications of a column."""
    listing = columns.page(name, limit=ENTRIES)
    endpoint, args = COLUMN_PAGES[name]
    label = columns.COLUMNS[name].label
    return Feed(
        f"urn:credit:feed:{name}",
        f"{city.current().name} · {label}",
        [_record_entry(v) for v in listing.items],
        endpoint,
        args,
    )


def list_types(kind: ListKind) -> tuple[str, ...]:
    return lists.list_types(kind)


def credit_list(kind: ListKind, list_type: str = "") -> Feed:
    """Newest entries of one list, or of one type of it."""
    listing = columns.page("list_entries", columns.Query(kind=kind.value, list_type=list_type), limit=ENTRIES)
    title = f"{city.current().name} · {kind.label}" + (f" · {list_type}" if list_type else "")
    args = {"kind": kind.value, **({"type": list_type} if list_type else {})}
    feed_id = f"urn:credit:feed:list:{kind.value}" + (f":{list_type}" if list_type else "")
    return Feed(feed_id, title, [_record_entry(v) for v in listing.items], "public.credit_list", args)


def subject(ref: str) -> Feed | None:
    """Everything public about one subject today, newest first: what a watcher subscribes to."""
    file = subjects.credit_file(ref)
    if file is None:
        return None
    views = file["licenses"] + file["penalties"] + file["list_entries"] + file["commitments"]
    entries = sorted((_record_entry(v) for v in views), key=lambda e: (e.updated, e.id), reverse=True)
    name = file["subject"]["name"]
    return Feed(
        f"urn:credit:feed:subject:{file['subject']['ref']}",
        f"{city.current().name} · {name}",
        entries[:ENTRIES],
        "public.subject",
        {"ref": file["subject"]["ref"]},
    )


def removal_feed() -> Feed:
    """Removals of the last RECENT days, newest first: identifiers and reason only (the removed
    content is never repeated). The JSON feed has the whole history."""
    found, since = [], removals.position(clock.now() - RECENT)
    while True:
        feed = removals.removals(since, 1000)
        found = (found + feed.items)[-ENTRIES:]
        if not feed.items:
            break
        since = feed.cursor
    entries = []
    for r in reversed(found):
        name = r.doc_no or (f"名单条目 {r.list_entry_id}" if r.list_entry_id else f"承诺 {r.commitment_code}")
        key = cursor.encode("removal", r.at.isoformat(), r.source, r.id)
        summary = (
            f"{removals.KINDS[r.kind]}；决定机关统一社会信用代码：{r.authority_uscc}"
            if r.authority_uscc
            else removals.KINDS[r.kind]
        )
        entries.append(
            Entry(f"urn:credit:removal:{key}", f"移出公示：{name}", r.at, "public.api_removals", {}, summary)
        )
    return Feed("urn:credit:feed:removals", f"{city.current().name} · 移出公示记录", entries, "public.api_removals", {})
