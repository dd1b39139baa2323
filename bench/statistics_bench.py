"""Statistics pages at scale: p50 / p95 of the public /statistics page and the admin dashboard, warm.

    python bench/statistics_bench.py [--records 1000000] [--subjects 4000] [--runs 30] [--postgres URL] [--skip-sqlite]

Data: a demo quarter from the demo seed (`--subjects`, about three records each, through the
importer), then multiplied by bulk INSERT ... SELECT in SQL up to `--records` licences and penalties:
each copy gets its own document numbers and its dates (decision, publication, end of publicity)
moved back by a whole number of weeks, spread over about four years. The SQLite file is kept in
bench/out/ and reused by later runs of the same size. Then `stats-refresh --full` builds the
aggregates (its time is printed), and each page is timed --runs times after one warm-up:
in process (the service that renders the page: summary.page) and over HTTP through the whole
Flask stack (the test client: routing, session, sign-in, template), for the default period and for
one industry + district. Finally the incremental refresh after one changed record (what a page
does when the aggregates are older than a minute) and the 重错码 snapshot (hourly) are timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SECRET_KEY", secrets.token_hex(16))  # never write instance/secret_key

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from portal import city, create_app, reference  # noqa: E402
from portal.config import normalise_database_url  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.models import License, Penalty, Role, StaffUser  # noqa: E402
from portal.services.statistics import aggregates, summary  # noqa: E402

OUT = ROOT / "bench" / "out"
PASSWORD = "Bench-statistics-2026!"
SHIFTED = {"decided_on", "display_until", "repair_from", "published_at", "valid_from", "valid_to"}
UNIQUE = {"doc_no"}


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", flush=True)


def _copy_sql(table, copy: int, weeks: int, top_id: int, sqlite: bool) -> str:
    """INSERT ... SELECT of the base rows of `table` as copy number `copy`, dates `weeks` weeks earlier."""
    names, values = [], []
    for column in table.columns:
        if column.name == "id":
            continue
        names.append(column.name)
        if column.name in UNIQUE:
            values.append(f"{column.name} || '-c{copy}'")
        elif column.name in SHIFTED:
            if sqlite:
                fn = "datetime" if column.name == "published_at" else "date"
                values.append(f"{fn}({column.name}, '-{weeks * 7} days')")
            else:
                values.append(f"{column.name} - interval '{weeks * 7} days'")
        elif column.name in ("created_at", "updated_at"):
            values.append(f"{column.name}")
        else:
            values.append(column.name)
    return (
        f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {', '.join(values)} "
        f"FROM {table.name} WHERE id <= {top_id}"
    )


def _records() -> int:
    return sum(db.session.scalar(select(func.count()).select_from(m)) for m in (License, Penalty))


def build(records: int, subjects: int) -> None:
    from portal.demo.seed import seed_database

    started = time.perf_counter()
    log(seed_database(subjects, 7, echo=lambda _m: None))
    base = _records()
    log(f"demo seed: {base:,} records in {time.perf_counter() - started:.0f} s")
    sqlite = db.engine.dialect.name == "sqlite"
    tops = {m: db.session.scalar(select(func.max(m.id))) for m in (License, Penalty)}
    copy = 0
    started = time.perf_counter()
    while _records() < records:
        copy += 1
        weeks = 4 + (copy * 13) % 200  # about four years back, copies interleaved
        for model, top in tops.items():
            db.session.execute(text(_copy_sql(model.__table__, copy, weeks, top, sqlite)))
        db.session.commit()
    # The copies carry the base rows' change times; move every change back an hour, as if these
    # records had been there before the aggregates were first built.
    for table in ("licenses", "penalties", "subjects"):
        shifted = "datetime(updated_at, '-1 hour')" if sqlite else "updated_at - interval '1 hour'"
        db.session.execute(text(f"UPDATE {table} SET updated_at = {shifted}"))
    db.session.commit()
    if sqlite:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    log(f"bulk copies: {_records():,} records ({copy} copies) in {time.perf_counter() - started:.0f} s")


def _time(fn, runs: int) -> tuple[float, float]:
    fn()  # warm-up: caches, the working-day table, SQLite pages
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95 + 0.5) - 1)]


def measure(label: str, app, runs: int) -> None:
    industry = reference.industries().names[0]
    with app.app_context():
        district = city.current().districts[0].code
        admin = db.session.scalar(select(StaffUser).where(StaffUser.username == "bench-stats"))
        if admin is None:
            from portal.services.staff import accounts

            admin = accounts.create_user(
                "bench-stats", "bench", PASSWORD, [Role.ADMIN], None, by=None, force_change=False, actor="bench"
            )
            db.session.commit()
        started = time.perf_counter()
        summary.refresh(full=True)
        log(f"{label}: stats-refresh --full (aggregates and snapshots) {time.perf_counter() - started:.1f} s")
        from portal.models import StatRecordDay, StatTimelyDay

        sizes = [db.session.scalar(select(func.count()).select_from(m)) for m in (StatRecordDay, StatTimelyDay)]
        log(f"{label}: aggregate rows: {sizes[0]:,} per decision day, {sizes[1]:,} per publication day")
        cases = [
            ("public /statistics", {}, True, "/statistics"),
            ("admin dashboard", {}, False, "/admin/statistics"),
            (
                "admin dashboard, industry + district",
                {"industry": industry, "district": district},
                False,
                f"/admin/statistics?industry={industry}&district={district}",
            ),
        ]
        for name, args, public, _url in cases:
            p50, p95 = _time(lambda a=args, p=public: summary.page(a, public=p, user=None if p else admin), runs)
            log(f"{label}: in process, {name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/admin/login", data={"username": "bench-stats", "password": PASSWORD})
    for name, _args, _public, url in cases:

        def get(u=url):
            response = client.get(u)
            assert response.status_code == 200 and "数据更新于" in response.get_data(as_text=True), response.status
            return response

        p50, p95 = _time(get, runs)
        log(f"{label}: over HTTP (test client), {name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    with app.app_context():
        record = db.session.scalar(select(License).order_by(License.id.desc()).limit(1))
        record.subject_name = record.subject_name  # touch: one changed record, as a publication does
        record.updated_at = dt.datetime.now(dt.timezone.utc)
        db.session.commit()
        started = time.perf_counter()
        aggregates.refresh()
        log(f"{label}: incremental refresh after one change {(time.perf_counter() - started) * 1000:.0f} ms")
        started = time.perf_counter()
        aggregates.snapshot("code_quality", force=True)
        log(f"{label}: 重错码 snapshot (every stored code) {(time.perf_counter() - started) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--subjects", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--postgres")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"statistics_{args.records}_{args.subjects}.db"
    config = {"PORTAL_SEARCH_AUTOSYNC": False, "RATELIMIT_ENABLED": False, "PORTAL_SECURE_COOKIES": "0"}
    config["SESSION_COOKIE_SECURE"] = False
    config["PORTAL_SEARCH_INDEX"] = str(OUT / "statistics_index")
    if not args.skip_sqlite:
        fresh = not path.exists()
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", **config})
        with app.app_context():
            if fresh:
                build(args.records, args.subjects)
            else:
                from portal.services.core.setup import init_db

                init_db()
                log(f"sqlite: reusing {path.name}: {_records():,} records")
        measure("sqlite", app, args.runs)
    if args.postgres:
        schema = f"bench_stats_{secrets.token_hex(4)}"
        engine = create_engine(args.postgres)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        try:
            url = f"{normalise_database_url(args.postgres)}?options={quote(f'-csearch_path={schema},public')}"
            app = create_app({"SQLALCHEMY_DATABASE_URI": url, **config})
            with app.app_context():
                build(args.records, args.subjects)
            measure("postgresql", app, args.runs)
        finally:
            with engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
