"""A lost, empty, half-built, damaged or lagging index never tells a citizen "no records"."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import SearchDocument, SearchIndexState, SearchOutbox
from portal.search import autosync, backend, indexer
from portal.search import documents as search_documents
from portal.services.public_search.search import search
from tests.exchange_files import penalty_row, write_csv
from tests.test_search import import_rows

COMPANY = "宁波市鄞州区恒达建筑工程有限公司"


@pytest.fixture
def indexed(search_app, tmp_path):
    with search_app.app_context():
        rows = [penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕7号", "违法事实": "当事人违规储存危险化学品"})]
        import_rows(search_app, tmp_path, rows)
        yield search_app


def file_based(app) -> bool:
    return app.config["PORTAL_SEARCH_BACKEND"] != "postgres"


def restart(app) -> None:
    """What a freshly started process sees: no connection or searcher carried over."""
    from portal import search

    search.init_app(app)
    indexer.forget_status()


def page_says_incomplete(client, q: str) -> None:
    page = client.get("/search", query_string={"q": q}).get_data(as_text=True)
    assert "未找到" not in page
    assert "检索索引正在" in page


def says_incomplete(client, q: str = "恒达建筑") -> dict:
    page_says_incomplete(client, q)
    data = client.get("/api/v1/search", query_string={"q": q}).get_json()
    assert data["complete"] is False and "检索索引正在" in data["notice"]
    return data


def answers_from_the_database(app) -> None:
    data = says_incomplete(app.test_client())
    assert [s["name"] for s in data["subjects"]] == [COMPANY]
    assert [r["doc_no"] for r in data["records"]] == ["甬市监罚〔2026〕7号"]


def rebuilt_and_complete(app) -> None:
    indexer.sync(wait=True)
    indexer.forget_status()
    data = app.test_client().get("/api/v1/search", query_string={"q": "危险化学品"}).get_json()
    assert data["complete"] is True and data["notice"] is None
    assert [r["doc_no"] for r in data["records"]] == ["甬市监罚〔2026〕7号"]


def index_dir(app) -> Path:
    return Path(app.config["PORTAL_SEARCH_INDEX"])


def test_deleted_index(indexed):
    if not file_based(indexed):
        pytest.skip("the PostgreSQL backend's documents live in the database")
    shutil.rmtree(index_dir(indexed))
    restart(indexed)
    answers_from_the_database(indexed)
    rebuilt_and_complete(indexed)


def test_empty_index(indexed):
    if file_based(indexed):
        backend().rebuild(iter([]))
        db.session.execute(update(SearchIndexState).values(index_id=backend().index_id()))
    else:
        db.session.execute(SearchDocument.__table__.delete())
    db.session.commit()
    restart(indexed)
    answers_from_the_database(indexed)
    rebuilt_and_complete(indexed)


def test_half_built_index(indexed, monkeypatch):
    if not file_based(indexed):
        pytest.skip("the PostgreSQL backend rebuilds in one transaction")
    real = search_documents.all_docs

    def killed(today, **kwargs):
        for n, doc in enumerate(real(today, **kwargs)):
            if n == 1:
                raise KeyboardInterrupt("killed")
            yield doc

    monkeypatch.setattr(indexer, "all_docs", killed)
    with pytest.raises(KeyboardInterrupt):
        indexer.rebuild()
    restart(indexed)
    # The interrupted generation is never switched to: the previous one keeps answering, complete.
    data = indexed.test_client().get("/api/v1/search", query_string={"q": "危险化学品"}).get_json()
    assert data["complete"] is True and [r["doc_no"] for r in data["records"]] == ["甬市监罚〔2026〕7号"]
    # A new machine whose first build was interrupted has no index to trust at all.
    shutil.rmtree(index_dir(indexed))
    with pytest.raises(KeyboardInterrupt):
        indexer.rebuild()
    restart(indexed)
    answers_from_the_database(indexed)
    monkeypatch.undo()
    rebuilt_and_complete(indexed)


def test_corrupt_index_files(indexed):
    if not file_based(indexed):
        pytest.skip("the PostgreSQL backend's documents live in the database")
    damaged = 0
    for path in index_dir(indexed).iterdir():
        if path.suffix in (".sqlite", ".seg", ".toc"):
            path.write_bytes(b"\x00garbage" * 512)
            damaged += 1
    assert damaged
    restart(indexed)
    answers_from_the_database(indexed)
    rebuilt_and_complete(indexed)


def test_lagging_outbox_is_announced(indexed, tmp_path):
    rows = [penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕8号", "违法事实": "当事人擅自拆除消防设施"})]
    result = indexed.test_cli_runner().invoke(
        args=["portal", "import", "penalty", str(write_csv(tmp_path / "late.csv", "penalty", rows))]
    )
    assert result.exit_code == 0, result.output
    a_minute_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)
    db.session.execute(update(SearchOutbox).values(created_at=a_minute_ago))
    db.session.commit()
    indexer.forget_status()
    data = says_incomplete(indexed.test_client(), "消防设施")
    assert data["records"] == []
    assert "项变更尚未纳入" in data["notice"]
    rebuilt_and_complete(indexed)
    assert indexed.test_client().get("/api/v1/search", query_string={"q": "消防设施"}).get_json()["records"]


def test_a_search_on_a_lost_index_starts_the_rebuild(search_app, tmp_path):
    search_app.config["PORTAL_SEARCH_AUTOSYNC"] = True
    autosync.init_app(search_app)  # before the first request, as create_app does
    with search_app.app_context():
        import_rows(search_app, tmp_path, [penalty_row(**{"违法事实": "当事人违规储存危险化学品"})])
        if file_based(search_app):
            shutil.rmtree(index_dir(search_app))
        else:
            db.session.execute(SearchDocument.__table__.delete())
            db.session.commit()
        restart(search_app)
        page_says_incomplete(search_app.test_client(), "恒达建筑")  # and wakes the background sync
        try:
            deadline = time.monotonic() + 30
            while indexer.status().problem and time.monotonic() < deadline:
                time.sleep(0.05)
                indexer.forget_status()
                db.session.rollback()  # see the background thread's commits
            assert indexer.status().problem is None
            assert db.session.scalar(select(SearchIndexState.index_id)) == backend().index_id()
        finally:
            search_app.extensions["search_autosync"].stop()  # no thread left working on later tests' data


def test_index_worker_keeps_the_index_in_step_outside_the_web_workers(search_app, tmp_path):
    """`portal index-worker`: a process of its own builds the missing index and applies new changes."""
    with search_app.app_context():
        import_rows_unsynced(search_app, tmp_path, "当事人违规储存危险化学品", "a.csv")
        env = {
            **os.environ,
            "DATABASE_URL": search_app.config["SQLALCHEMY_DATABASE_URI"],
            "PORTAL_SEARCH_BACKEND": search_app.config["PORTAL_SEARCH_BACKEND"],
            "PORTAL_SEARCH_INDEX": search_app.config["PORTAL_SEARCH_INDEX"],
            "SECRET_KEY": "test-secret",
        }
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "portal", "index-worker", "--interval", "0.1"],
            env=env,
            cwd=Path(__file__).resolve().parent.parent,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert wait_for_records("危险化学品"), "the worker built the index"
            import_rows_unsynced(search_app, tmp_path, "当事人擅自拆除消防设施", "b.csv")
            assert wait_for_records("消防设施"), "the worker applied the new change"
        finally:
            worker.send_signal(signal.SIGTERM)
            _, errors = worker.communicate(timeout=30)
        assert worker.returncode == 0, errors
        assert indexer.pending() == 0


def import_rows_unsynced(app, tmp_path, facts: str, name: str) -> None:
    doc_no = f"甬市监罚〔2026〕{name}号"
    path = write_csv(tmp_path / name, "penalty", [penalty_row(**{"行政处罚决定书文号": doc_no, "违法事实": facts})])
    result = app.test_cli_runner().invoke(args=["portal", "import", "penalty", str(path)])
    assert result.exit_code == 0, result.output


def wait_for_records(word: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()
        indexer.forget_status()
        if indexer.status().problem is None and search(word, "penalty").records:
            return True
        time.sleep(0.1)
    return False
