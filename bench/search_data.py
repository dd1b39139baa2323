"""Data sets and index builds for bench/search_bench.py, reused between runs when unchanged.

    python bench/search_data.py [--records 1000000] [--seed 7] [--postgres URL] [--skip-whoosh]

One data set in two databases, both made by `seed_database` on the same day with the same seed:
bench/out/search_bench.db (SQLite) and the PostgreSQL schema bench_<records>_<seed> (kept, so later
runs reuse it). Then every index is built in a child process of its own, so that its peak RSS is
its own: the portal's SQLite FTS5 index, Whoosh, the PostgreSQL search documents, and the peer
SQLite FTS5 trigram file. Build figures (seconds, documents, peak RSS, peak and final disk) go to
bench/out/builds.json, keyed by the data set and by the search code's digest: a change to
portal/search/ rebuilds the indexes it could affect.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", secrets.token_hex(16))  # never write instance/secret_key

from sqlalchemy import create_engine, text  # noqa: E402

from portal import clock, create_app  # noqa: E402
from portal.config import normalise_database_url  # noqa: E402
from portal.extensions import db  # noqa: E402

OUT = ROOT / "bench" / "out"
# Files of the data set in use (`use(records)`): one set per size, so a small trial run never
# replaces the million-record set.
DB_PATH = META_PATH = BUILDS_PATH = PEER_FTS_PATH = OUT / "unset"
INDEX_DIRS: dict[str, Path] = {}


def use(records: int) -> None:
    global DB_PATH, META_PATH, BUILDS_PATH, PEER_FTS_PATH, INDEX_DIRS
    DB_PATH = OUT / f"search_bench_{records}.db"
    META_PATH = OUT / f"search_bench_{records}.json"
    BUILDS_PATH = OUT / f"builds_{records}.json"
    PEER_FTS_PATH = OUT / f"peer_fts5_trigram_{records}.db"
    INDEX_DIRS = {kind: OUT / f"index_{kind}_{records}" for kind in ("sqlite", "whoosh")}


DEFAULT_PG = os.environ.get("PORTAL_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


# What an index's content depends on: a change to one of these rebuilds that index.
_SHARED = (
    "portal/search/documents.py",
    "portal/search/query.py",
    "portal/search/backend.py",
    "portal/rules/text.py",
    "portal/rules/masking.py",
    "portal/presenters.py",
    "portal/search/presentations.py",
)
_ENGINE_FILES = {
    "sqlite": ("portal/search/sqlite_backend.py",),
    "whoosh": ("portal/search/whoosh_backend.py",),
    "postgres": ("portal/search/pg_backend.py",),
    "peer_fts5": (),
}


def code_digest(engine: str) -> str:
    files = [ROOT / name for name in (*_SHARED, *_ENGINE_FILES[engine])]
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:16]


def pg_schema(records: int, seed: int) -> str:
    return f"bench_{records}_{seed}"


def pg_url(base: str, schema: str, options: str = "") -> str:
    base = normalise_database_url(base)
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options={quote(f'-csearch_path={schema},public{options}')}"


def app_for(backend: str, records: int, seed: int, postgres: str = DEFAULT_PG, options: str = ""):
    """The portal over the bench data: SQLite for the embedded backends, the bench schema for postgres."""
    if backend == "postgres":
        uri = pg_url(postgres, pg_schema(records, seed), options)
    else:
        uri = f"sqlite:///{DB_PATH}"
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": uri,
            "PORTAL_SEARCH_BACKEND": backend,
            "PORTAL_SEARCH_INDEX": str(INDEX_DIRS.get(backend, OUT / "index_unused")),
            "PORTAL_SEARCH_AUTOSYNC": False,
            "RATELIMIT_ENABLED": False,
        }
    )


def server_env(backend: str, records: int, seed: int, postgres: str = DEFAULT_PG) -> dict:
    """The same configuration as app_for, as a gunicorn's environment."""
    return {
        **os.environ,
        "DATABASE_URL": pg_url(postgres, pg_schema(records, seed)) if backend == "postgres" else f"sqlite:///{DB_PATH}",
        "PORTAL_SEARCH_BACKEND": backend,
        "PORTAL_SEARCH_INDEX": str(INDEX_DIRS.get(backend, OUT / "index_unused")),
        "PORTAL_SEARCH_AUTOSYNC": "0",
        "PORTAL_SEARCH_RATE_LIMIT": "100000000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        "PORTAL_SECURE_COOKIES": "0",
    }


def _seed(app, records: int, subjects: int, seed: int) -> str:
    from portal.demo.seed import seed_database

    # seed_database makes int(subjects * per_subject) records: +0.5 keeps that exactly `records`.
    with app.app_context():
        return seed_database(subjects, seed, (records + 0.5) / subjects, echo=lambda m: log(f"  {m}"))


def ensure_sqlite(records: int, subjects: int, seed: int) -> dict:
    wanted = {"records": records, "subjects": subjects, "seed": seed}
    if DB_PATH.exists() and META_PATH.exists():
        meta = json.loads(META_PATH.read_text())
        if {k: meta.get(k) for k in wanted} == wanted:
            log(f"sqlite data: reusing {DB_PATH.name} built {meta['built']} ({meta['summary']})")
            with app_for("sqlite", records, seed).app_context():
                from portal.services.core.setup import init_db

                init_db()  # bring an older data set's schema up to date
            return meta
    OUT.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    log(f"sqlite data: building {records:,} records, {subjects:,} subjects, seed {seed}")
    started = time.perf_counter()
    summary = _seed(app_for("sqlite", records, seed), records, subjects, seed)
    meta = {**wanted, "built": clock.today().isoformat(), "summary": summary, "seconds": time.perf_counter() - started}
    META_PATH.write_text(json.dumps(meta, ensure_ascii=False))
    log(f"sqlite data: {summary} in {meta['seconds']:.0f} s")
    return meta


def _vacuum_analyze(admin, schema: str) -> None:
    """Statistics and the visibility map of every table, as autovacuum keeps them in production
    after an import (this machine's server runs without): index-only scans need the latter."""
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}).scalars()
        conn.execute(text("VACUUM (ANALYZE) " + ", ".join(f'"{schema}"."{t}"' for t in tables)))


def ensure_postgres(records: int, subjects: int, seed: int, postgres: str) -> dict:
    schema = pg_schema(records, seed)
    admin = create_engine(normalise_database_url(postgres))
    try:
        with admin.begin() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": schema}).scalar()
            meta = None
            if exists:
                has_meta = conn.execute(
                    text("SELECT 1 FROM pg_tables WHERE schemaname = :s AND tablename = 'bench_meta'"), {"s": schema}
                ).scalar()
                if has_meta:
                    meta = json.loads(conn.execute(text(f'SELECT value FROM "{schema}".bench_meta')).scalar())
            if meta:
                log(f"postgres data: reusing schema {schema} built {meta['built']}")
            else:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        if meta:
            with app_for("postgres", records, seed, postgres).app_context():
                from portal.services.core.setup import init_db

                init_db()
            _vacuum_analyze(admin, schema)
            return meta
        log(f"postgres data: building schema {schema}")
        started = time.perf_counter()
        summary = _seed(app_for("postgres", records, seed, postgres), records, subjects, seed)
        meta = {"built": clock.today().isoformat(), "summary": summary, "seconds": time.perf_counter() - started}
        with admin.begin() as conn:
            conn.execute(text(f'CREATE TABLE "{schema}".bench_meta (value text)'))
            conn.execute(text(f'INSERT INTO "{schema}".bench_meta VALUES (:v)'), {"v": json.dumps(meta)})
        _vacuum_analyze(admin, schema)
        log(f"postgres data: {summary} in {meta['seconds']:.0f} s")
        return meta
    finally:
        admin.dispose()


# -- index builds, each in a child process -------------------------------------------------------


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM). Not getrusage's ru_maxrss: Linux carries that over
    exec from the forked copy of the parent, so a child would report the bench's own RSS."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def build_in_child(engine: str, records: int, seed: int, postgres: str) -> None:
    """Runs in the child: build one index, print its figures as JSON on the last line."""
    started = time.perf_counter()
    if engine == "peer_fts5":
        count = build_peer_fts5(records, seed)
    else:
        app = app_for(engine, records, seed, postgres)
        with app.app_context():
            from portal.search import indexer

            count = indexer.rebuild()
            if engine == "postgres":
                print(json.dumps({"dead_tuples": dead_rows()}), flush=True)
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                "docs": count,
                "peak_rss_mb": peak_rss_mb(),
            }
        ),
        flush=True,
    )


def dead_rows() -> str:
    """Dead and live rows of each table the indexer churns, counted in the tables (pgstattuple):
    the statistics' n_dead_tup hears of a connection's deletes only when it next goes idle."""
    from sqlalchemy.exc import SQLAlchemyError

    from portal.search import upkeep

    try:
        db.session.execute(text("CREATE EXTENSION IF NOT EXISTS pgstattuple SCHEMA public"))
        counts = [
            db.session.execute(
                text("SELECT dead_tuple_count, tuple_count FROM public.pgstattuple(:t)"), {"t": table}
            ).one()
            for table in upkeep.TABLES
        ]
    except SQLAlchemyError:  # no pgstattuple on this server, or not allowed to create it
        db.session.rollback()
        return "?"
    db.session.commit()
    return " · ".join(
        f"{table} {dead:,} of {dead + live:,}" for table, (dead, live) in zip(upkeep.TABLES, counts, strict=True)
    )


def drain_in_child(engine: str, records: int, seed: int, postgres: str) -> None:
    """Runs in the child, like the index worker: apply the whole outbox (with its worker processes),
    print its figures as JSON."""
    app = app_for(engine, records, seed, postgres)
    with app.app_context():
        from portal.search import indexer

        started = time.perf_counter()
        applied = indexer.sync(wait=True, processes=app.config["PORTAL_INDEX_PROCESSES"])
        seconds = time.perf_counter() - started
        dead = dead_rows() if engine == "postgres" else "–"
        print(
            json.dumps({"applied": applied, "seconds": seconds, "left": indexer.pending(), "dead_rows": dead}),
            flush=True,
        )


def build_peer_fts5(records: int, seed: int) -> int:
    """The peer: SQLite FTS5's own trigram tokenizer over the same documents the portal indexes."""
    from portal.search.backend import SUBJECT
    from portal.search.documents import all_docs

    for suffix in ("", "-wal", "-shm"):
        Path(f"{PEER_FTS_PATH}{suffix}").unlink(missing_ok=True)
    con = sqlite3.connect(PEER_FTS_PATH)
    con.executescript("""
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE VIRTUAL TABLE subject_fts USING fts5(name, tokenize='trigram');
        CREATE VIRTUAL TABLE record_fts USING fts5(text, type UNINDEXED, entity_id UNINDEXED, decided UNINDEXED,
                                                   tokenize='trigram');
        CREATE TABLE codes(code TEXT NOT NULL, type TEXT NOT NULL, entity_id INTEGER NOT NULL);
    """)
    count, subjects, recs, codes = 0, [], [], []

    def flush() -> None:
        con.executemany("INSERT INTO subject_fts(rowid, name) VALUES (?, ?)", subjects)
        con.executemany("INSERT INTO record_fts(text, type, entity_id, decided) VALUES (?, ?, ?, ?)", recs)
        con.executemany("INSERT INTO codes VALUES (?, ?, ?)", codes)
        subjects.clear(), recs.clear(), codes.clear()

    with app_for("sqlite", records, seed).app_context():
        for doc in all_docs(clock.today()):
            if doc.type == SUBJECT:
                subjects.append((doc.entity_id, doc.name))
            else:
                recs.append((doc.text, doc.type, doc.entity_id, doc.decided_on.toordinal() if doc.decided_on else 0))
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
    con.close()
    return count


def _disk_mb(engine: str, pg_conn, current_only: bool = False) -> float:
    if engine == "postgres":
        size = pg_conn.execute(
            text(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = :s AND c.relname IN ('search_documents', 'search_documents_new')"
                " AND c.relkind = 'r'"
            ),
            {"s": pg_conn.info["schema"]},
        ).scalar()
        return float(size) / 1e6
    if engine == "peer_fts5":
        paths = [Path(f"{PEER_FTS_PATH}{s}") for s in ("", "-wal", "-shm", "-journal")]
    else:
        paths = [p for p in INDEX_DIRS[engine].rglob("*") if p.is_file()] if INDEX_DIRS[engine].exists() else []
        if current_only:  # the generation searched now, not the previous one kept for running searches
            pointer = next(INDEX_DIRS[engine].glob("CURRENT*"), None)
            generation = pointer.read_text().split()[0] if pointer else "-"
            paths = [
                p
                for p in paths
                if p.name.lstrip("_").startswith(f"{generation}.") or p.name.lstrip("_").startswith(f"{generation}_")
            ]
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except FileNotFoundError:
            pass
    return total / 1e6


def build(engine: str, records: int, seed: int, postgres: str) -> dict:
    """Build one index in a child process, sampling the disk it uses; returns its figures."""
    pg_engine = create_engine(normalise_database_url(postgres)) if engine == "postgres" else None
    pg_conn = None
    if pg_engine is not None:
        pg_conn = pg_engine.connect()
        pg_conn.info["schema"] = pg_schema(records, seed)
        pg_conn.execution_options(isolation_level="AUTOCOMMIT")
    peak = [_disk_mb(engine, pg_conn)]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            try:
                peak[0] = max(peak[0], _disk_mb(engine, pg_conn))
            except Exception:  # a table renamed under the query: sample again next second
                pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    log(f"build {engine}: started")
    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--build-one",
            engine,
            "--records",
            str(records),
            "--seed",
            str(seed),
            "--postgres",
            postgres,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    stop.set()
    sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"build {engine} failed:\n{child.stderr[-3000:]}")
    figures = {}
    for line in child.stdout.splitlines():
        if line.startswith("{"):
            figures.update(json.loads(line))
    figures["final_mb"] = _disk_mb(engine, pg_conn, current_only=True)
    figures["peak_disk_mb"] = max(peak[0], figures["final_mb"])
    if pg_conn is not None:
        pg_conn.close()
        pg_engine.dispose()
    log(
        f"build {engine}: {figures['docs']:,} documents in {figures['seconds']:.0f} s, peak RSS"
        f" {figures['peak_rss_mb']:.0f} MB, disk {figures['final_mb']:.0f} MB (peak {figures['peak_disk_mb']:.0f} MB)"
    )
    return figures


def ensure_builds(engines: list[str], records: int, seed: int, postgres: str, sqlite_meta: dict, pg_meta: dict) -> dict:
    def known() -> dict:
        return json.loads(BUILDS_PATH.read_text()) if BUILDS_PATH.exists() else {}

    for engine in engines:
        data = pg_meta if engine == "postgres" else sqlite_meta
        key = f"{records}:{seed}:{data['built']}:{code_digest(engine)}"
        if known().get(engine, {}).get("key") == key:
            log(f"build {engine}: reusing the index built {known()[engine]['when']}")
            continue
        figures = build(engine, records, seed, postgres)
        builds = known()  # re-read: a build of another engine may have run meanwhile
        builds[engine] = {**figures, "key": key, "when": dt.datetime.now().isoformat(timespec="minutes")}
        BUILDS_PATH.write_text(json.dumps(builds, indent=1))
    return {engine: known()[engine] for engine in engines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", default=DEFAULT_PG)
    parser.add_argument("--skip-whoosh", action="store_true")
    parser.add_argument("--only", help="build just this index (sqlite, whoosh, postgres, peer_fts5)")
    parser.add_argument("--build-one", help=argparse.SUPPRESS)
    parser.add_argument("--drain", help=argparse.SUPPRESS)
    args = parser.parse_args()
    use(args.records)
    if args.build_one:
        build_in_child(args.build_one, args.records, args.seed, args.postgres)
        return
    if args.drain:
        drain_in_child(args.drain, args.records, args.seed, args.postgres)
        return
    if args.only:
        sqlite_meta = ensure_sqlite(args.records, max(args.records // 3, 10), args.seed)
        pg_meta = (
            ensure_postgres(args.records, max(args.records // 3, 10), args.seed, args.postgres)
            if (args.only == "postgres")
            else {}
        )
        ensure_builds([args.only], args.records, args.seed, args.postgres, sqlite_meta, pg_meta)
        return
    prepare(args.records, args.seed, args.postgres, not args.skip_whoosh)


def portal_index_problem(engine: str, records: int, seed: int, postgres: str) -> str | None:
    """What the portal itself says of the index before searching it (None: it trusts it)."""
    from portal.search import indexer

    with app_for(engine, records, seed, postgres).app_context():
        problem = indexer.status().problem
        db.session.remove()
        return problem


def prepare(records: int, seed: int, postgres: str, whoosh: bool) -> dict:
    use(records)
    subjects = max(records // 3, 10)
    sqlite_meta = ensure_sqlite(records, subjects, seed)
    pg_meta = ensure_postgres(records, subjects, seed, postgres)
    if sqlite_meta["built"] != pg_meta["built"]:
        log("note: the two databases were seeded on different days: their dates differ")
    engines = ["sqlite", "postgres", "peer_fts5"] + (["whoosh"] if whoosh else [])
    for engine in engines:
        if engine != "peer_fts5":
            problem = portal_index_problem(engine, records, seed, postgres)
            if problem and BUILDS_PATH.exists():  # the portal would not trust it (e.g. another build's state)
                log(f"build {engine}: the portal reports {problem!r}; building it again")
                builds = json.loads(BUILDS_PATH.read_text())
                builds.pop(engine, None)
                BUILDS_PATH.write_text(json.dumps(builds, indent=1))
    return {
        "sqlite": sqlite_meta,
        "postgres": pg_meta,
        "builds": ensure_builds(engines, records, seed, postgres, sqlite_meta, pg_meta),
    }


if __name__ == "__main__":
    main()
