"""Search latency and throughput: Whoosh behind gunicorn, compared with SQLite FTS5 and pg_trgm.

    python bench/search_bench.py [--records 1000000] [--queries 200] [--clients 8] [--seconds 20]
                                 [--skip-postgres] [--fresh]

One run, one data set (seed_database, --records double-publicity records, --subjects subjects):
  1. SQLite database bench/out/search_bench.db (reused when its size and seed match; --fresh rebuilds)
  2. Whoosh full reindex (indexer.rebuild) into bench/out/search_index: time and size
  3. /api/v1/search under `gunicorn -w 2`: p50/p95/p99 per query class, sequential, one connection
  4. throughput: --clients threads for --seconds over the name queries
  5. the same queries run directly on Whoosh, on SQLite FTS5 (trigram) and on PostgreSQL
     (PostgresBackend over a fresh schema of --postgres, dropped at the end)
  6. a Markdown table of it all, with the targets beside the figures

PostgreSQL: the migrations create pg_trgm in schema public (once per database); the bench works in a
schema of its own, dropped at the end. An older layout with pg_trgm in another schema is waited out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import os
import random
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Never let the bench write instance/secret_key: the app only needs some key.
os.environ.setdefault("SECRET_KEY", secrets.token_hex(16))

from sqlalchemy import create_engine, text  # noqa: E402

from portal import clock, create_app  # noqa: E402
from portal.config import normalise_database_url  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.rules.text import fold  # noqa: E402
from portal.search import backend as search_backend  # noqa: E402
from portal.search import indexer  # noqa: E402
from portal.search.backend import PENALTY, RECORD_CAP, SUBJECT  # noqa: E402
from portal.search.documents import all_docs  # noqa: E402
from portal.search.query import SearchQuery, parse, text_segments  # noqa: E402
from portal.services.search import SUBJECT_LIMIT  # noqa: E402

OUT = ROOT / "bench" / "out"
DB_PATH = OUT / "search_bench.db"
META_PATH = OUT / "search_bench.json"
INDEX_DIR = OUT / "search_index"
FTS_PATH = OUT / "search_bench_fts.db"
GUNICORN_LOG = OUT / "search_bench_gunicorn.log"

COMMON_NAMES = ("宁波", "有限公司", "科技有限", "建筑工程")
NAME_TARGET_MS, THROUGHPUT_TARGET, REINDEX_TARGET_S = 50.0, 100.0, 15 * 60
SERVER_START_TIMEOUT_S = 90
PG_TRGM_WAIT_S = 600
PG_STATEMENT_TIMEOUT_MS = 60_000


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


# -- figures -------------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(value: float) -> str:
    return "—" if math.isnan(value) else (f"{value:.1f}" if value < 100 else f"{value:.0f}")


@dataclass
class QueryClass:
    label: str
    type: str  # `type` of the API: subject or penalty
    queries: list[str]
    must_hit: bool  # every query of the class exists in the data: an empty answer is a miss
    is_name: bool  # held to the HTTP p95 target and used in the throughput mix


@dataclass
class Timing:
    """Latencies in ms of one engine on one class, with errors and empty answers."""

    times: list[float] = field(default_factory=list)
    errors: int = 0
    misses: int = 0

    def line(self) -> str:
        return (
            f"p50 {ms(pct(self.times, 50))} / p95 {ms(pct(self.times, 95))} / p99 {ms(pct(self.times, 99))} ms,"
            f" n={len(self.times)}, errors={self.errors}, empty={self.misses}"
        )


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# -- 1. data -------------------------------------------------------------------------------------


def sqlite_app():
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{DB_PATH}",
            "PORTAL_SEARCH_BACKEND": "whoosh",
            "PORTAL_SEARCH_INDEX": str(INDEX_DIR),
            "PORTAL_SEARCH_AUTOSYNC": False,
            "RATELIMIT_ENABLED": False,
        }
    )


def seed_into(app, records: int, subjects: int, seed: int) -> str:
    from portal.demo.seed import seed_database

    # seed_database makes int(subjects * per_subject) records: +0.5 keeps that exactly `records`.
    per_subject = (records + 0.5) / subjects
    with app.app_context():
        return seed_database(subjects, seed, per_subject, echo=lambda m: log(f"  {m}"))


def ensure_data(records: int, subjects: int, seed: int, fresh: bool) -> tuple[float | None, str]:
    """The SQLite data set; returns (build seconds or None when reused, the day it was built)."""
    wanted = {"records": records, "subjects": subjects, "seed": seed}
    if not fresh and DB_PATH.exists() and META_PATH.exists():
        meta = json.loads(META_PATH.read_text())
        if {k: meta.get(k) for k in wanted} == wanted:
            log(f"data: reusing {DB_PATH.name} built {meta['built']} ({meta['summary']})")
            with sqlite_app().app_context():  # bring an older data set's schema up to date
                from portal.services.setup import init_db

                init_db()
            return None, meta["built"]
    OUT.mkdir(parents=True, exist_ok=True)
    META_PATH.unlink(missing_ok=True)
    remove_sqlite(DB_PATH)
    log(f"data: building {DB_PATH.name}: {records:,} records, {subjects:,} subjects, seed {seed}")
    started = time.perf_counter()
    summary = seed_into(sqlite_app(), records, subjects, seed)
    elapsed = time.perf_counter() - started
    built = clock.today().isoformat()
    META_PATH.write_text(json.dumps({**wanted, "built": built, "summary": summary}, ensure_ascii=False))
    log(f"data: {summary}; built in {elapsed:.1f} s")
    return elapsed, built


def make_queries(n: int, seed: int) -> list[QueryClass]:
    """Query lists drawn from the SQLite data with a seeded RNG (the same lists for every engine)."""
    rng = random.Random(f"search-bench:{seed}")
    con = sqlite3.connect(f"file:{DB_PATH}?mode=ro", uri=True)
    try:
        names = [
            r[0] for r in con.execute("SELECT name_norm FROM subjects WHERE kind = '法人及非法人组织' ORDER BY id")
        ]
        codes = [
            r[0]
            for r in con.execute("SELECT uscc FROM subjects WHERE kind != '自然人' AND uscc IS NOT NULL ORDER BY id")
        ]
        penalty_ids = [r[0] for r in con.execute("SELECT id FROM penalties ORDER BY id")]

        def substrings(k: int) -> list[str]:
            pool = [name for name in names if len(name) >= k]
            out = []
            for _ in range(n):
                name = rng.choice(pool)
                start = rng.randrange(len(name) - k + 1)
                out.append(name[start : start + k])
            return out

        words = []
        for _ in range(n * 20):  # bounded: stops at n words
            if len(words) >= n:
                break
            (facts,) = con.execute("SELECT facts FROM penalties WHERE id = ?", (rng.choice(penalty_ids),)).fetchone()
            segments = [s for s in text_segments(fold(facts or "")) if len(s) >= 2]
            if segments:
                segment = rng.choice(segments)
                k = rng.randint(2, min(4, len(segment)))
                start = rng.randrange(len(segment) - k + 1)
                words.append(segment[start : start + k])
    finally:
        con.close()
    return [
        QueryClass("name 2-char", SUBJECT, substrings(2), True, True),
        QueryClass("name 3-char", SUBJECT, substrings(3), True, True),
        QueryClass("name 4-char", SUBJECT, substrings(4), True, True),
        QueryClass("common names", SUBJECT, [COMMON_NAMES[i % len(COMMON_NAMES)] for i in range(n)], True, True),
        QueryClass("USCC exact", SUBJECT, [rng.choice(codes) for _ in range(n)], True, False),
        QueryClass("full-text (penalty)", PENALTY, words, False, False),
    ]


# -- engines run directly ------------------------------------------------------------------------


def time_engine(
    label: str, classes: list[QueryClass], subjects_fn, records_fn, warmup: int = 10, on_error=None
) -> dict[str, Timing]:
    """Run every class's queries through subjects_fn(query) / records_fn(query): lists of hits."""
    for qc in classes:  # warm caches and lazy checks
        for q in qc.queries[:warmup]:
            try:
                (subjects_fn if qc.type == SUBJECT else records_fn)(parse(q))
            except Exception:  # timed below, and counted there
                if on_error:
                    on_error()
    results = {}
    for qc in classes:
        timing = Timing()
        run = subjects_fn if qc.type == SUBJECT else records_fn
        for q in qc.queries:
            query = parse(q)
            started = time.perf_counter()
            try:
                hits = run(query)
            except Exception as e:  # counted, and the first one shown
                if not timing.errors:
                    log(f"  {label} {qc.label} {q!r}: {type(e).__name__}: {e}")
                timing.errors += 1
                if on_error:
                    on_error()
                continue
            timing.times.append((time.perf_counter() - started) * 1000)
            timing.misses += not hits
        results[qc.label] = timing
        log(f"{label:13} {qc.label:20} {timing.line()}")
    return results


def whoosh_direct(classes: list[QueryClass]) -> dict[str, Timing]:
    app = sqlite_app()
    with app.app_context():
        engine = search_backend()
        return time_engine(
            "whoosh direct",
            classes,
            lambda q: engine.subjects(q, SUBJECT_LIMIT),
            lambda q: engine.records(q, (PENALTY,), RECORD_CAP),
        )


# -- 2. Whoosh reindex ---------------------------------------------------------------------------


def whoosh_reindex() -> tuple[float, int, float]:
    shutil.rmtree(INDEX_DIR, ignore_errors=True)
    app = sqlite_app()
    with app.app_context():
        started = time.perf_counter()
        count = indexer.rebuild()
        elapsed = time.perf_counter() - started
    size = dir_mb(INDEX_DIR)
    log(f"whoosh reindex: {count:,} documents in {elapsed:.1f} s ({count / elapsed:,.0f} docs/s), {size:.1f} MB")
    return elapsed, count, size


# -- 3./4. HTTP under gunicorn -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api_path(q: str, type_: str) -> str:
    return "/api/v1/search?" + urlencode({"q": q, "type": type_})


def http_get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes, str]:
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    return response.status, body, response.getheader("Connection", "")


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{DB_PATH}",
        "PORTAL_SEARCH_BACKEND": "whoosh",
        "PORTAL_SEARCH_INDEX": str(INDEX_DIR),
        "PORTAL_SEARCH_AUTOSYNC": "0",
        "PORTAL_SEARCH_RATE_LIMIT": "1000000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    logfile = open(GUNICORN_LOG, "wb")  # noqa: SIM115  (outlives this function: the server writes to it)
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"]
    # gunicorn >= 24 opens a control socket in ~/.gunicorn by default, shared by every instance: not ours to take.
    help_text = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--help"], capture_output=True, text=True, check=False
    ).stdout
    if "--no-control-socket" in help_text:
        command.insert(-1, "--no-control-socket")
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT)
    logfile.close()
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {GUNICORN_LOG}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            status, _, _ = http_get(conn, api_path("宁波", SUBJECT))
            conn.close()
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    stop_gunicorn(proc)
    raise RuntimeError(f"gunicorn did not answer within {SERVER_START_TIMEOUT_S} s; see {GUNICORN_LOG}")


def stop_gunicorn(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def http_latency(port: int, classes: list[QueryClass]) -> tuple[dict[str, Timing], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection_header = ""
    for qc in classes:  # warm-up: a few of each class, reaching both workers
        for q in qc.queries[:10]:
            try:
                _, _, connection_header = http_get(conn, api_path(q, qc.type))
            except (OSError, http.client.HTTPException):
                conn.close()  # reopened by the next request; errors are counted below
    results = {}
    for qc in classes:
        timing = Timing()
        for q in qc.queries:
            started = time.perf_counter()
            try:
                status, body, _ = http_get(conn, api_path(q, qc.type))
            except (OSError, http.client.HTTPException) as e:
                timing.errors += 1
                conn.close()
                log(f"  http {qc.label} {q!r}: {type(e).__name__}: {e}")
                continue
            timing.times.append((time.perf_counter() - started) * 1000)
            if status != 200:
                timing.errors += 1
                continue
            payload = json.loads(body)
            timing.misses += not (payload["subjects"] if qc.type == SUBJECT else payload["records"])
        results[qc.label] = timing
        log(f"{'whoosh http':13} {qc.label:20} {timing.line()}")
    conn.close()
    return results, connection_header


def throughput(port: int, mix: list[str], clients: int, seconds: float) -> tuple[float, int, int, list[float]]:
    """Searches/s of `clients` threads, each on its own connection, for `seconds`."""
    done, errors, latencies = [0] * clients, [0] * clients, [[] for _ in range(clients)]
    start_gate = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        k = i * 101
        start_gate.wait()
        while time.perf_counter() < deadline[0]:
            path = api_path(mix[k % len(mix)], SUBJECT)
            k += 1
            started = time.perf_counter()
            try:
                status, _, _ = http_get(conn, path)
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                continue
            if status == 200:
                done[i] += 1
                latencies[i].append((time.perf_counter() - started) * 1000)
            else:
                errors[i] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    started = time.perf_counter()
    deadline[0] = started + seconds
    start_gate.wait()
    for t in threads:
        t.join(timeout=seconds + 120)
    elapsed = time.perf_counter() - started
    return sum(done) / elapsed, sum(done), sum(errors), [x for lat in latencies for x in lat]


# -- 5a. SQLite FTS5 (trigram) -------------------------------------------------------------------


def fts5_short_like_ok() -> bool:
    """Does `col LIKE '%xy%'` on an FTS5 trigram table find 2 Chinese characters? (SQLite bug in some versions)"""
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
    con.execute("INSERT INTO t VALUES ('宁波恒达建筑')")
    found = con.execute("SELECT count(*) FROM t WHERE x LIKE '%恒达%'").fetchone()[0]
    con.close()
    return found == 1


def fts5_build() -> tuple[float, int, float]:
    """FTS5 tables over the same documents the portal indexes (documents.all_docs), in a separate file."""
    remove_sqlite(FTS_PATH)
    con = sqlite3.connect(FTS_PATH)
    con.executescript("""
        PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
        CREATE VIRTUAL TABLE subject_fts USING fts5(name, tokenize='trigram');
        CREATE VIRTUAL TABLE record_fts USING fts5(text, type UNINDEXED, entity_id UNINDEXED, decided UNINDEXED,
                                                   tokenize='trigram');
        CREATE TABLE codes(code TEXT NOT NULL, type TEXT NOT NULL, entity_id INTEGER NOT NULL);
    """)
    app = sqlite_app()
    count, subjects, records, codes = 0, [], [], []

    def flush() -> None:
        con.executemany("INSERT INTO subject_fts(rowid, name) VALUES (?, ?)", subjects)
        con.executemany("INSERT INTO record_fts(text, type, entity_id, decided) VALUES (?, ?, ?, ?)", records)
        con.executemany("INSERT INTO codes VALUES (?, ?, ?)", codes)
        subjects.clear(), records.clear(), codes.clear()

    started = time.perf_counter()
    with app.app_context():
        for doc in all_docs(clock.today()):  # records newest first, as the Whoosh index is built
            if doc.type == SUBJECT:
                subjects.append((doc.entity_id, doc.name))
            else:
                records.append((doc.text, doc.type, doc.entity_id, doc.decided_on.toordinal() if doc.decided_on else 0))
            if doc.code:
                codes.append((doc.code, doc.type, doc.entity_id))
            count += 1
            if count % 5000 == 0:
                flush()
    flush()
    con.execute("CREATE INDEX ix_codes ON codes(code)")
    con.execute("INSERT INTO subject_fts(subject_fts) VALUES ('optimize')")
    con.execute("INSERT INTO record_fts(record_fts) VALUES ('optimize')")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    elapsed = time.perf_counter() - started
    size = FTS_PATH.stat().st_size / 1e6
    log(f"fts5 build: {count:,} documents in {elapsed:.1f} s, {size:.1f} MB")
    return elapsed, count, size


def fts5_queries(classes: list[QueryClass], short_like_ok: bool) -> dict[str, Timing]:
    """Subjects: USCC through a B-tree, then one substring query (no exact/prefix ranking); records:
    exact 文书号, then every term, first RECORD_CAP rows (newest first) sorted by date, like Whoosh."""
    con = sqlite3.connect(f"file:{FTS_PATH}?mode=ro", uri=True)
    # 2-character terms have no trigram: LIKE. Where SQLite answers that LIKE wrongly, `+col` makes it a plain scan.
    like_col = "{}" if short_like_ok else "+{}"

    def condition(col: str, table: str, terms: list[str]) -> tuple[str, list]:
        long, short = [t for t in terms if len(t) >= 3], [t for t in terms if len(t) < 3]
        parts, params = [], []
        if long:
            parts.append(f"{table} MATCH ?")
            params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long))
        for t in short:  # word characters only: no LIKE escaping needed
            parts.append(f"{like_col.format(col)} LIKE ?")
            params.append(f"%{t}%")
        return " AND ".join(parts), params

    def subjects(q: SearchQuery) -> list[int]:
        found = []
        if q.code:
            found += [
                r[0] for r in con.execute("SELECT entity_id FROM codes WHERE code = ? AND type = ?", (q.code, SUBJECT))
            ]
        where, params = condition("name", "subject_fts", [q.name])
        for (rowid,) in con.execute(f"SELECT rowid FROM subject_fts WHERE {where} LIMIT ?", (*params, SUBJECT_LIMIT)):
            if rowid not in found:
                found.append(rowid)
        return found[:SUBJECT_LIMIT]

    def records(q: SearchQuery) -> list[tuple]:
        exact = [
            (t, i)
            for t, i in con.execute(
                "SELECT type, entity_id FROM codes WHERE code = ? AND type = ?", (q.doc_no, PENALTY)
            )
        ]
        terms = q.text_segments
        if not terms:
            return exact
        where, params = condition("text", "record_fts", terms)
        rows = con.execute(
            f"SELECT type, entity_id, decided FROM record_fts WHERE {where} AND type = ? LIMIT ?",
            (*params, PENALTY, RECORD_CAP),
        ).fetchall()
        rows.sort(key=lambda r: r[2], reverse=True)
        return exact + [(t, i) for t, i, _ in rows if (t, i) not in exact]

    try:
        results = time_engine("fts5", classes, subjects, records)
    finally:
        con.close()
    return results


# -- 5b. PostgreSQL (pg_trgm) ---------------------------------------------------------------------


def wait_for_pg_trgm(admin) -> None:
    """pg_trgm exists once per database. In public it serves every schema; in another schema it is another
    run's (the migrations put it in the first schema of the path) and our migration would skip creating it
    and then miss its operator classes: wait until that run has dropped its schema."""
    query = text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
    deadline = time.monotonic() + PG_TRGM_WAIT_S
    while True:
        with admin.connect() as conn:
            holder = conn.execute(query).scalar()
        if holder in (None, "public"):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"pg_trgm is still installed in schema {holder!r} (another run in progress?);"
                " run again later or use --skip-postgres"
            )
        log(f"postgres: pg_trgm is in schema {holder!r} (another run); waiting")
        time.sleep(10)


def postgres_run(pg_url: str, classes: list[QueryClass], records: int, subjects: int, seed: int) -> tuple[dict, dict]:
    """Seed a fresh schema, rebuild the PostgreSQL search documents, time PostgresBackend; drop the schema."""
    base = normalise_database_url(pg_url)
    schema = f"search_bench_{secrets.token_hex(4)}"
    admin = create_engine(base)
    wait_for_pg_trgm(admin)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    log(f"postgres: schema {schema}")

    def pg_app(options: str):
        # Like tests/conftest.py: our schema first, then public (where the migrations put pg_trgm).
        separator = "&" if "?" in base else "?"
        return create_app(
            {
                "SQLALCHEMY_DATABASE_URI": (
                    f"{base}{separator}options={quote(f'-csearch_path={schema},public{options}')}"
                ),
                "PORTAL_SEARCH_BACKEND": "postgres",
                "PORTAL_SEARCH_AUTOSYNC": False,
                "RATELIMIT_ENABLED": False,
            }
        )

    figures, apps = {}, []
    try:
        apps.append(pg_app(""))
        started = time.perf_counter()
        summary = seed_into(apps[-1], records, subjects, seed)
        figures["load_s"] = time.perf_counter() - started
        log(f"postgres: {summary}; loaded in {figures['load_s']:.1f} s")
        with apps[-1].app_context():
            started = time.perf_counter()
            figures["docs"] = indexer.rebuild()
            figures["index_s"] = time.perf_counter() - started
            db.session.execute(text("ANALYZE"))  # what autovacuum would do soon after a load
            db.session.commit()
            figures["size_mb"] = (
                db.session.execute(text("SELECT pg_total_relation_size('search_documents')")).scalar() / 1e6
            )
        log(
            f"postgres: {figures['docs']:,} search documents rebuilt in {figures['index_s']:.1f} s,"
            f" {figures['size_mb']:.1f} MB with indexes"
        )
        # Queries on connections with a statement timeout: one pathological plan must not stall the run.
        apps.append(pg_app(f" -cstatement_timeout={PG_STATEMENT_TIMEOUT_MS}"))
        with apps[-1].app_context():
            engine = search_backend()
            timings = time_engine(
                "pg_trgm",
                classes,
                lambda q: engine.subjects(q, SUBJECT_LIMIT),
                lambda q: engine.records(q, (PENALTY,), RECORD_CAP),
                on_error=db.session.rollback,
            )
            db.session.rollback()
    finally:
        for app in apps:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        with admin.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '60s'"))
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
        log(f"postgres: schema {schema} dropped")
    return timings, figures


# -- 6. report -----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "**MISSED**"


def report(args, classes, http, direct, fts, pg, facts) -> None:
    print()
    print(
        f"## Search bench: {args.records:,} records, {args.subjects:,} subjects, {args.queries} queries per class,"
        f" {os.cpu_count()} cores, {dt.date.today()}"
    )
    print()
    print(
        "Latencies in ms. Whoosh HTTP: GET /api/v1/search through gunicorn -w 2 (whole request: search,"
        " database check, JSON). Other columns: the engine's candidate lookup only, run in-process."
    )
    print()
    print(
        "| query class | n | Whoosh HTTP p50 | p95 | p99 | HTTP p95 target | Whoosh direct p50 | p95"
        " | FTS5 p50 | p95 | pg_trgm p50 | p95 | empty answers (HTTP/FTS5/pg) | errors (HTTP/FTS5/pg) |"
    )
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---|")
    for qc in classes:
        h, w = http[qc.label], direct[qc.label]
        f, p = fts.get(qc.label, Timing()), pg.get(qc.label, Timing())
        target = f"≤ {NAME_TARGET_MS:.0f}: {verdict(pct(h.times, 95) <= NAME_TARGET_MS)}" if qc.is_name else ""
        empty = f"{h.misses}/{f.misses if fts else '—'}/{p.misses if pg else '—'}"
        if not qc.must_hit:
            empty += " (info)"
        errors = f"{h.errors}/{f.errors if fts else '—'}/{p.errors if pg else '—'}"
        label = qc.label + (" ¹" if qc.label in ("name 2-char", "full-text (penalty)") else "")
        print(
            f"| {label} | {len(qc.queries)} | {ms(pct(h.times, 50))} | {ms(pct(h.times, 95))}"
            f" | {ms(pct(h.times, 99))}"
            f" | {target} | {ms(pct(w.times, 50))} | {ms(pct(w.times, 95))} | {ms(pct(f.times, 50))}"
            f" | {ms(pct(f.times, 95))} | {ms(pct(p.times, 50))} | {ms(pct(p.times, 95))} | {empty} | {errors} |"
        )
    print()
    build = "reused" if facts["data_s"] is None else f"{facts['data_s']:.1f} s"
    print(f"- Data (SQLite, seed_database): {build}; built {facts['built']}")
    print(
        f"- Whoosh full reindex: {facts['reindex_s']:.1f} s for {facts['reindex_docs']:,} documents,"
        f" {facts['index_mb']:.1f} MB on disk (target ≤ 15 min: {verdict(facts['reindex_s'] <= REINDEX_TARGET_S)})"
    )
    if "fts_s" in facts:
        print(
            f"- FTS5 (trigram) build: {facts['fts_s']:.1f} s for {facts['fts_docs']:,} documents,"
            f" {facts['fts_mb']:.1f} MB"
        )
    if "pg" in facts:
        pgf = facts["pg"]
        print(
            f"- PostgreSQL load + index: {pgf['load_s']:.1f} s seed_database + {pgf['index_s']:.1f} s"
            f" indexer.rebuild = {pgf['load_s'] + pgf['index_s']:.1f} s; {pgf['docs']:,} search documents"
            f" (Whoosh: {facts['reindex_docs']:,}), {pgf['size_mb']:.1f} MB with indexes;"
            f" statement timeout {PG_STATEMENT_TIMEOUT_MS / 1000:g} s (a timeout counts as an error)"
        )
    elif args.skip_postgres:
        print("- PostgreSQL: skipped (--skip-postgres)")
    print(
        f"- Throughput: {facts['rps']:.1f} searches/s with {args.clients} clients for {args.seconds:g} s over the"
        f" name queries ({facts['tp_done']:,} answered, {facts['tp_errors']} errors, p95"
        f" {ms(pct(facts['tp_lat'], 95))} ms) (target ≥ {THROUGHPUT_TARGET:.0f}/s:"
        f" {verdict(facts['rps'] >= THROUGHPUT_TARGET)})"
    )
    misses = sum(http[qc.label].misses for qc in classes if qc.must_hit)
    errors = sum(t.errors for t in http.values())
    print(
        f"- HTTP checks: {errors} non-200 answers, {misses} empty subject lists for queries taken from the data"
        f" (should be 0: {verdict(errors == 0 and misses == 0)})"
    )
    print(
        "- ¹ FTS5: 2-character terms (all 2-char names, some full-text words) cannot use trigrams and run as"
        " LIKE '%q%' on the FTS table;"
        + (
            " the FTS5 LIKE answers them correctly here."
            if facts["fts_like_ok"]
            else f" this SQLite ({sqlite3.sqlite_version}) answers FTS5 LIKE with 2 non-ASCII characters wrongly"
            " (no rows), so they run as `+col LIKE` (a full scan of the FTS table)."
        )
    )
    if facts.get("conn_header", "").lower() == "close":
        print(
            "- gunicorn's sync workers close the connection after every response: the clients' keep-alive"
            " connections reconnect for each request (on loopback, a fraction of a millisecond)."
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--subjects", type=int, default=None, help="default: records / 3")
    parser.add_argument("--queries", type=int, default=200, help="queries per class")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--postgres", default=os.environ.get("PORTAL_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="rebuild the SQLite data set")
    args = parser.parse_args()
    args.subjects = args.subjects or max(args.records // 3, 10)
    OUT.mkdir(parents=True, exist_ok=True)
    log(
        f"{os.cpu_count()} cores, {args.records:,} records, {args.subjects:,} subjects, SQLite {sqlite3.sqlite_version}"
    )

    facts: dict = {}
    facts["data_s"], facts["built"] = ensure_data(args.records, args.subjects, args.seed, args.fresh)
    if facts["built"] != clock.today().isoformat() and not args.skip_postgres:
        log("note: the SQLite data was built on another day; PostgreSQL is seeded today (dates may differ)")
    facts["reindex_s"], facts["reindex_docs"], facts["index_mb"] = whoosh_reindex()
    classes = make_queries(args.queries, args.seed)
    direct = whoosh_direct(classes)

    port = free_port()
    log(f"gunicorn -w 2 on 127.0.0.1:{port}")
    proc = start_gunicorn(port)
    try:
        http, facts["conn_header"] = http_latency(port, classes)
        mix = [q for qc in classes if qc.is_name for q in qc.queries]
        random.Random(f"mix:{args.seed}").shuffle(mix)
        facts["rps"], facts["tp_done"], facts["tp_errors"], facts["tp_lat"] = throughput(
            port, mix, args.clients, args.seconds
        )
        log(f"throughput: {facts['rps']:.1f} searches/s, {facts['tp_errors']} errors")
    finally:
        stop_gunicorn(proc)

    facts["fts_like_ok"] = fts5_short_like_ok()
    facts["fts_s"], facts["fts_docs"], facts["fts_mb"] = fts5_build()
    fts = fts5_queries(classes, facts["fts_like_ok"])

    pg: dict = {}
    if not args.skip_postgres:
        pg, facts["pg"] = postgres_run(args.postgres, classes, args.records, args.subjects, args.seed)
    report(args, classes, http, direct, fts, pg, facts)


if __name__ == "__main__":
    main()
