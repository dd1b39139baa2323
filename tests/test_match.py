"""Match API over a seeded demo database: top-1 accuracy on the labelled name variants in
tests/data/match_variants.csv, exact codes, query order and limits."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Subject
from portal.search import indexer
from tests.conftest import _fresh_app

VARIANTS = Path(__file__).parent / "data" / "match_variants.csv"
ACCURACY_FLOOR = 0.95  # measured: see the closing note of issue 15


@pytest.fixture(scope="module")
def seeded(migrated, tmp_path_factory):
    for app in _fresh_app(migrated, tmp_path_factory.mktemp("match")):
        result = app.test_cli_runner().invoke(args=["portal", "seed", "--subjects", "300", "--seed", "15"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            indexer.sync(wait=True)
        yield app


def _match(client, queries: list[dict]) -> list[list[dict]]:
    response = client.post("/api/v1/match", json={"queries": queries})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [r["candidates"] for r in response.get_json()["results"]]


def test_top1_accuracy_on_the_labelled_variants(seeded):
    rows = list(csv.DictReader(VARIANTS.open(encoding="utf-8")))
    assert len(rows) >= 200
    client = seeded.test_client()
    with seeded.app_context():
        known = set(db.session.scalars(select(Subject.uscc)))
    assert {r["expected_uscc"] for r in rows} <= known  # the seed still makes these companies
    right, by_kind, wrong = 0, Counter(), []
    for start in range(0, len(rows), 100):
        batch = rows[start : start + 100]
        queries = [{"name": r["query"], **({"district": r["district"]} if r["district"] else {})} for r in batch]
        for row, candidates in zip(batch, _match(client, queries), strict=True):
            top = candidates[0]["uscc"] if candidates else None
            if top == row["expected_uscc"]:
                right += 1
                by_kind[row["variant"]] += 1
            else:
                wrong.append((row["query"], [c["name"] for c in candidates[:2]]))
    accuracy = right / len(rows)
    print(f"match top-1 accuracy {accuracy:.3f} on {len(rows)} variants; by kind {dict(by_kind)}; misses {wrong}")
    assert accuracy >= ACCURACY_FLOOR, wrong


def test_an_exact_code_scores_one_and_explains_it(seeded):
    client = seeded.test_client()
    with seeded.app_context():
        subject = db.session.scalar(select(Subject).where(Subject.uscc.is_not(None)).order_by(Subject.id))
    [candidates] = _match(client, [{"name": "名称写错了", "uscc": subject.uscc.lower()}])
    assert candidates[0]["uscc"] == subject.uscc and candidates[0]["score"] == 1.0
    assert candidates[0]["features"]["exact_code"] is True
    conflicting = _match(client, [{"name": subject.name, "uscc": "91330200MA2CK5QX4P"}])[0]
    assert conflicting[0]["features"]["code_conflict"] is True and conflicting[0]["score"] < 0.6


def test_answers_in_query_order_and_refuses_more_than_100(seeded):
    client = seeded.test_client()
    with seeded.app_context():
        names = list(db.session.scalars(select(Subject.name).where(Subject.uscc.is_not(None)).limit(3)))
    results = _match(client, [{"name": n} for n in names])
    assert [r[0]["name"] for r in results] == names
    assert all(r[0]["score"] >= r[-1]["score"] for r in results)
    too_many = client.post("/api/v1/match", json={"queries": [{"name": "宁波"}] * 101})
    assert too_many.status_code == 400 and too_many.get_json()["error"]["code"] == "invalid_parameter"
    assert client.post("/api/v1/match", json={"queries": [{"uscc": "x"}]}).status_code == 400  # name is required


def test_pinyin_initials_find_candidates_through_the_index(seeded):
    client = seeded.test_client()
    [candidates] = _match(client, [{"name": "YCQCFW"}])  # 宁波远创汽车服务股份有限公司
    assert candidates[0]["uscc"] == "913302120TL5N4MG6T"
    assert candidates[0]["features"]["initials_match"] is True
