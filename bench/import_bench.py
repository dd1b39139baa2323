"""Import throughput: generate national-format CSV files and import them with full validation.

    python bench/import_bench.py [--rows 1000000] [--subjects 330000] [--postgres URL]

Writes two CSV files (licences and penalties, together --rows rows) under bench/out/, imports them
into a fresh SQLite database (and a fresh PostgreSQL schema with --postgres), and prints rows/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from portal import clock, create_app  # noqa: E402
from portal.demo.generator import Universe, generate_rows, write_csv  # noqa: E402
from portal.importer.loader import import_file  # noqa: E402
from portal.services.core.setup import init_db  # noqa: E402

OUT = ROOT / "bench" / "out"


def make_files(rows: int, subjects: int, seed: int) -> dict[str, Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    universe, today = Universe(subjects, seed), clock.today()
    counts = {"license": rows * 55 // 100, "penalty": rows - rows * 55 // 100}
    files = {}
    for kind, n in counts.items():
        path = OUT / f"{kind}_{n}_{seed}.csv"
        if not path.exists():
            started = time.perf_counter()
            write_csv(path, kind, generate_rows(universe, kind, n, today, seed))
            print(f"generated {path.name}: {n} rows in {time.perf_counter() - started:.1f} s", flush=True)
        files[kind] = path
    return files


def run_import(label: str, url: str, files: dict[str, Path]) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        init_db()
        total_rows, total_time = 0, 0.0
        for kind, path in files.items():
            started = time.perf_counter()
            result = import_file(kind, path)
            elapsed = time.perf_counter() - started
            total_rows += result.total
            total_time += elapsed
            print(
                f"{label} {kind}: {result.summary()} in {elapsed:.1f} s = {result.total / elapsed:,.0f} rows/s",
                flush=True,
            )
        print(
            f"{label} total: {total_rows:,} rows in {total_time:.1f} s = {total_rows / total_time:,.0f} rows/s",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--subjects", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", help="also import into a fresh schema of this PostgreSQL database")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    files = make_files(args.rows, args.subjects or max(args.rows // 3, 10), args.seed)

    db_path = OUT / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    print(f"{dt.datetime.now():%Y-%m-%d %H:%M} {os.cpu_count()} cores, {args.rows:,} rows", flush=True)
    if not args.skip_sqlite:
        run_import("sqlite", f"sqlite:///{db_path}", files)

    if args.postgres:
        from portal.config import normalise_database_url

        base = normalise_database_url(args.postgres)
        schema = f"bench_{secrets.token_hex(4)}"
        admin = create_engine(base)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            # public too: the migrations put pg_trgm there, once per database.
            run_import("postgresql", f"{base}?options=-csearch_path%3D{schema},public", files)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
