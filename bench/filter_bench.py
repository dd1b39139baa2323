"""Listing filters counted for the first time, on the bench data (bench/search_data.py).

    python bench/filter_bench.py --records 1000000 --backend sqlite [--filters 30] [--sqlite-file F]
        [--http] [--cold]

Draws the same `--filters` distinct filters per listing as search_bench's "filters, each new"
pages (bench/search_bench.py: new_filters), forgets the cached counts of every filter, then
requests each once and prints p50 / p95 / max in ms per listing, and the slowest. In-process by
default; `--http`: through gunicorn -w 2 started for the run (each worker has served the page
once, untimed: its first loads templates), with the first, last and fifth page of each listing
and the home page as well. `--cold`: first empty the kernel's page cache (root only) and, for
postgres, restart the server (`pg_ctlcluster`), as after a reboot. Run it from two checkouts (a
worktree of the base commit and the changed one), alternating, to compare versions on the same
data in the same minutes. `--sqlite-file`: a copy of the SQLite data set to read instead (one
migrated differently; copy both sides with `VACUUM INTO`, so that their files are laid out alike:
a grown file reads its pages from more places, and this machine's memory is reclaimed from the
page cache within seconds, so most pages are read cold).
"""

from __future__ import annotations

import argparse
import glob
import http.client
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_data as data
from search_bench import Http, new_filters
from sqlalchemy import text

from portal.extensions import db


def empty_caches(backend: str) -> None:
    if backend == "postgres":
        for cluster in glob.glob("/etc/postgresql/*/main"):
            subprocess.run(["pg_ctlcluster", cluster.split("/")[3], "main", "restart"], check=True)
    subprocess.run("sync; echo 3 > /proc/sys/vm/drop_caches", shell=True, check=True)


def warm(port: int, path: str) -> None:
    """Four requests at once, so that both workers have served a page (the first loads templates)."""

    def one(_) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path)
        conn.getresponse().read()
        conn.close()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, range(4)))


def timed(get, urls: list[str]) -> list[tuple[float, str]]:
    times = []
    for url in urls:
        started = time.perf_counter()
        status = get(url)
        times.append(((time.perf_counter() - started) * 1000, url))
        if status != 200:
            print(f"  HTTP {status} {url}")
    return times


def summary(label: str, times: list[tuple[float, str]]) -> str:
    ms = sorted(t for t, _ in times)
    return (
        f"{label}: p50 {statistics.median(ms):.1f} p95 {ms[int(len(ms) * 0.95)]:.1f} max {ms[-1]:.1f} ms; slowest: "
        + ", ".join(f"{unquote(url)} {t:.0f}" for t, url in sorted(times, reverse=True)[:3])
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--postgres", default=data.DEFAULT_PG)
    parser.add_argument("--filters", type=int, default=30)
    parser.add_argument("--sqlite-file", type=Path)
    parser.add_argument("--http", action="store_true")
    parser.add_argument("--cold", action="store_true")
    args = parser.parse_args()
    data.use(args.records)
    if args.sqlite_file:
        data.DB_PATH = args.sqlite_file
    app = data.app_for(args.backend, args.records, args.seed)
    with app.app_context():
        db.session.execute(text("DELETE FROM cached_figures WHERE name LIKE 'q:%'"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    if args.cold:
        empty_caches(args.backend)
    server = Http(f"portal HTTP {args.backend}", args.backend, args) if args.http else None  # reads data.DB_PATH
    client = app.test_client()

    def get(url: str) -> int:
        return server.get(url)[0] if server else client.get(url).status_code

    how = "HTTP" if server else "in-process"
    try:
        for kind in ("penalties", "licenses"):
            get(f"/{kind}")  # untimed: templates and the unfiltered count
            urls = new_filters(kind, args.filters)
            if server:
                warm(server.port, f"/{kind}")
                urls += [f"/{kind}", f"/{kind}?last=1", f"/{kind}?page=5"]
            print(summary(f"{args.backend} {kind} ({how}, {len(urls)} pages)", timed(get, urls)))
        if server:
            warm(server.port, "/")  # its template; its figures' rows are read cold by the timed requests
            print(summary(f"{args.backend} home ({how}, 20 requests)", timed(get, ["/"] * 20)))
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
