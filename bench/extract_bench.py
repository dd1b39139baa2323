"""Peak memory of a bulk extract: streamed (the portal) against building the file in memory.

    python bench/extract_bench.py --records 1000000 [--sizes 10000,100000] [--naive-max 100000]

Writes N public penalties (1,000 subjects) into bench/out/extract_bench_N.db once (reused), then
runs each extract in a child process of its own, so that its peak RSS (ru_maxrss) is its own:
- `portal extract penalties --format csv` (keyset batches, one row at a time to the file);
- the naive peer: every presented row collected into a list, then written.
Each at the first K rows (a date filter picks them) for K in --sizes, and at all N rows. The portal's
peak should stay flat as K grows; the naive one grows with K (run only up to --naive-max rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", secrets.token_hex(16))


def _app(db_path: Path):
    from portal import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "PORTAL_SEARCH_AUTOSYNC": False})


def build(db_path: Path, records: int, seed: int = 7) -> None:
    """N published penalties, newest decided today, each day ~N/700 of them (display windows open)."""
    from sqlalchemy import insert

    from portal import clock
    from portal.extensions import db
    from portal.models import Penalty, Subject
    from portal.rules.text import normalise_name
    from portal.services.core.setup import init_db

    app = _app(db_path)
    rng = random.Random(seed)
    today = clock.today()
    with app.app_context():
        init_db()
        now = clock.now()
        subjects = [
            {
                "name": (name := f"宁波{rng.choice(DISTRICTS)}区示范{i}贸易有限公司"),
                "name_norm": normalise_name(name),
                "kind": "法人及非法人组织",
                "uscc": f"91330200{i:09d}X",
                "subject_key": f"USCC:91330200{i:09d}X",
                "public_id": secrets.token_urlsafe(12),
                "region_code": "330212",
                "created_at": now,
                "updated_at": now,
            }
            for i in range(1000)
        ]
        db.session.execute(insert(Subject), subjects)
        ids = list(range(1, 1001))
        batch = []
        for i in range(records):
            decided = today - dt.timedelta(days=rng.randrange(700))
            batch.append(
                {
                    "subject_id": rng.choice(ids),
                    "subject_name": "示范贸易有限公司",
                    "decided_on": decided,
                    "authority": "宁波市市场监督管理局",
                    "authority_uscc": "11330200MB0000000X",
                    "source_unit": "宁波市市场监督管理局",
                    "source_unit_uscc": "11330200MB0000000X",
                    "doc_no": f"甬市监罚〔{decided.year}〕{i}号",
                    "violation_type": "未按规定明码标价",
                    "facts": f"当事人在经营场所销售商品未按规定明码标价，涉及商品{i % 97 + 1}种，违法所得{i % 500}元。",
                    "basis": "《中华人民共和国价格法》第四十二条",
                    "categories": "警告;罚款",
                    "content": f"警告，并处罚款{(i % 50 + 1) * 100}元",
                    "fine_wan": (i % 50 + 1) / 100,
                    "severity": "一般",
                    "repair_from": decided + dt.timedelta(days=92),
                    "display_until": decided + dt.timedelta(days=800),
                    "state": "published",
                    "published_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if len(batch) == 20000:
                db.session.execute(insert(Penalty), batch)
                batch = []
        if batch:
            db.session.execute(insert(Penalty), batch)
        db.session.commit()


def child(db_path: Path, mode: str, date_from: str | None, out: Path) -> None:
    """Run in a child process: one extract, written to `out`."""
    from portal.services.opendata import columns, extracts

    app = _app(db_path)
    q = columns.Query(date_from=dt.date.fromisoformat(date_from)) if date_from else columns.ANY
    with app.app_context():
        if mode == "streamed":
            with out.open("w", encoding="utf-8", newline="") as f:
                for line in extracts.csv_lines("penalties", q):
                    f.write(line)
        else:  # the naive peer: everything in memory first
            lines = list(extracts.csv_lines("penalties", q))
            out.write_text("".join(lines), encoding="utf-8")


def date_for(db_path: Path, rows: int) -> str:
    """The earliest decision date whose newer rows number about `rows`."""
    import sqlite3

    con = sqlite3.connect(db_path)
    day = con.execute(
        "SELECT decided_on FROM penalties ORDER BY decided_on DESC, id DESC LIMIT 1 OFFSET ?", (rows - 1,)
    ).fetchone()[0]
    con.close()
    return day


def measure(db_path: Path, mode: str, date_from: str | None) -> dict:
    out = OUT / f"extract_{mode}.csv"
    args = [sys.executable, __file__, "--child", mode, "--db", str(db_path)]
    started = time.perf_counter()
    # A fresh process per run: ru_maxrss of RUSAGE_CHILDREN is the peak of the largest child so far,
    # so each run goes through its own intermediate process that reports its own peak.
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args + (["--date-from", date_from] if date_from else []))],
        check=True,
        capture_output=True,
        text=True,
    )
    rows = sum(1 for _ in out.open(encoding="utf-8")) - 1
    return {
        "mode": mode,
        "rows": rows,
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": round(int(probe.stdout.strip()) / 1024, 1),
        "bytes": out.stat().st_size,
    }


DISTRICTS = ("海曙", "江北", "北仑", "镇海", "鄞州", "奉化")
PROBE = """
import json, resource, subprocess, sys
subprocess.run(json.loads(sys.argv[1]), check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--naive-max", type=int, default=100_000)
    parser.add_argument("--child")
    parser.add_argument("--db")
    parser.add_argument("--date-from")
    args = parser.parse_args()
    if args.child:
        child(Path(args.db), args.child, args.date_from, OUT / f"extract_{args.child}.csv")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / f"extract_bench_{args.records}.db"
    if not db_path.exists():
        started = time.perf_counter()
        build(db_path, args.records)
        print(f"built {args.records} penalties in {time.perf_counter() - started:.0f} s", flush=True)
    sizes = [int(s) for s in args.sizes.split(",") if s] + [args.records]
    results = []
    for size in sizes:
        date_from = date_for(db_path, size) if size < args.records else None
        for mode in ("streamed", "naive"):
            if mode == "naive" and size > args.naive_max:
                continue
            result = {"requested": size, **measure(db_path, mode, date_from)}
            print(json.dumps(result), flush=True)
            results.append(result)
    (OUT / f"extract_bench_{args.records}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
