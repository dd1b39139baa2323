"""An XLSX bomb against the web import, side by side: the code before the upload bounds (git ref
BEFORE, default `main`) and this tree, each under gunicorn with 2 sync workers (timeout 30 s).

    python bench/xlsx_bomb_bench.py [--before main] [--rows 100000] [--bombs 2] [--seconds 90]

For each system: a clerk uploads --bombs copies at once of a 16 KB XLSX holding --rows nearly empty
rows, while a probe loads /penalties every 100 ms. Printed: the uploads' answers and times, the
largest RSS of the web workers and of any job process, and the probe's latency (p50/p95/max) and
failures from the first upload until the system is idle again (or --seconds pass).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.exchange_files import xlsx_bomb  # noqa: E402
from tests.forms import page_form  # noqa: E402
from tests.http_client import DISCONNECTED, HttpClient  # noqa: E402
from tests.live_gunicorn import free_port  # noqa: E402


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        found += [int(c) for c in children]
        todo += [int(c) for c in children]
    return found


class System:
    def __init__(self, name: str, code: Path, work: Path):
        self.name, self.code, self.work = name, code, work
        self.env = {
            **os.environ,
            "PYTHONDONTWRITEBYTECODE": "1",
            "DATABASE_URL": f"sqlite:///{work / 'portal.db'}",
            "PORTAL_UPLOAD_DIR": str(work / "uploads"),
            "PORTAL_SEARCH_INDEX": str(work / "index"),
            "PORTAL_SEARCH_AUTOSYNC": "0",
            "PORTAL_SECURE_COOKIES": "0",
            "PORTAL_LOGIN_RATE_LIMIT": "1000 per minute",
            "SECRET_KEY": "bench",
        }
        flask = [sys.executable, "-m", "flask", "--app", "wsgi", "portal"]
        subprocess.run([*flask, "seed", "--subjects", "200"], cwd=code, env=self.env, check=True, capture_output=True)
        self.port = free_port()
        self.log = (work / "gunicorn.log").open("wb")
        command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{self.port}", "wsgi:app"]
        self.server = subprocess.Popen(command, cwd=code, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if HttpClient(self.url, timeout=2).get("/").status_code == 200:
                    break
            except DISCONNECTED:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"{name}: gunicorn did not start")
            time.sleep(0.2)

    def clerk(self) -> HttpClient:
        client = HttpClient(self.url, timeout=120)
        password = "Demo#2-Credit-2026"  # portal/demo/accounts.py: luru, the demo 录入员
        form = page_form(client, "/admin/login").fill(username="luru", password=password)
        assert form.submit(client).status_code == 302, f"{self.name}: sign-in failed"
        return client

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=30)
        self.log.close()


def run(system: System, bomb: Path, bombs: int, seconds: float) -> dict:
    clerks = [system.clerk() for _ in range(bombs)]
    forms = [page_form(c, "/admin/imports", action="/admin/imports") for c in clerks]
    stop = threading.Event()
    probe: list[tuple[float, float | None]] = []
    workers_rss: dict[int, float] = {}
    jobs_rss: dict[int, float] = {}

    def probing() -> None:
        client = HttpClient(system.url, timeout=30)
        while not stop.is_set():
            started = time.perf_counter()
            try:
                ok = client.get("/penalties").status_code == 200
            except DISCONNECTED:
                ok = False
            probe.append((started, time.perf_counter() - started if ok else None))
            time.sleep(0.1)

    def sampling() -> None:
        master = system.server.pid
        while not stop.is_set():
            workers = set(int(c) for c in Path(f"/proc/{master}/task/{master}/children").read_text().split())
            for pid in _descendants(master):
                target = workers_rss if pid in workers else jobs_rss
                target[pid] = max(target.get(pid, 0.0), _rss_mb(pid))
            time.sleep(0.1)

    answers: list[tuple[int | str, float]] = []

    def uploading(client, form) -> None:
        started = time.perf_counter()
        try:
            with bomb.open("rb") as f:
                status = form.fill(kind="penalty", file=(f, bomb.name)).submit(client).status_code
        except DISCONNECTED as e:
            status = type(e).__name__
        answers.append((status, time.perf_counter() - started))

    threads = [threading.Thread(target=probing), threading.Thread(target=sampling)]
    for t in threads:
        t.start()
    time.sleep(1)
    window_start = time.perf_counter()
    uploads = [threading.Thread(target=uploading, args=(c, f)) for c, f in zip(clerks, forms, strict=True)]
    for t in uploads:
        t.start()
    for t in uploads:
        t.join()
    # Until the jobs (if any) are done: no process besides the workers, or the time is up.
    deadline = window_start + seconds
    while time.perf_counter() < deadline:
        master = system.server.pid
        workers = set(Path(f"/proc/{master}/task/{master}/children").read_text().split())
        if not [p for p in _descendants(master) if str(p) not in workers]:
            break
        time.sleep(0.2)
    window_end = time.perf_counter()
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join()
    during = [latency for at, latency in probe if window_start <= at <= window_end]
    served = sorted(x for x in during if x is not None)
    return {
        "uploads": answers,
        "window_s": window_end - window_start,
        "worker_rss_max_mb": max(workers_rss.values(), default=0.0),
        "job_rss_max_mb": max(jobs_rss.values(), default=0.0),
        "probe_n": len(during),
        "probe_failed": sum(1 for x in during if x is None),
        "probe_p50_ms": 1000 * statistics.median(served) if served else None,
        "probe_p95_ms": 1000 * served[int(0.95 * (len(served) - 1))] if served else None,
        "probe_max_ms": 1000 * served[-1] if served else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="git ref of the code before the bounds")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--bombs", type=int, default=2, help="uploads at once")
    parser.add_argument("--seconds", type=float, default=90)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bomb-bench-") as tmp:
        tmp = Path(tmp)
        bomb = xlsx_bomb(tmp / "bomb.xlsx", "penalty", args.rows)
        print(f"bomb: {bomb.stat().st_size} bytes, {args.rows} rows, {args.bombs} at once")
        before = tmp / "before"
        before.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive.stdout, check=True)
        results = {}
        for name, code in ((f"before ({args.before})", before), ("this tree", ROOT)):
            work = tmp / f"work-{len(results)}"
            work.mkdir()
            system = System(name, code, work)
            try:
                results[name] = run(system, bomb, args.bombs, args.seconds)
            finally:
                system.stop()
        for name, r in results.items():
            print(f"\n== {name}")
            for status, took in r["uploads"]:
                print(f"  upload answered {status} after {took:.1f} s")
            print(f"  window {r['window_s']:.1f} s (until uploads answered and jobs finished)")
            rss = f"web worker RSS max {r['worker_rss_max_mb']:.0f} MB, job process {r['job_rss_max_mb']:.0f} MB"
            print(f"  {rss}")
            probe = f"{r['probe_n']} probes, {r['probe_failed']} failed"
            latency = [f"{k} {r[f'probe_{k}_ms'] or 0:.0f} ms" for k in ("p50", "p95", "max")]
            print(f"  /penalties during the window: {probe}, {', '.join(latency)}")


if __name__ == "__main__":
    main()
