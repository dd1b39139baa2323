"""Outbox drain rate on the bench data: queue changes like search_bench's outbox phase, apply them.

    python bench/drain_bench.py --backend sqlite --records 100000 --changes 20000 [--fresh] [--processes 2]
        [--profile out.prof]

The data set and index come from bench/search_data.py (`--only sqlite`, or the PostgreSQL schema
bench_<records>_<seed>). The queued changes name the newest licences, penalties and subjects, a
third each, as `search_bench.py --outbox` does; the drain runs in this process as the index worker
would (`indexer.sync(wait=True)`). Prints the figures as JSON on the last line.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_data as data
from sqlalchemy import delete, text

from portal.extensions import db


def queue(changes: int, fresh: bool) -> int:
    """Queue the changes; `fresh`: first remove their documents and stored views, so the drain
    writes new ones, as for newly imported records (else it rewrites documents that are unchanged)."""
    from portal.models import RecordPresentation, SearchOutbox
    from portal.search import backend

    ids = {
        kind: db.session.scalars(text(f"SELECT id FROM {table} ORDER BY id DESC LIMIT :n"), {"n": changes // 3}).all()
        for kind, table in (("license", "licenses"), ("penalty", "penalties"), ("subject", "subjects"))
    }
    rows = [{"entity_type": kind, "entity_id": i} for kind, values in ids.items() for i in values]
    if fresh:
        backend().apply([], [f"{r['entity_type']}:{r['entity_id']}" for r in rows])
        for kind in ("license", "penalty"):
            db.session.execute(
                delete(RecordPresentation).where(
                    RecordPresentation.type == kind, RecordPresentation.entity_id.in_(ids[kind])
                )
            )
        db.session.commit()
    for start in range(0, len(rows), 10_000):
        db.session.execute(SearchOutbox.__table__.insert(), rows[start : start + 10_000])
    db.session.commit()
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", default=data.DEFAULT_PG)
    parser.add_argument("--changes", type=int, default=20_000)
    parser.add_argument("--fresh", action="store_true", help="remove the documents first: all are new")
    parser.add_argument("--profile", help="write a cProfile of the drain to this file")
    parser.add_argument("--processes", type=int, default=1, help="processes building documents")
    args = parser.parse_args()
    data.use(args.records)
    with data.app_for(args.backend, args.records, args.seed, args.postgres).app_context():
        from portal.search import indexer

        if indexer.status().problem:
            sys.exit(f"the {args.backend} index is not trusted ({indexer.status().problem}): run search_data.py")
        queued = queue(args.changes, args.fresh)
        profiler = cProfile.Profile() if args.profile else None
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        applied = indexer.sync(wait=True, processes=args.processes)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        figures = {
            "backend": args.backend,
            "fresh": args.fresh,
            "processes": args.processes,
            "queued": queued,
            "applied": applied,
            "seconds": round(seconds, 2),
            "per_second": round(applied / seconds),
            "cpu_seconds": round(cpu, 2),  # this process only (not PostgreSQL's): less sensitive to load
            "per_cpu_second": round(applied / cpu),
            "left": indexer.pending(),
            "load": os.getloadavg()[0],
        }
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
