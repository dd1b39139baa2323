"""Listing filters counted for the first time, in-process, on the bench data (bench/search_data.py).

    python bench/filter_bench.py --records 1000000 --backend sqlite [--filters 30] [--sqlite-file F]

Draws the same `--filters` distinct filters per listing as search_bench's "filters, each new"
pages (bench/search_bench.py: new_filters), forgets the cached counts of every filter, then
requests each once and prints p50 / p95 / max in ms per listing, and the slowest. Run it from two
checkouts (a worktree of the base commit and the changed one), alternating, to compare versions
on the same data in the same minutes. `--sqlite-file`: a copy of the SQLite data set to read
instead (one migrated differently; copy both sides with `VACUUM INTO`, so that their files are laid
out alike: a grown file reads its pages from more places, and this machine's memory is reclaimed
from the page cache within seconds, so most pages are read cold).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import unquote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_data as data
from search_bench import new_filters
from sqlalchemy import text

from portal.extensions import db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--filters", type=int, default=30)
    parser.add_argument("--sqlite-file", type=Path)
    args = parser.parse_args()
    data.use(args.records)
    if args.sqlite_file:
        data.DB_PATH = args.sqlite_file
    app = data.app_for(args.backend, args.records, args.seed)
    with app.app_context():
        db.session.execute(text("DELETE FROM cached_figures WHERE name LIKE 'q:%'"))
        db.session.commit()
    client = app.test_client()
    for kind in ("penalties", "licenses"):
        client.get(f"/{kind}")  # untimed: templates and the unfiltered count
        times = []
        for url in new_filters(kind, args.filters):
            started = time.perf_counter()
            status = client.get(url).status_code
            times.append(((time.perf_counter() - started) * 1000, url))
            if status != 200:
                print(f"  HTTP {status} {url}")
        ms = sorted(t for t, _ in times)
        print(
            f"{args.backend} {kind}: p50 {statistics.median(ms):.1f} p95 {ms[int(len(ms) * 0.95)]:.1f} "
            f"max {ms[-1]:.1f} ms; slowest: "
            + ", ".join(f"{unquote(url)} {t:.0f}" for t, url in sorted(times, reverse=True)[:3])
        )


if __name__ == "__main__":
    main()
