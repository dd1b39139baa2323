"""Latency of the match API: batches of 100 queries answered by POST /api/v1/match over N subjects
and their search index, with top-1 accuracy.

    python bench/match_bench.py [--subjects 330000] [--batches 20] [--profile]

The issue's scale is 1M records, about 330,000 subjects (records:subjects = 3:1). Matching reads
subjects only, so the bench database (bench/out/match_bench_N.db, reused) holds the N subjects of
the demo generator (`Universe(N, 15)`), written by direct inserts, without records; the SQLite FTS5
index is built once with `indexer.rebuild`, as `portal reindex` does. The first 300 subjects of
`Universe(N, 15)` are the companies of the demo seed `--subjects 300 --seed 15`, so the labelled
variants of tests/data/match_variants.csv (written for that seed) are matched here among N subjects.

Two query sets, each timed per batch of 100 over the whole request in process (JSON parse,
candidates from the index, scoring, JSON): the labelled variants, and random variants of random
organisations (other legal form, a province in front, the city dropped, full-width brackets).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import os
import pstats
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
LABELLED = ROOT / "tests" / "data" / "match_variants.csv"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", secrets.token_hex(16))

SEED = 15  # the labelled variants were written for the demo seed 15
VARIANTS = (
    lambda n: (
        n.replace("有限公司", "有限责任公司") if "有限责任公司" not in n else n.replace("有限责任公司", "有限公司")
    ),
    lambda n: "浙江省" + n,
    lambda n: n.replace("宁波市", "").replace("宁波", "") or n,
    lambda n: n.replace("(", "（").replace(")", "）") + " ",
)


def insert_subjects(count: int) -> None:
    """The generator's subjects, persons left out (never candidates), one row per USCC."""
    from sqlalchemy import insert

    from portal.demo.generator import Universe
    from portal.extensions import db
    from portal.models import Subject, SubjectKind
    from portal.models.base import new_public_id, utcnow
    from portal.rules import uscc as uscc_rules
    from portal.rules.text import normalise_name

    seen: set[str] = set()
    rows = []
    now = utcnow()
    for s in Universe(count, SEED).subjects:
        if s.kind == SubjectKind.PERSON or s.uscc in seen:
            continue
        seen.add(s.uscc)
        rows.append(
            {
                "subject_key": f"USCC:{s.uscc}",
                "public_id": new_public_id(),
                "kind": s.kind,
                "name": s.name,
                "name_norm": normalise_name(s.name),
                "uscc": s.uscc,
                "region_code": uscc_rules.region_code(s.uscc),
                "legal_rep": s.legal_rep,
                "created_at": now,
                "updated_at": now,
            }
        )
        if len(rows) >= 20_000:
            db.session.execute(insert(Subject), rows)
            db.session.commit()
            rows = []
    if rows:
        db.session.execute(insert(Subject), rows)
    db.session.commit()


def timed_batches(client, batches: list[list[dict]], expected: list[list[str]], profile: bool) -> dict:
    times, right, total = [], 0, 0
    profiler = cProfile.Profile() if profile else None
    for queries, wanted in zip(batches, expected, strict=True):
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        response = client.post("/api/v1/match", json={"queries": queries})
        if profiler:
            profiler.disable()
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.get_data(as_text=True)
        for uscc, result in zip(wanted, response.get_json()["results"], strict=True):
            total += 1
            right += bool(result["candidates"]) and result["candidates"][0]["uscc"] == uscc
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    times.sort()
    return {
        "batches_of_100": len(times),
        "median_s": round(statistics.median(times), 3),
        "p95_s": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 3),
        "max_s": round(times[-1], 3),
        "queries": total,
        "top1_accuracy": round(right / total, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=330_000)
    parser.add_argument("--batches", type=int, default=20, help="batches of random variants")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the timed requests")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / f"match_bench_{args.subjects}.db"
    fresh = not db_path.exists()

    from sqlalchemy import func, select

    from portal import create_app
    from portal.extensions import db
    from portal.models import Subject, SubjectKind
    from portal.search import indexer

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
            "PORTAL_SEARCH_INDEX": str(OUT / f"match_index_{args.subjects}"),
            "PORTAL_SEARCH_AUTOSYNC": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        from portal.services.core.setup import init_db

        init_db()
        if fresh:
            started = time.perf_counter()
            insert_subjects(args.subjects)
            print(f"inserted subjects in {time.perf_counter() - started:.0f} s", flush=True)
        if indexer.status().problem:
            started = time.perf_counter()
            indexer.rebuild()
            print(f"indexed in {time.perf_counter() - started:.0f} s", flush=True)
        organisations = db.session.scalar(
            select(func.count()).select_from(Subject).where(Subject.kind != SubjectKind.PERSON)
        )
        rows = db.session.execute(
            select(Subject.name, Subject.uscc).where(
                Subject.kind == SubjectKind.ORGANISATION, Subject.uscc.is_not(None)
            )
        ).all()
        known = set(db.session.scalars(select(Subject.uscc)))
    labelled = list(csv.DictReader(LABELLED.open(encoding="utf-8")))
    assert {r["expected_uscc"] for r in labelled} <= known, "the generator no longer makes the labelled companies"
    label_batches = [
        [{"name": r["query"], **({"district": r["district"]} if r["district"] else {})} for r in labelled[i : i + 100]]
        for i in range(0, len(labelled), 100)
    ]
    label_expected = [[r["expected_uscc"] for r in labelled[i : i + 100]] for i in range(0, len(labelled), 100)]
    rng = random.Random(5)
    random_batches, random_expected = [], []
    for _ in range(args.batches):
        batch = rng.sample(rows, 100)
        random_batches.append([{"name": rng.choice(VARIANTS)(r.name)} for r in batch])
        random_expected.append([r.uscc for r in batch])
    client = app.test_client()
    client.post("/api/v1/match", json={"queries": [{"name": rows[0].name}]})  # warm-up, not timed
    figures = {
        "subjects": organisations,
        "labelled": timed_batches(client, label_batches, label_expected, False),
        "random_variants": timed_batches(client, random_batches, random_expected, args.profile),
        "load_average": os.getloadavg(),
    }
    print(json.dumps(figures), flush=True)
    (OUT / f"match_bench_{args.subjects}.json").write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
