"""Statistics pages: time the figures of the public page and of the admin dashboard over demo data.

    python bench/statistics_bench.py [--subjects 20000] [--runs 20] [--postgres URL]

Seeds a fresh SQLite database (and a fresh PostgreSQL schema with --postgres) with demo data
(about three records per subject), then computes the public page's figures and the dashboard's
figures --runs times each after one warm-up run, and prints p50 / p95 in milliseconds. Figures are
computed on request; this shows how far that carries before precomputed aggregates are needed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from portal import create_app  # noqa: E402
from portal.demo.seed import seed_database  # noqa: E402
from portal.services.statistics import summary  # noqa: E402


def _time(fn, runs: int) -> tuple[float, float]:
    fn()  # warm-up: caches, statistics, the working-day table
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def run(label: str, url: str, subjects: int, runs: int) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PORTAL_SEARCH_AUTOSYNC": False})
    with app.app_context():
        started = time.perf_counter()
        seed_database(subjects, 7, echo=lambda _m: None)
        print(f"{label}: seeded {subjects} subjects in {time.perf_counter() - started:.0f} s", flush=True)
        selected = summary.filters({"period": "12m"})
        for name, keys in (("public page", summary.PUBLIC_KEYS), ("admin dashboard", summary.ADMIN_KEYS)):
            p50, p95 = _time(lambda k=keys: summary.figures(selected, k), runs)
            print(f"{label}: {name} figures p50 {p50:.0f} ms, p95 {p95:.0f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("PORTAL_SEARCH_INDEX", str(Path(folder) / "index"))
        run("sqlite", f"sqlite:///{folder}/bench.db", args.subjects, args.runs)
    if args.postgres:
        schema = f"bench_{secrets.token_hex(4)}"
        engine = create_engine(args.postgres)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        try:
            run("postgresql", f"{args.postgres}?options=-csearch_path%3D{schema}", args.subjects, args.runs)
        finally:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
