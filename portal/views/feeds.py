"""Atom feeds: new publications per column, per list and list type, per subject, and removals."""

from __future__ import annotations

from feedgen.feed import FeedGenerator
from flask import Response, abort, request, url_for

from portal import city, clock
from portal.models import ListKind
from portal.services.opendata import columns, feeds
from portal.views.blueprint import bp

ATOM = "application/atom+xml; charset=utf-8"


def _atom(feed: feeds.Feed | None) -> Response:
    if feed is None:
        abort(404)
    fg = FeedGenerator()
    fg.id(feed.id)
    fg.title(feed.title)
    fg.author({"name": city.current().name})
    fg.link(href=url_for(feed.endpoint, _external=True, **feed.args), rel="alternate")
    fg.link(href=request.url, rel="self")
    fg.language("zh-CN")
    fg.updated(max((e.updated for e in feed.entries), default=None) or clock.now())
    for item in reversed(feed.entries):  # feedgen puts the last added first
        entry = fg.add_entry()
        entry.id(item.id)
        entry.title(item.title)
        entry.updated(item.updated)
        entry.link(href=url_for(item.endpoint, _external=True, **item.args), rel="alternate")
        if item.summary:
            entry.summary(item.summary)
    return Response(fg.atom_str(pretty=True), mimetype=ATOM)


@bp.get("/feeds/<name>.atom")
def column_feed(name: str):
    if name not in feeds.COLUMN_PAGES or name not in columns.COLUMNS:
        abort(404)
    return _atom(feeds.column(name))


@bp.get("/feeds/lists/<kind>.atom")
def list_feed(kind: str):
    try:
        list_kind = ListKind(kind)
    except ValueError:
        abort(404)
    list_type = request.args.get("type", "")
    if list_type and list_type not in feeds.list_types(list_kind):
        abort(404)
    return _atom(feeds.credit_list(list_kind, list_type))


@bp.get("/feeds/subjects/<ref>.atom")
def subject_feed(ref: str):
    return _atom(feeds.subject(ref))


@bp.get("/feeds/removals.atom")
def removal_feed():
    return _atom(feeds.removal_feed())
