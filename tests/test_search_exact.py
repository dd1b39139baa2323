"""No engine returns a record or subject that does not contain the query, on every backend."""

from __future__ import annotations

import random

import pytest

from portal import clock
from portal.search import backend, indexer
from portal.search.backend import SUBJECT
from portal.search.documents import all_docs
from portal.search.query import parse, text_segments
from portal.services.public_search.search import search
from tests.exchange_files import YINZHOU_USCC, penalty_row
from tests.test_search import import_rows

pytestmark = pytest.mark.usefixtures("search_ctx")


@pytest.fixture
def search_ctx(search_app):
    with search_app.app_context():
        yield search_app


def test_words_never_match_across_other_words(search_ctx, tmp_path):
    rows = [
        penalty_row(
            **{
                "行政处罚决定书文号": "罚1",
                "行政相对人名称": "宁波恒达贸易有限公司宁海分公司",
                "统一社会信用代码": YINZHOU_USCC,
                "违法事实": "当事人检查 查封期间擅自启用被查封的设备",
            }
        )
    ]
    import_rows(search_ctx, tmp_path, rows)
    for absent in ("公司宁波", "检查封", "分公司当事"):
        assert search(absent, "all").records == [], absent
        assert search(absent, "subject").subjects == [], absent
    for present in ("公司宁海", "司宁海分", "查封期间"):
        assert [r["doc_no"] for r in search(present, "penalty").records] == ["罚1"], present
    assert [s["name"] for s in search("公司宁海", "subject").subjects] == ["宁波恒达贸易有限公司宁海分公司"]


def _words(texts: list[str], rng: random.Random, n: int) -> list[str]:
    words = []
    while len(words) < n:
        segments = [s for s in text_segments(rng.choice(texts)) if len(s) >= 2]
        if segments:
            segment = rng.choice(segments)
            k = rng.randint(2, min(4, len(segment)))
            start = rng.randrange(len(segment) - k + 1)
            words.append(segment[start : start + k])
    return words


def test_full_text_and_names_agree_with_a_substring_scan(search_ctx):
    result = search_ctx.test_cli_runner().invoke(args=["portal", "seed", "--subjects", "150", "--seed", "3"])
    assert result.exit_code == 0, result.output
    indexer.sync(wait=True)
    docs = list(all_docs(clock.today()))
    records = {(d.type, d.entity_id): d.text for d in docs if d.type != SUBJECT}
    names = {d.entity_id: d.name for d in docs if d.type == SUBJECT}
    rng = random.Random(12)
    texts = list(records.values())
    words = _words(texts, rng, 40)
    # Halves of two real words glued together: their bigrams exist, the word mostly does not.
    words += [a[:2] + b[-2:] for a, b in zip(words[:20], reversed(words[:20]), strict=True)]
    words += [n[-2:] + m[:2] for n, m in zip(list(names.values())[:15], list(names.values())[15:30], strict=True)]
    for word in words:
        query = parse(word)
        found = {(h.type, h.entity_id) for h in backend().records(query, ("license", "penalty"), cap=100_000)}
        expected = {key for key, text in records.items() if all(w in text for w in query.text_segments)}
        assert found == expected, word
        subjects = backend().subjects(query, 10_000)
        assert set(subjects) == {i for i, name in names.items() if query.name in name}, word


def _seeded_postgres(app, seed: int):
    """The PostgreSQL backend over a seeded, indexed and analysed portal (skips other backends)."""
    from sqlalchemy import text

    from portal.extensions import db
    from portal.search import pg_backend

    engine = backend()
    if not isinstance(engine, pg_backend.PostgresBackend):
        pytest.skip("the PostgreSQL backend's plans")
    result = app.test_cli_runner().invoke(args=["portal", "seed", "--subjects", "150", "--seed", str(seed)])
    assert result.exit_code == 0, result.output
    indexer.sync(wait=True)
    db.session.execute(text("ANALYZE search_documents"))
    db.session.commit()
    return engine


def test_postgres_newest_matches_whichever_plan_answers(search_ctx, monkeypatch):
    """The PostgreSQL backend answers a word by reading the newest records, by a GIN lookup within
    a window of recent dates, or by one over all records (at once for a word none of the newest
    records holds): each gives the newest `cap` matches."""
    from portal.extensions import db
    from portal.search import pg_backend

    engine = _seeded_postgres(search_ctx, 4)
    monkeypatch.setattr(pg_backend, "PROBE", 40)
    monkeypatch.setattr(pg_backend, "FIRST_PROBE", 10)
    monkeypatch.setattr(pg_backend, "ORDERED_SHARE", 0.5)
    windows: list = []
    decided_since = engine._decided_since
    monkeypatch.setattr(engine, "_decided_since", lambda depth: windows.append(decided_since(depth)) or windows[-1])
    docs = [d for d in all_docs(clock.today()) if d.type != SUBJECT]
    rng = random.Random(8)
    words = _words([d.text for d in docs], rng, 60) + ["宁波", "有限公司", "罚款"]
    cap = 12
    for word in words:
        segments = parse(word).text_segments
        matches = sorted(
            ((d.decided_on, d.entity_id, d.type) for d in docs if all(s in d.text for s in segments)), reverse=True
        )
        found = [(h.type, h.entity_id) for h in engine.records(parse(word), ("license", "penalty"), cap=cap)]
        db.session.rollback()
        assert len(found) == min(cap, len(matches)), word
        keys = {(t, i): (day, i) for day, i, t in matches}
        assert all(hit in keys for hit in found), word
        assert [keys[h] for h in found] == sorted((keys[h] for h in found), reverse=True), word
        if len(matches) > cap:  # nothing newer than the last one shown is left out
            last = keys[found[-1]]
            assert {(t, i) for day, i, t in matches if (day, i) > last} <= set(found), word
    assert any(w is not None for w in windows), "a window of recent dates was tried"
    assert any(w is None for w in windows) or len(words) < 20


def test_postgres_page_stops_early_when_far_more_match(search_ctx, monkeypatch):
    """A page needs only its newest matches: when the probe's share predicts far more than the cap,
    the PostgreSQL backend collects just those and the page says 约1000+; the records on each page
    are the ones a full collection shows."""
    from portal.extensions import db
    from portal.search import pg_backend
    from portal.search.backend import RECORD_CAP, RECORD_TYPES, Truncated

    engine = _seeded_postgres(search_ctx, 5)
    client = search_ctx.test_client()
    docs = [d for d in all_docs(clock.today()) if d.type != SUBJECT]
    words = ["罚款", "有限公司", "宁波", "许可", "公司"] + _words([d.text for d in docs], random.Random(9), 15)
    pages = [(w, n) for w in words for n in (1, 2, 3)]

    def answer(word: str, n: int) -> dict:
        response = client.get("/api/v1/search", query_string={"type": "all", "q": word, "page": n})
        assert response.status_code == 200, word
        return response.get_json()

    full = {key: answer(*key) for key in pages}
    assert not any(a["record_total_capped"] for a in full.values()), "the seeded portal has fewer than the cap"
    truncated = set()
    for probe in (pg_backend.PROBE, 40):  # the probe holds the page, or a further read must
        monkeypatch.setattr(pg_backend, "PROBE", probe)
        monkeypatch.setattr(pg_backend, "FIRST_PROBE", min(probe, pg_backend.FIRST_PROBE))
        monkeypatch.setattr(pg_backend, "PLENTY", 0)  # every word's share now predicts far more
        for word, n in pages:
            early = answer(word, n)
            assert early["records"] == full[(word, n)]["records"], (word, n)
            enough = n * 20 + 100
            if isinstance(engine.records(parse(word), RECORD_TYPES, RECORD_CAP, enough=enough), Truncated):
                truncated.add(word)
                assert (early["record_total"], early["record_total_capped"]) == (RECORD_CAP, True), word
                assert early["record_total_estimated"], word
                page = client.get("/search", query_string={"q": word, "type": "all", "page": n}).get_data(as_text=True)
                assert f"公示记录（约{RECORD_CAP}+条，结果较多，请缩小查询范围）" in page, word
            else:
                assert early["record_total"] == full[(word, n)]["record_total"], word
            db.session.rollback()
    assert truncated, "some word had more matches than a page needs"
