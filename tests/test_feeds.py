"""Atom feeds: valid Atom (RFC 4287's RELAX NG schema and its Schematron rules), entries pointing
at the pages, masked like them."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from portal import clock
from portal.extensions import db
from portal.models import ListKind, Penalty, PublicationState
from tests import public_scenario as sc

A = "{http://www.w3.org/2005/Atom}"
NS = {"atom": "http://www.w3.org/2005/Atom"}
SCHEMATRON = "{http://www.ascc.net/xml/schematron}"
_GRAMMAR = etree.parse(str(Path(__file__).parent / "data" / "atom.rng"))
ATOM_SCHEMA = etree.RelaxNG(_GRAMMAR)
# RFC 4287's Schematron rules, as annotations of the grammar: (context, XPath test, message).
RULES = [
    (rule.get("context"), check.get("test"), check.text)
    for rule in _GRAMMAR.iter(f"{SCHEMATRON}rule")
    for check in rule.iter(f"{SCHEMATRON}assert")
]


def atom_problems(data: bytes) -> list[str]:
    """What makes a document invalid Atom: the schema's errors, then the rules' messages."""
    document = etree.fromstring(data)
    if not ATOM_SCHEMA.validate(document):
        return [f"line {e.line}: {e.message}" for e in ATOM_SCHEMA.error_log]
    return [
        message
        for context, test, message in RULES
        for node in document.xpath(f"descendant-or-self::{context}", namespaces=NS)
        if not node.xpath(test, namespaces=NS)
    ]


@pytest.fixture
def world(runner, app_ctx, tmp_path):
    return sc.build(runner, tmp_path)


def _atom(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    assert atom_problems(response.get_data()) == [], url
    feed = ET.fromstring(response.get_data())
    assert feed.tag == f"{A}feed"
    for required in ("id", "title", "updated"):
        assert (feed.findtext(f"{A}{required}") or "").strip(), required
    assert feed.find(f"{A}author/{A}name") is not None
    assert feed.find(f"{A}link[@rel='self']") is not None
    for entry in feed.findall(f"{A}entry"):
        for required in ("id", "title", "updated"):
            assert (entry.findtext(f"{A}{required}") or "").strip(), required
        dt.datetime.fromisoformat(entry.findtext(f"{A}updated"))  # RFC 3339
        assert _alternate(entry) is not None
    return feed


def _alternate(entry: ET.Element) -> str | None:
    """The entry's link to its page (rel="alternate" is Atom's default)."""
    links = [link.get("href") for link in entry.findall(f"{A}link") if link.get("rel", "alternate") == "alternate"]
    return links[0] if links else None


def _pages(client, feed: ET.Element) -> list[str]:
    paths = [urlsplit(_alternate(e)).path for e in feed.findall(f"{A}entry")]
    for path in paths:
        assert client.get(path).status_code == 200, path
    return paths


def test_column_feeds_follow_the_listings(client, world):
    feed = _atom(client, "/feeds/penalties.atom")
    titles = [e.findtext(f"{A}title") for e in feed.findall(f"{A}entry")]
    assert len(titles) == 3 and all(sc.EXPIRED not in t and sc.WITHDRAWN not in t for t in titles)
    assert titles[0].endswith(f"（{sc.PERSON_DOC}）")  # newest first
    assert "张*" in titles[0] and "张三" not in ET.tostring(feed, encoding="unicode")
    assert _pages(client, feed) == [f"/penalties/{world.penalties[d]}" for d in (sc.PERSON_DOC, sc.CURRENT, sc.OTHER)]
    for name in ("licenses", "commitments", "articles"):
        _pages(client, _atom(client, f"/feeds/{name}.atom"))
    assert client.get("/feeds/nothing.atom").status_code == 404


def test_list_feeds_by_kind_and_type(client, world):
    black = _atom(client, "/feeds/lists/black.atom")
    assert len(black.findall(f"{A}entry")) == 2
    one_type = _atom(client, "/feeds/lists/black.atom?type=失信被执行人")
    assert [e.findtext(f"{A}title") for e in one_type.findall(f"{A}entry")] == [
        "严重失信主体名单：宁波恒达建筑工程有限公司（失信被执行人）"
    ]
    _pages(client, one_type)
    assert client.get("/feeds/lists/black.atom?type=不存在").status_code == 404
    assert client.get("/feeds/lists/purple.atom").status_code == 404


def test_a_subject_feed_shows_what_its_credit_file_shows(client, world):
    feed = _atom(client, f"/feeds/subjects/{sc.YINZHOU_USCC}.atom")
    text = ET.tostring(feed, encoding="unicode")
    assert sc.CURRENT in text and sc.LICENSE_CURRENT in text and "失信被执行人" in text
    assert all(doc not in text for doc in sc.HIDDEN)
    person = _atom(client, f"/feeds/subjects/{world.person.public_id}.atom")
    assert "张三" not in ET.tostring(person, encoding="unicode")
    assert client.get("/feeds/subjects/91330200000000000X.atom").status_code == 404


def test_removal_feed_names_identifiers_only(client, world, monkeypatch):
    penalty = db.session.get(Penalty, world.penalties[sc.CURRENT])
    penalty.state = PublicationState.REPAIRED
    db.session.commit()
    later = clock.now() + dt.timedelta(minutes=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    feed = _atom(client, "/feeds/removals.atom")
    entries = {e.findtext(f"{A}title"): e.findtext(f"{A}summary") for e in feed.findall(f"{A}entry")}
    assert entries[f"移出公示：{sc.CURRENT}"].startswith("信用修复；决定机关统一社会信用代码：")
    assert "宁波恒达" not in ET.tostring(feed, encoding="unicode")  # no subject, no content


def test_the_validator_refuses_what_rfc_4287_forbids():
    valid = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN"><id>urn:x</id><title>t</title>'
        b"<updated>2026-12-01T00:00:00+08:00</updated><author><name>n</name></author>"
        b'<entry><id>urn:e</id><title>e</title><updated>2026-12-01T00:00:00Z</updated><link href="/a"/></entry>'
        b"</feed>"
    )
    assert atom_problems(valid) == []
    assert atom_problems(valid.replace(b"<id>urn:x</id>", b""))  # atom:id is required
    assert atom_problems(valid.replace(b"2026-12-01T00:00:00Z", b"2026-12-01"))  # not a date-time
    assert atom_problems(valid.replace(b'<link href="/a"/>', b"<link/>"))  # href is required
    assert atom_problems(valid.replace(b'xml:lang="zh-CN"', b'xml:lang="zh CN"'))  # not a language tag
    assert atom_problems(valid.replace(b"</title><updated>2026-12-01T00:00:00Z", b"</title><foo/><updated>x"))
    assert atom_problems(valid.replace(b'<link href="/a"/>', b"")) == [
        "An atom:entry must have at least one atom:link element with a rel attribute of 'alternate' or an atom:content."
    ]
    assert atom_problems(valid.replace(b"<author><name>n</name></author>", b"")) == [
        "An atom:feed must have an atom:author unless all of its atom:entry children have an atom:author.",
        "An atom:entry must have an atom:author if its feed does not.",
    ]


def test_every_feed_kind_is_valid_atom(client, world):
    urls = [f"/feeds/{name}.atom" for name in ("licenses", "penalties", "commitments", "articles")]
    urls += [f"/feeds/lists/{kind.value}.atom" for kind in ListKind]
    urls += ["/feeds/lists/black.atom?type=失信被执行人", "/feeds/removals.atom"]
    urls += [f"/feeds/subjects/{sc.YINZHOU_USCC}.atom", f"/feeds/subjects/{world.person.public_id}.atom"]
    for url in urls:
        _atom(client, url)
    penalty = db.session.get(Penalty, world.penalties[sc.CURRENT])
    penalty.state = PublicationState.REPAIRED  # the removal feed with an entry
    db.session.commit()
    assert _atom(client, "/feeds/removals.atom").findall(f"{A}entry")
