"""Stored presentations (portal.search.presentations): the masked views the indexer keeps are served
only while they are exactly what the presenters would show today, and never for a record the public
may no longer see; estimated and bounded counts say so, in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from portal import clock, presenters
from portal.extensions import db
from portal.models import License, Penalty, Project, PublicationState, RecordPresentation, SearchOutbox, Subject
from portal.search import indexer, presentations
from portal.services.public_search import search as public_search
from portal.services.publication import records
from portal.visibility import public_filter
from tests.exchange_files import penalty_row, write_csv

pytestmark = pytest.mark.usefixtures("search_ctx")

FACTS = "当事人生产销售不合格电线电缆产品"


@pytest.fixture
def search_ctx(search_app):
    with search_app.app_context():
        yield search_app


def import_penalties(app, tmp_path, rows):
    result = app.test_cli_runner().invoke(
        args=["portal", "import", "penalty", str(write_csv(tmp_path / "p.csv", "penalty", rows))]
    )
    assert result.exit_code == 0, result.output
    assert indexer.sync(wait=True) >= 0


def penalty_ids(*doc_nos: str) -> list[int]:
    found = dict(db.session.execute(select(Penalty.doc_no, Penalty.id).where(Penalty.doc_no.in_(doc_nos))).all())
    return [found[d] for d in doc_nos]


def api_doc_nos(client, q: str) -> list[str]:
    answer = client.get("/api/v1/search", query_string={"q": q, "type": "penalty"})
    assert answer.status_code == 200
    return [r["doc_no"] for r in answer.get_json()["records"]]


def test_stored_views_are_what_the_presenters_show(search_ctx):
    runner = search_ctx.test_cli_runner()
    assert runner.invoke(args=["portal", "seed", "--subjects", "120", "--seed", "5"]).exit_code == 0
    assert runner.invoke(args=["portal", "reindex"]).exit_code == 0
    today = clock.today()
    for kind, model in presentations.MODELS.items():
        public = db.session.scalars(select(model).where(public_filter(model, today))).all()
        assert public
        stored = presentations.views({kind: [r.id for r in public]}, today)
        assert set(stored) == {(kind, r.id) for r in public}, "every public record is served from storage"
        for view in presenters.record_views(public, today):
            assert stored[(kind, view["id"])] == view
    stored_rows = db.session.scalar(select(func.count()).select_from(RecordPresentation))
    assert stored_rows == db.session.scalar(
        select(func.count()).select_from(Penalty).where(public_filter(Penalty, today))
    ) + db.session.scalar(select(func.count()).select_from(License).where(public_filter(License, today)))


def test_records_hidden_after_indexing_are_never_served(search_ctx, tmp_path):
    rows = [penalty_row(**{"行政处罚决定书文号": f"罚{i}", "违法事实": FACTS}) for i in range(4)]
    import_penalties(search_ctx, tmp_path, rows)
    client = search_ctx.test_client()
    today = clock.today()
    ids = penalty_ids("罚0", "罚1", "罚2", "罚3")
    assert set(presentations.views({"penalty": ids}, today)) == {("penalty", i) for i in ids}, "served from storage"
    assert sorted(api_doc_nos(client, "电线电缆")) == ["罚0", "罚1", "罚2", "罚3"]
    # Hidden without outbox rows: the index and the stored views still hold all four.
    db.session.execute(update(Penalty).where(Penalty.id == ids[0]).values(state=PublicationState.REPAIRED))
    db.session.execute(update(Penalty).where(Penalty.id == ids[1]).values(display_until=today - dt.timedelta(days=1)))
    db.session.execute(update(Penalty).where(Penalty.id == ids[2]).values(state=PublicationState.WITHDRAWN))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(RecordPresentation)) == 4
    # Their stored views are never served; 罚3's is not either now: its subject's hidden 文书号 changed.
    assert presentations.views({"penalty": ids}, today) == {}
    assert api_doc_nos(client, "电线电缆") == ["罚3"]
    assert [r["doc_no"] for r in public_search.search("电线电缆", "penalty").records] == ["罚3"]
    html = client.get("/search", query_string={"q": "电线电缆"}).get_data(as_text=True)
    assert "罚3" in html and "罚0" not in html and "罚1" not in html and "罚2" not in html
    assert indexer.sync(wait=True) >= 0  # an expiry is queued for the outbox on the day after
    listing = client.get("/penalties").get_data(as_text=True)
    assert "罚3" in listing and "罚0" not in listing and "罚2" not in listing


def test_a_hidden_citation_is_masked_in_a_stored_view(search_ctx, tmp_path):
    rows = [
        penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕7号", "违法事实": FACTS}),
        penalty_row(
            **{
                "行政处罚决定书文号": "甬市监罚〔2026〕8号",
                "违法事实": f"{FACTS}，曾因同类行为被甬市监罚〔2026〕7号处罚",
            }
        ),
    ]
    import_penalties(search_ctx, tmp_path, rows)
    client = search_ctx.test_client()
    cited, citing = penalty_ids("甬市监罚〔2026〕7号", "甬市监罚〔2026〕8号")
    assert set(presentations.views({"penalty": [citing]}, clock.today())) == {("penalty", citing)}
    db.session.execute(update(Penalty).where(Penalty.id == cited).values(state=PublicationState.REPAIRED))
    db.session.commit()
    (shown,) = client.get("/api/v1/search", query_string={"q": "同类行为", "type": "penalty"}).get_json()["records"]
    assert shown["doc_no"] == "甬市监罚〔2026〕8号"
    assert "7号" not in shown["facts"] and presenters.HIDDEN_REFERENCE in shown["facts"]


def test_a_renamed_subject_is_shown_by_its_new_name(search_ctx, tmp_path):
    import_penalties(search_ctx, tmp_path, [penalty_row(**{"违法事实": FACTS})])
    client = search_ctx.test_client()
    db.session.execute(update(Subject).values(name="宁波市鄞州区恒达新材料有限公司"))  # no outbox row
    db.session.commit()
    (shown,) = client.get("/api/v1/search", query_string={"q": "电线电缆", "type": "penalty"}).get_json()["records"]
    assert shown["subject"]["name"] == "宁波市鄞州区恒达新材料有限公司"


def test_estimated_and_bounded_counts_say_so_in_chinese(search_ctx, tmp_path, monkeypatch):
    rows = [penalty_row(**{"行政处罚决定书文号": f"罚{i}", "违法事实": FACTS}) for i in range(25)]
    import_penalties(search_ctx, tmp_path, rows)
    client = search_ctx.test_client()
    monkeypatch.setattr(public_search, "VERIFY_STEP", 1)  # only the first page's candidates are checked
    answer = client.get("/api/v1/search", query_string={"q": "电线电缆", "type": "penalty"}).get_json()
    assert answer["record_total"] == 25 and answer["record_total_estimated"]
    html = client.get("/search", query_string={"q": "电线电缆", "type": "penalty"}).get_data(as_text=True)
    assert "公示记录（约25条）" in html
    monkeypatch.setattr(records, "FILTERED_COUNT_CAP", 10)
    listing = client.get("/penalties", query_string={"category": "罚款"}).get_data(as_text=True)
    assert "共 10+ 条（结果较多，请用筛选条件缩小范围）" in listing


def test_a_view_naming_a_project_is_not_served_once_the_project_changed(search_ctx, tmp_path):
    import_penalties(search_ctx, tmp_path, [penalty_row(**{"行政处罚决定书文号": "罚项目1", "违法事实": FACTS})])
    (penalty_id,) = penalty_ids("罚项目1")
    penalty = db.session.get(Penalty, penalty_id)
    project = Project(
        code="XM2026000001",
        subject_id=penalty.subject_id,
        name="东湖住宅小区工程",
        kind="工程项目",
        industry="建筑施工",
        district="330212",
        start_on=dt.date(2026, 1, 1),
        state=PublicationState.PUBLISHED,
    )
    db.session.add(project)
    db.session.flush()
    penalty.project_id = project.id
    db.session.add(SearchOutbox(entity_type="penalty", entity_id=penalty_id))
    db.session.commit()
    assert indexer.sync(wait=True) >= 1
    today = clock.today()
    assert (
        presentations.views({"penalty": [penalty_id]}, today)[("penalty", penalty_id)]["project"]["code"]
        == project.code
    )

    project.state = PublicationState.WITHDRAWN  # withdrawn: the record no longer shows it
    db.session.commit()
    assert presentations.views({"penalty": [penalty_id]}, today) == {}
    assert presentations.present("penalty", [penalty_id], today)[penalty_id]["project"] is None
    assert "东湖住宅小区工程" not in search_ctx.test_client().get("/penalties").get_data(as_text=True)
