"""A large outbox backlog built in worker processes (portal.search.builders) leaves the index, the
stored views and the outbox exactly as building it in the indexer's own process does, and an index
worker told to stop stops after the batch in hand."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import License, Penalty, RecordPresentation, SearchOutbox, Subject, SubjectKind
from portal.search import backend, builders, indexer, presentations
from portal.services.public_search import search as public_search
from portal.visibility import public_filter

QUERIES = ("宁波", "有限公司", "罚款", "食品", "建设", "许可", "违法", "经营")


def _answers(client, subjects: list[str], doc_nos: list[str]) -> dict:
    answers = {}
    for q in [*QUERIES, *subjects, *doc_nos]:
        response = client.get("/api/v1/search", query_string={"q": q, "type": "all"})
        assert response.status_code == 200, q
        body = response.get_json()
        names = [s["name"] for s in body["subjects"]]
        answers[q] = (
            # Whoosh breaks ties of score by insertion order: which 50 of more equal names is its call.
            len(names) if len(names) == public_search.SUBJECT_LIMIT else sorted(names),
            [(r["doc_no"], r["subject_name"]) for r in body["records"]],
            body["record_total"],
        )
    return answers


def _queue_everything() -> int:
    """Every entity's change queued and its document removed, as after a large import (but one:
    an empty index would be rebuilt, not synced)."""
    rows = [
        {"entity_type": kind, "entity_id": i}
        for kind, model in (("subject", Subject), ("license", License), ("penalty", Penalty))
        for i in db.session.scalars(select(model.id).order_by(model.id))
    ]
    backend().apply([], [f"{r['entity_type']}:{r['entity_id']}" for r in rows[1:]])
    db.session.execute(RecordPresentation.__table__.delete())
    db.session.execute(SearchOutbox.__table__.insert(), rows)
    db.session.commit()
    return len(rows)


@pytest.fixture
def seeded(search_app):
    with search_app.app_context():
        runner = search_app.test_cli_runner()
        assert runner.invoke(args=["portal", "seed", "--subjects", "150", "--seed", "11"]).exit_code == 0
        assert runner.invoke(args=["portal", "reindex"]).exit_code == 0
        yield search_app


def test_a_backlog_built_in_processes_answers_like_a_rebuilt_index(seeded, monkeypatch, tmp_path):
    client = seeded.test_client()
    today = clock.today()
    subjects = db.session.scalars(select(Subject.name).where(Subject.kind != SubjectKind.PERSON).limit(15)).all()
    doc_nos = db.session.scalars(select(Penalty.doc_no).where(public_filter(Penalty, today)).limit(15)).all()
    rebuilt = _answers(client, subjects, doc_nos)
    assert any(records for _, records, _ in rebuilt.values())

    monkeypatch.setattr(indexer, "PARALLEL_FROM", 50)
    monkeypatch.setattr(indexer, "PARALLEL_BATCH", 37)  # batches cut across entity types
    seeded.config["PORTAL_INDEX_PROCESSES"] = 2
    builders_log = tmp_path / "builders"

    def build(batch, today):  # the forked workers inherit this wrapper
        with builders_log.open("a") as log:
            log.write(f"{os.getpid()}\n")
        return real_build(batch, today)

    real_build = builders.build
    monkeypatch.setattr(builders, "build", build)
    queued = _queue_everything()
    assert queued > 50
    # A worker told to stop (SIGTERM) stops after the batch in hand; the outbox keeps the rest.
    assert indexer.sync(wait=True, processes=2, stopping=lambda: True) == 37
    assert indexer.pending() == queued - 37
    builders_log.unlink()
    result = seeded.test_cli_runner().invoke(args=["portal", "sync-index"])
    assert result.exit_code == 0, result.output
    assert f"applied={queued - 37}" in result.output

    assert indexer.pending() == 0
    workers = set(builders_log.read_text().split())
    assert len(workers) == 2 and str(os.getpid()) not in workers, "built in two worker processes"
    indexer.forget_status()
    assert indexer.status().problem is None
    assert _answers(client, subjects, doc_nos) == rebuilt
    for kind, model in presentations.MODELS.items():
        public = db.session.scalars(select(model.id).where(public_filter(model, today))).all()
        assert set(presentations.views({kind: public}, today)) == {(kind, i) for i in public}
