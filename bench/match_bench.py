"""Latency of the match API: batches of 100 queries (name variants of seeded companies) answered
by POST /api/v1/match over a demo database and its search index.

    python bench/match_bench.py [--subjects 3000] [--batches 5]

The database (bench/out/match_bench_N.db, reused) is made by `seed_database` with N subjects
(about 3 records each); the SQLite FTS5 index is built once. Each batch is timed over the whole
request in process (parse, candidates from the index, scoring, JSON); top-1 accuracy on the same
queries is printed beside the times.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", secrets.token_hex(16))

VARIANTS = (
    lambda n: (
        n.replace("有限公司", "有限责任公司") if "有限责任公司" not in n else n.replace("有限责任公司", "有限公司")
    ),
    lambda n: "浙江省" + n,
    lambda n: n.replace("宁波市", "").replace("宁波", "") or n,
    lambda n: n.replace("(", "（").replace(")", "）") + " ",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=3000)
    parser.add_argument("--batches", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / f"match_bench_{args.subjects}.db"
    fresh = not db_path.exists()

    from sqlalchemy import select

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
        if fresh:
            from portal.services.core.setup import init_db

            init_db()
            started = time.perf_counter()
            result = app.test_cli_runner().invoke(
                args=["portal", "seed", "--subjects", str(args.subjects), "--seed", "3"]
            )
            assert result.exit_code == 0, result.output
            indexer.sync(wait=True)
            print(f"seeded {args.subjects} subjects and indexed in {time.perf_counter() - started:.0f} s", flush=True)
        rows = db.session.execute(
            select(Subject.name, Subject.uscc).where(
                Subject.kind == SubjectKind.ORGANISATION, Subject.uscc.is_not(None)
            )
        ).all()
    rng = random.Random(5)
    client = app.test_client()
    times, right, total = [], 0, 0
    client.post("/api/v1/match", json={"queries": [{"name": rows[0].name}]})  # warm-up, not timed
    for _ in range(args.batches):
        batch = rng.sample(rows, 100)
        queries = [{"name": rng.choice(VARIANTS)(r.name)} for r in batch]
        started = time.perf_counter()
        response = client.post("/api/v1/match", json={"queries": queries})
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.get_data(as_text=True)
        for row, result in zip(batch, response.get_json()["results"], strict=True):
            total += 1
            right += bool(result["candidates"]) and result["candidates"][0]["uscc"] == row.uscc
    figures = {
        "subjects": args.subjects,
        "organisations": len(rows),
        "batches_of_100": args.batches,
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "top1_accuracy": round(right / total, 3),
    }
    print(json.dumps(figures), flush=True)
    (OUT / f"match_bench_{args.subjects}.json").write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
