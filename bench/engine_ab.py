"""The portal's search engines in-process on the 1M bench data, to compare two versions of the code.

    python bench/engine_ab.py queries out.json          # draw the queries once, from the data
    python bench/engine_ab.py run out.json sqlite       # time them with the code of this checkout

Run `run` from a worktree of the base commit and from the changed checkout, alternating, in the
same minutes: figures from different runs of the full bench are not comparable when the machine's
speed changes. Each query: `subjects()` + `records(cap 1000)`, as search_bench's "direct" system
(a USCC or its beginning through the code search). Prints p50 and p95 in ms per class as JSON.
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_data as data

RECORDS, SEED = 1_000_000, 7
COMMON = ["公司", "宁波", "有限", "违法", "经查", "罚款", "当事人", "建设", "责令", "工程"]


def draw(path: str) -> None:
    data.use(RECORDS)
    con = sqlite3.connect(f"file:{data.DB_PATH}?mode=ro", uri=True)
    rng = random.Random(5)
    organisations = "FROM subjects WHERE kind != 'person'"
    names = [r[0] for r in con.execute(f"SELECT name_norm {organisations} ORDER BY random() LIMIT 400")]
    codes = [r[0] for r in con.execute(f"SELECT uscc {organisations} AND uscc IS NOT NULL ORDER BY random() LIMIT 100")]
    doc_nos = [r[0] for r in con.execute("SELECT doc_no FROM penalties ORDER BY random() LIMIT 100")]

    def parts(k: int) -> list[str]:
        long = [n for n in names if len(n) > k][:100]
        return [n[i : i + k] for n in long for i in [rng.randrange(len(n) - k + 1)]]

    chars = "".join(names)
    rare: list[str] = []
    while len(rare) < 100:  # absent from the sampled names: rare or absent in the data
        word = "".join(rng.choice(chars) for _ in range(3))
        if not any(word in n for n in names):
            rare.append(word)
    classes = {
        "name 2-char": parts(2),
        "name 4-char": parts(4),
        "USCC": codes,
        "文书号": doc_nos,
        "no-hit": rare,
        "common words": COMMON * 5,
    }
    Path(path).write_text(json.dumps(classes, ensure_ascii=False))


def run(path: str, backend: str) -> None:
    from portal.extensions import db
    from portal.search import backend as search_backend
    from portal.search.backend import RECORD_CAP, RECORD_TYPES
    from portal.search.code_search import CodeSearch, code_prefix
    from portal.search.query import parse

    data.use(RECORDS)
    classes = json.loads(Path(path).read_text())
    with data.app_for(backend, RECORDS, SEED).app_context():
        engine = search_backend()

        def once(q: str) -> None:
            query = parse(q)
            prefix = code_prefix(query)
            chosen = CodeSearch(prefix) if prefix else engine
            try:
                chosen.subjects(query, 50)
                chosen.records(query, RECORD_TYPES, RECORD_CAP)
            finally:
                db.session.rollback()

        for queries in classes.values():  # warm-up, untimed
            for q in queries[:5]:
                once(q)
        result = {}
        for label, queries in classes.items():
            times = []
            for q in queries:
                started = time.perf_counter()
                once(q)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            result[label] = {
                "p50": round(statistics.median(times), 2),
                "p95": round(times[int(len(times) * 0.95) - 1], 2),
            }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    if sys.argv[1:2] == ["queries"]:
        draw(sys.argv[2])
    elif sys.argv[1:2] == ["run"]:
        run(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
