"""Pinyin initials in search, on every backend: NBJG finds 宁波建工工程集团有限公司, and only
subjects whose initials equal the query or begin with it (3 letters or more); names, words and
文书号 written in Latin letters are found as before, ahead of initials."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import delete, update
from whoosh import index

from portal.extensions import db
from portal.models import SearchDocument, SearchIndexState
from portal.rules import uscc
from portal.search import backend, indexer, init_app, whoosh_backend
from portal.search.fallback import DatabaseSearch
from portal.search.query import parse
from portal.services.public_search.search import search
from tests.exchange_files import penalty_row
from tests.test_search import import_rows

pytestmark = pytest.mark.usefixtures("search_ctx")

_rng = random.Random(15)
COMPANIES = {
    "宁波建工工程集团有限公司": "罚〔2026〕1号",  # NBJGGC, JGGC
    "宁波南部建设有限公司": "罚〔2026〕2号",  # NBNBJS, NBJS
    "ABC国际贸易有限公司": "ABC罚〔2026〕3号",  # ABC in the name and in the 文书号
    "宁波阿布才商贸有限公司": "罚〔2026〕4号",  # ABCSM: initials that begin with ABC
    "宁波恒达贸易有限公司": "罚〔2026〕5号",  # HDMY, NBHDMY
}
CODES = {name: uscc.generate(_rng, "330212", "9", "1") for name in COMPANIES}


@pytest.fixture
def search_ctx(search_app, tmp_path):
    with search_app.app_context():
        rows = [
            penalty_row(**{"行政相对人名称": name, "统一社会信用代码": CODES[name], "行政处罚决定书文号": doc_no})
            for name, doc_no in COMPANIES.items()
        ]
        import_rows(search_app, tmp_path, rows)
        yield search_app


def names(q: str) -> list[str]:
    return [s["name"] for s in search(q, "subject").subjects]


def test_initials_find_the_company():
    assert names("NBJG") == ["宁波建工工程集团有限公司"]
    assert names("nbjg") == names("ＮＢＪＧ") == ["宁波建工工程集团有限公司"]
    assert names("NBJGGC") == names("JGGC") == ["宁波建工工程集团有限公司"]
    assert set(names("NBJ")) == {"宁波建工工程集团有限公司", "宁波南部建设有限公司"}


def test_initials_are_precise():
    # Two letters find only a form of two letters; longer queries only forms that begin with them.
    assert names("NB") == names("JG") == []
    assert names("NBJGX") == names("BJG") == names("XYZQ") == []
    # A Chinese query is a name, never initials.
    assert names("宁波建工") == ["宁波建工工程集团有限公司"]
    assert names("建设") == ["宁波南部建设有限公司"]


def test_latin_names_and_doc_numbers_work_as_before():
    # The name containing ABC first, then the company whose initials begin with ABC.
    assert names("ABC") == ["ABC国际贸易有限公司", "宁波阿布才商贸有限公司"]
    records = search("ABC", "penalty").records
    assert [r["doc_no"] for r in records] == ["ABC罚〔2026〕3号"]
    assert [r["doc_no"] for r in search("NBJG", "penalty").records] == []


def test_initials_follow_changes_through_the_outbox(search_ctx, tmp_path):
    row = penalty_row(
        **{"行政相对人名称": "宁波甬兴实业有限公司", "统一社会信用代码": uscc.generate(_rng, "330212", "9", "1")}
    )
    import_rows(search_ctx, tmp_path, [row], name="later.csv")
    assert indexer.status().problem is None
    assert names("NBYXSY") == names("YXSY") == ["宁波甬兴实业有限公司"]


def test_page_and_api_answer_initials(search_ctx):
    client = search_ctx.test_client()
    page = client.get("/search", query_string={"q": "NBJG"}).get_data(as_text=True)
    assert "宁波建工工程集团有限公司" in page and "宁波南部建设有限公司" not in page
    data = client.get("/api/v1/search", query_string={"q": "nbjg", "type": "subject"}).get_json()
    assert [s["name"] for s in data["subjects"]] == ["宁波建工工程集团有限公司"]


def test_an_index_built_before_initials_is_rebuilt(search_ctx):
    """What the upgrade meets: old SQLite and Whoosh generations are incomplete, the PostgreSQL
    documents stale (the migration forgets the recorded generation)."""
    kind = search_ctx.config["PORTAL_SEARCH_BACKEND"]
    if kind == "sqlite":
        with backend()._connection() as con:
            con.execute("UPDATE meta SET value = '1' WHERE key = 'format'")
    elif kind == "whoosh":
        schema = whoosh_backend._schema()
        schema.remove("initials")
        index.create_in(backend().dir, schema, indexname="gen99").writer().commit()
        backend()._point_to("gen99")
    else:
        db.session.execute(update(SearchDocument).values(initials=None))
        db.session.execute(delete(SearchIndexState))
        db.session.commit()
    init_app(search_ctx)  # a freshly started process: no connection or searcher carried over
    indexer.forget_status()
    assert indexer.status().problem in {"incomplete", "stale"}
    indexer.sync(wait=True)
    indexer.forget_status()
    assert indexer.status().problem is None
    assert names("NBJG") == ["宁波建工工程集团有限公司"]


QUERIES = ("NBJG", "nbjg", "NBJGGC", "JGGC", "NBJ", "NB", "JG", "NBJGX", "BJG", "ABC", "HDMY", "宁波建工")


def test_the_database_search_finds_initials_as_the_index_does():
    for q in QUERIES:
        query = parse(q)
        assert DatabaseSearch().subjects(query, 10) == backend().subjects(query, 10), q


def test_initials_are_found_while_the_index_is_rebuilt(search_ctx):
    # An empty index is not trusted: the search answers from the database (as in test_search_faults).
    if search_ctx.config["PORTAL_SEARCH_BACKEND"] == "postgres":
        db.session.execute(delete(SearchDocument))
    else:
        backend().rebuild(iter([]))
        db.session.execute(update(SearchIndexState).values(index_id=backend().index_id()))
    db.session.commit()
    init_app(search_ctx)
    indexer.forget_status()
    assert indexer.status().problem is not None
    data = search_ctx.test_client().get("/api/v1/search", query_string={"q": "nbjg", "type": "subject"}).get_json()
    assert data["complete"] is False and [s["name"] for s in data["subjects"]] == ["宁波建工工程集团有限公司"]
    # Records are not found through initials, in the database search as in the indexes.
    assert DatabaseSearch().records(parse("NBJG"), ("penalty", "license")) == []
