"""Search and page latency on every backend, side by side in one run, checked against a substring scan.

    make bench            # = python bench/search_bench.py --records 1000000
    python bench/search_bench.py [--records N] [--queries 200] [--clients 8] [--seconds 20]
                                 [--skip-whoosh] [--postgres URL]

1. Data and indexes (bench/search_data.py): one data set in SQLite and in a PostgreSQL schema; the
   portal's indexes (SQLite FTS5 bigrams, Whoosh, PostgreSQL documents) and the peer FTS5 trigram
   file, each built in a child process (time, peak RSS, peak and final disk); reused when unchanged.
2. Queries: per class at least --queries distinct queries drawn from the data with a seeded RNG;
   warm-up queries are drawn apart and never timed; no query is timed twice on one system.
3. Truth: a brute-force substring scan over the very documents the portal indexes (masked, folded).
4. Latency: for each query, every system in rotating order: the portal over HTTP (gunicorn -w 2)
   on each backend, and directly in-process the portal's engines and the peers (SQLite FTS5
   trigram, PostgreSQL pg_trgm). Errors are counted and their time kept in the percentiles.
   Recall and precision of every answer against the truth.
5. Throughput: --clients threads for --seconds on a mixed workload of every class, per backend.
6. Pages over HTTP: listings (first, middle, last, deep, filtered), credit files, home.
7. Index lag: outbox changes applied per second on each backend, and search latency while a
   separate process drains them. Worker RSS after the run.
Results: bench/out/search_bench_result.json and a Markdown report printed (and copied into
bench/README.md by hand, with the load conditions of the run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import os
import random
import re
import signal
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
sys.path.insert(0, str(ROOT / "bench"))

import search_data as data  # noqa: E402
from search_data import OUT, log  # noqa: E402
from sqlalchemy import text  # noqa: E402

from portal import clock  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.search import backend as search_backend  # noqa: E402
from portal.search.backend import LICENSE, PENALTY, RECORD_CAP, SUBJECT  # noqa: E402
from portal.search.code_search import CodeSearch, code_prefix  # noqa: E402
from portal.search.documents import all_docs  # noqa: E402
from portal.search.query import SearchQuery, parse, text_segments  # noqa: E402
from portal.services.public_search.search import PAGE_SIZE, SUBJECT_LIMIT  # noqa: E402

RESULT_PATH = OUT / "search_bench_result.json"
RECORD_TYPES = (LICENSE, PENALTY)
SERVER_START_TIMEOUT_S = 180
PEER_TIMEOUT_MS = 1_000  # a peer's query taking longer is stopped and counted as an error
WARMUP = 5
PAGE_WARMUP = 6  # untimed requests per page kind before its timed ones
TARGETS = {"embedded_p95": 30.0, "postgres_p95": 50.0, "rps": 200.0, "page_p95": 100.0, "home_p95": 50.0}


def pct(values: list[float], p: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(value: float) -> str:
    return "—" if value is None or math.isnan(value) else (f"{value:.1f}" if value < 100 else f"{value:.0f}")


# -- queries -------------------------------------------------------------------------------------


@dataclass
class QueryClass:
    label: str
    queries: list[str]
    warmup: list[str]


def _distinct(draw, n: int, tries: int = 200) -> list[str]:
    out: dict[str, None] = {}
    for _ in range(n * tries):
        if len(out) >= n:
            break
        q = draw()
        if q:
            out[q] = None
    return list(out)


def make_classes(n: int, seed: int, docs: Corpus) -> list[QueryClass]:
    rng = random.Random(f"search-bench:{seed}")
    names = [name for name in docs.names.values() if len(name) >= 4]
    penalty_texts = [t for (kind, _), t in docs.texts.items() if kind == PENALTY]
    codes = list(docs.subject_codes)
    doc_nos = list(docs.raw_doc_nos)

    def name_part(k: int):
        def draw():
            name = rng.choice(names)
            start = rng.randrange(len(name) - k + 1)
            return name[start : start + k]

        return draw

    def text_word():
        segments = [s for s in text_segments(rng.choice(penalty_texts)) if len(s) >= 2]
        if not segments:
            return None
        segment = rng.choice(segments)
        k = rng.randint(2, min(4, len(segment)))
        start = rng.randrange(len(segment) - k + 1)
        return segment[start : start + k]

    counts: dict[str, int] = {}
    for name in rng.sample(names, min(len(names), 30_000)):
        for k in (2, 3, 4):
            for i in range(len(name) - k + 1):
                counts[name[i : i + k]] = counts.get(name[i : i + k], 0) + 1
    common = sorted(counts, key=counts.get, reverse=True)

    mixed_pattern = re.compile(r"[0-9a-z]+[\u4e00-\u9fff]{1,3}|[\u4e00-\u9fff]{1,3}[0-9a-z]+")

    def mixed():
        found = mixed_pattern.findall(rng.choice(penalty_texts))
        return rng.choice(found)[:8] if found else None

    from zhconv import convert

    def folded():
        base = name_part(rng.choice((3, 4)))() if rng.random() < 0.5 else text_word()
        if not base:
            return None
        variant = convert(base, "zh-hant")
        variant = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in variant)  # full width
        return variant if variant != base else None

    chars = sorted({c for name in names[:5000] for c in name})

    def no_hit():
        q = "".join(rng.choice(chars) for _ in range(rng.choice((3, 4))))
        return q if not docs.anywhere(q) else None

    classes = {
        "name 2-char": name_part(2),
        "name 3-4-char": lambda: name_part(rng.choice((3, 4)))(),
        "common words": None,
        "USCC": lambda: rng.choice(codes),
        "文书号": lambda: rng.choice(doc_nos),
        "full text 2-4": text_word,
        "no-hit": no_hit,
        "mixed script": mixed,
        "folded": folded,
    }
    out = []
    for label, draw in classes.items():
        if draw is None:
            drawn = common[: n + WARMUP]
            warm, timed = drawn[n:], drawn[:n]
        else:
            drawn = _distinct(draw, n + WARMUP)
            warm, timed = drawn[:WARMUP], drawn[WARMUP:]
        out.append(QueryClass(label, timed, warm))
        log(f"queries: {label}: {len(timed)} timed + {len(warm)} warm-up, e.g. {timed[:3]}")
    return out


# -- truth: a brute-force scan -------------------------------------------------------------------


class Corpus:
    """The documents the portal indexes, in memory, for a substring scan in newest-first order."""

    def __init__(self, today: dt.date):
        self.names: dict[int, str] = {}
        self.subject_codes: dict[str, int] = {}
        self.texts: dict[tuple[str, int], str] = {}
        self.record_subjects: dict[tuple[str, int], int] = {}
        self.codes: dict[str, list[tuple[str, int]]] = {}
        self.raw_doc_nos: list[str] = []
        dated = []
        for doc in all_docs(today):
            if doc.type == SUBJECT:
                self.names[doc.entity_id] = doc.name
                if doc.code:
                    self.subject_codes[doc.code] = doc.entity_id
            else:
                self.texts[(doc.type, doc.entity_id)] = doc.text
                self.record_subjects[(doc.type, doc.entity_id)] = doc.subject_id
                dated.append((doc.decided_on or dt.date.min, doc.entity_id, doc.type))
                if doc.code:
                    self.codes.setdefault(doc.code, []).append((doc.type, doc.entity_id))
        dated.sort(reverse=True)
        self.order = [(t, i) for _, i, t in dated]
        self.dates = {(t, i): d for d, i, t in dated}
        self.blob = "\x00".join(self.texts[key] for key in self.order)
        self.starts = []
        position = 0
        for key in self.order:
            self.starts.append(position)
            position += len(self.texts[key]) + 1
        self.name_ids = list(self.names)
        self.codes_of = {subject_id: code for code, subject_id in self.subject_codes.items()}
        self.name_blob = "\x00".join(self.names[i] for i in self.name_ids)
        self.name_starts, position = [], 0
        for i in self.name_ids:
            self.name_starts.append(position)
            position += len(self.names[i]) + 1

    def doc_nos(self, con: sqlite3.Connection, n: int, rng: random.Random) -> None:
        ids = [i for kind, i in self.order if kind == PENALTY]
        for i in rng.sample(ids, min(n, len(ids))):
            self.raw_doc_nos.append(con.execute("SELECT doc_no FROM penalties WHERE id = ?", (i,)).fetchone()[0])

    def anywhere(self, word: str) -> bool:
        return word in self.name_blob or word in self.blob

    def _positions(self, blob: str, word: str):
        start = blob.find(word)
        while start != -1:
            yield start
            start = blob.find(word, start + 1)

    def subject_truth(self, q: SearchQuery) -> int:
        """How many subjects the query names (a code, or a name containing the query)."""
        import bisect

        if q.code and q.code in self.subject_codes:
            return 1
        return len({bisect.bisect_right(self.name_starts, at) - 1 for at in self._positions(self.name_blob, q.name)})

    def is_subject_hit(self, q: SearchQuery, subject_id: int) -> bool:
        return (q.code is not None and self.subject_codes.get(q.code) == subject_id) or q.name in self.names.get(
            subject_id, "\x00"
        )

    def is_record_hit(self, q: SearchQuery, key: tuple[str, int]) -> bool:
        if key in self.codes.get(q.doc_no, ()):
            return True
        prefix = code_prefix(q)
        if prefix:  # a USCC (or its beginning) names subjects: their records are what it finds
            return self.codes_of.get(self.record_subjects.get(key, -1), "").startswith(prefix)
        words = q.text_segments
        body = self.texts.get(key)
        return bool(words) and body is not None and all(w in body for w in words)

    def record_truth(self, q: SearchQuery, k: int) -> list[dt.date]:
        """Dates of the newest true hits, at most k of them (exact 文书号 hits first, undated)."""
        import bisect

        dates = [dt.date.max] * len(self.codes.get(q.doc_no, ()))
        words = sorted(q.text_segments, key=len, reverse=True)
        if not words:
            return dates[:k]
        seen: set[int] = set()
        for at in self._positions(self.blob, words[0]):
            if len(dates) >= k:
                break
            n = bisect.bisect_right(self.starts, at) - 1
            if n in seen:
                continue
            seen.add(n)
            key = self.order[n]
            if key not in self.codes.get(q.doc_no, ()) and all(w in self.texts[key] for w in words[1:]):
                dates.append(self.dates[key])
        return dates[:k]


@dataclass
class Score:
    times: list[float] = field(default_factory=list)
    errors: int = 0
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    first_error: str = ""

    def summary(self) -> dict:
        return {
            "n": len(self.times),
            "p50": pct(self.times, 50),
            "p95": pct(self.times, 95),
            "p99": pct(self.times, 99),
            "errors": self.errors,
            "precision": min(self.precision) if self.precision else math.nan,
            "recall": min(self.recall) if self.recall else math.nan,
            "mean_recall": sum(self.recall) / len(self.recall) if self.recall else math.nan,
            "first_error": self.first_error,
        }


def judge(corpus: Corpus, q: SearchQuery, subject_total: int, dates: list[dt.date], subjects, records, k: int):
    """(precision, recall) of one answer: subjects (at most SUBJECT_LIMIT) and the first k records.

    `dates`: the dates of the newest true hits (from Corpus.record_truth with the largest k)."""
    returned = len(subjects) + len(records)
    true_subjects = sum(corpus.is_subject_hit(q, s) for s in subjects)
    true_records = [r for r in records if corpus.is_record_hit(q, r)]
    precision = (true_subjects + len(true_records)) / returned if returned else 1.0
    expected_records = min(len(dates), k)
    boundary = dates[expected_records - 1] if expected_records else None
    exact = corpus.codes.get(q.doc_no, ())
    # A record counts towards recall when it is true and at least as new as the k-th newest true hit.
    covered = sum(1 for r in true_records if r in exact or boundary is None or corpus.dates[r] >= boundary)
    expected_subjects = min(subject_total, SUBJECT_LIMIT)
    got = min(true_subjects, expected_subjects) + min(covered, expected_records)
    expected = expected_subjects + expected_records
    return precision, (got / expected if expected else 1.0)


# -- systems -------------------------------------------------------------------------------------


class System:
    label: str
    http: bool = False

    def run(self, q: str) -> tuple[list[int], list[tuple[str, int]]]:
        raise NotImplementedError


class Direct(System):
    """A portal engine in-process: the backend's subjects() and records(), like the peers; for a USCC
    (or its beginning) the code search the portal answers it with instead (portal.search.code_search)."""

    def __init__(self, label: str, backend: str, args):
        self.label, self.app = label, data.app_for(backend, args.records, args.seed, args.postgres)
        self.ctx = self.app.app_context()
        self.ctx.push()
        self.engine = search_backend()
        self.postgres = backend == "postgres"
        self.ctx.pop()

    def run(self, q: str):
        with self.app.app_context():
            query = parse(q)
            prefix = code_prefix(query)
            engine = CodeSearch(prefix) if prefix else self.engine
            try:
                subjects = engine.subjects(query, SUBJECT_LIMIT)
                records = engine.records(query, RECORD_TYPES, RECORD_CAP)
            finally:
                if self.postgres:
                    db.session.rollback()
            return subjects, [(h.type, h.entity_id) for h in records]


class PeerFts5(System):
    """SQLite FTS5 with its trigram tokenizer (stdlib sqlite3); 2-character terms fall back to LIKE."""

    label = "FTS5 trigram"

    def __init__(self):
        self.con = sqlite3.connect(f"file:{data.PEER_FTS_PATH}?mode=ro", uri=True, check_same_thread=False)
        self.like = "{}" if self._short_like_ok() else "+{}"
        self.deadline = 0.0
        # Stops a query past PEER_TIMEOUT_MS (sqlite3 raises OperationalError: interrupted).
        self.con.set_progress_handler(lambda: time.perf_counter() > self.deadline, 10_000)

    @staticmethod
    def _short_like_ok() -> bool:
        con = sqlite3.connect(":memory:")
        con.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        con.execute("INSERT INTO t VALUES ('宁波恒达建筑')")
        ok = con.execute("SELECT count(*) FROM t WHERE x LIKE '%恒达%'").fetchone()[0] == 1
        con.close()
        return ok

    def _where(self, col: str, table: str, terms: list[str]) -> tuple[str, list]:
        long, short = [t for t in terms if len(t) >= 3], [t for t in terms if len(t) < 3]
        parts, params = [], []
        if long:
            parts.append(f"{table} MATCH ?")
            params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long))
        for t in short:
            parts.append(f"{self.like.format(col)} LIKE ?")
            params.append(f"%{t}%")
        return " AND ".join(parts), params

    def run(self, q: str):
        self.deadline = time.perf_counter() + PEER_TIMEOUT_MS / 1000
        query = parse(q)
        subjects = []
        if query.code:
            subjects = [
                r[0]
                for r in self.con.execute(
                    "SELECT entity_id FROM codes WHERE code = ? AND type = ?", (query.code, SUBJECT)
                )
            ]
        if not subjects:
            where, params = self._where("name", "subject_fts", [query.name])
            subjects = [
                r[0]
                for r in self.con.execute(
                    f"SELECT rowid FROM subject_fts WHERE {where} LIMIT ?", (*params, SUBJECT_LIMIT)
                )
            ]
        records = [
            (t, i)
            for t, i in self.con.execute(
                "SELECT type, entity_id FROM codes WHERE code = ? AND type != ?", (query.doc_no, SUBJECT)
            )
        ]
        if query.text_segments:
            where, params = self._where("text", "record_fts", query.text_segments)
            rows = self.con.execute(
                f"SELECT type, entity_id, decided FROM record_fts WHERE {where} ORDER BY decided DESC LIMIT ?",
                (*params, RECORD_CAP),
            ).fetchall()
            records += [(t, i) for t, i, _ in rows if (t, i) not in records]
        return subjects, records


class PeerPgTrgm(System):
    """PostgreSQL pg_trgm on the same documents: LIKE on trigram GIN indexes, no bigram arrays."""

    label = "pg_trgm"

    def __init__(self, args):
        from sqlalchemy import create_engine

        url = data.pg_url(
            args.postgres,
            data.pg_schema(args.records, args.seed),
            f" -cstatement_timeout={PEER_TIMEOUT_MS} -cplan_cache_mode=force_custom_plan",
        )
        self.engine = create_engine(data.normalise_database_url(url))

    def run(self, q: str):
        query = parse(q)
        like = "%" + query.name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self.engine.connect() as conn:
            try:
                subjects = []
                if query.code:
                    subjects = list(
                        conn.execute(
                            text("SELECT entity_id FROM search_documents WHERE code = :c AND type = 'subject'"),
                            {"c": query.code},
                        ).scalars()
                    )
                if not subjects:
                    subjects = list(
                        conn.execute(
                            text(
                                "SELECT entity_id FROM search_documents WHERE type = 'subject'"
                                " AND name_norm LIKE :p LIMIT :n"
                            ),
                            {"p": like, "n": SUBJECT_LIMIT},
                        ).scalars()
                    )
                exact = text("SELECT type, entity_id FROM search_documents WHERE code = :c AND type != 'subject'")
                records = [tuple(r) for r in conn.execute(exact, {"c": query.doc_no})]
                if query.text_segments:
                    conditions = " AND ".join(f"text_norm LIKE :w{i}" for i in range(len(query.text_segments)))
                    params = {f"w{i}": f"%{w}%" for i, w in enumerate(query.text_segments)}
                    rows = conn.execute(
                        text(
                            f"SELECT type, entity_id FROM search_documents WHERE type != 'subject' AND {conditions}"
                            " ORDER BY decided_on DESC, entity_id DESC LIMIT :cap"
                        ),
                        {**params, "cap": RECORD_CAP},
                    )
                    records += [tuple(r) for r in rows if tuple(r) not in records]
                return subjects, records
            finally:
                conn.rollback()


class Http(System):
    """The portal over HTTP: GET /api/v1/search?type=all under gunicorn -w 2 (the whole request)."""

    http = True

    def __init__(self, label: str, backend: str, args):
        self.label, self.backend = label, backend
        self.port = free_port()
        self.proc = start_gunicorn(
            self.port, data.server_env(backend, args.records, args.seed, args.postgres), OUT / f"gunicorn_{backend}.log"
        )
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.ids_by_ref: dict[str, int] = {}

    def get(self, path: str) -> tuple[int, bytes]:
        path = quote(path, safe="/?&=%.-_~+")  # Chinese filter values in page URLs
        for attempt in (1, 2):
            try:
                self.conn.request("GET", path)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (OSError, http.client.HTTPException):
                self.conn.close()  # gunicorn's sync workers close after each response: reconnect once
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def run(self, q: str):
        status, body = self.get("/api/v1/search?" + urlencode({"q": q, "type": "all"}))
        if status != 200:
            raise RuntimeError(f"HTTP {status}")
        payload = json.loads(body)
        subjects = [self.ids_by_ref.get(s.get("uscc") or s["ref"], -1) for s in payload["subjects"]]
        return subjects, [(r["type"], r["id"]) for r in payload["records"]]

    def worker_rss_mb(self) -> list[float]:
        return [rss_mb(pid) for pid in children(self.proc.pid)]

    def stop(self) -> None:
        stop_gunicorn(self.proc)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, env: dict, logpath: Path, workers: int = 2) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "wsgi:app"]
    help_text = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--help"], capture_output=True, text=True, check=False
    ).stdout
    if "--no-control-socket" in help_text:  # gunicorn >= 24 shares ~/.gunicorn between instances otherwise
        command.insert(-1, "--no-control-socket")
    with open(logpath, "wb") as logfile:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {logpath}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/api/v1/search?q=%E5%AE%81%E6%B3%A2&type=subject")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    stop_gunicorn(proc)
    raise RuntimeError(f"gunicorn did not answer within {SERVER_START_TIMEOUT_S} s; see {logpath}")


def stop_gunicorn(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


# -- runs ----------------------------------------------------------------------------------------


def latency(systems: list[System], classes: list[QueryClass], corpus: Corpus, save) -> dict:
    for qc in classes:  # warm-up: drawn apart, never timed
        for q in qc.warmup:
            for system in systems:
                try:
                    system.run(q)
                except Exception:
                    pass
    results: dict[str, dict[str, Score]] = {s.label: {} for s in systems}
    turn = 0
    for qc in classes:
        scores = {s.label: Score() for s in systems}
        for q in qc.queries:
            query = parse(q)
            subject_total, dates = corpus.subject_truth(query), corpus.record_truth(query, RECORD_CAP)
            turn += 1
            for j in range(len(systems)):
                system = systems[(turn + j) % len(systems)]
                score = scores[system.label]
                started = time.perf_counter()
                try:
                    subjects, records = system.run(q)
                except Exception as e:  # counted, with its time
                    score.times.append((time.perf_counter() - started) * 1000)
                    score.errors += 1
                    score.first_error = score.first_error or f"{q!r}: {type(e).__name__}: {str(e)[:200]}"
                    continue
                score.times.append((time.perf_counter() - started) * 1000)
                k = PAGE_SIZE if system.http else RECORD_CAP
                precision, recall = judge(corpus, query, subject_total, dates, subjects, records, k)
                score.precision.append(precision)
                score.recall.append(recall)
        for label, score in scores.items():
            results[label][qc.label] = score
            s = score.summary()
            log(
                f"{label:22} {qc.label:14} p50 {ms(s['p50'])} p95 {ms(s['p95'])} p99 {ms(s['p99'])}"
                f" errors {s['errors']} precision {s['precision']:.3f} recall {s['recall']:.3f}"
            )
        save({label: {c: s.summary() for c, s in by_class.items()} for label, by_class in results.items()})
    return {label: {c: s.summary() for c, s in by_class.items()} for label, by_class in results.items()}


def throughput(port: int, queries: list[str], clients: int, seconds: float) -> dict:
    done, errors, latencies = [0] * clients, [0] * clients, [[] for _ in range(clients)]
    gate = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        k = i * 997
        gate.wait()
        while time.perf_counter() < deadline[0]:
            path = "/api/v1/search?" + urlencode({"q": queries[k % len(queries)], "type": "all"})
            k += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                ok = False
            latencies[i].append((time.perf_counter() - started) * 1000)
            if ok:
                done[i] += 1
            else:
                errors[i] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    started = time.perf_counter()
    deadline[0] = started + seconds
    gate.wait()
    for t in threads:
        t.join(timeout=seconds + 120)
    elapsed = time.perf_counter() - started
    flat = [x for lat in latencies for x in lat]
    return {"rps": sum(done) / elapsed, "answered": sum(done), "errors": sum(errors), "p95": pct(flat, 95)}


def page_paths(system: Http, corpus: Corpus, rng: random.Random, n: int) -> dict[str, list[str]]:
    """The listing pages a visitor reaches, found by following the pages' own links."""
    paths: dict[str, list[str]] = {"home": ["/"] * n}
    for kind in ("licenses", "penalties"):
        status, body = system.get(f"/{kind}")
        html = body.decode()
        links = dict(re.findall(r'<a href="([^"]+)" rel="(last|next)"', html))
        by_rel = {rel: href.replace("&amp;", "&") for href, rel in links.items()}
        paths[f"{kind} first"] = [f"/{kind}"] * n
        if "last" in by_rel:
            paths[f"{kind} last"] = [by_rel["last"]] * n
        pages = [int(p) for p in re.findall(r"[?&]page=(\d+)", html)]
        top = max(pages) if pages else 1
        paths[f"{kind} numbered pages"] = [f"/{kind}?page={rng.randint(1, top)}" for _ in range(n)]
        paths[f"{kind} next pages"] = [by_rel.get("next", f"/{kind}")] * n
    paths["penalties filtered"] = [f"/penalties?region=330212&category={c}" for c in ("罚款", "警告")] * (n // 2)
    paths["licenses filtered"] = ["/licenses?category=普通&date_from=2024-01-01"] * n
    for kind in ("penalties", "licenses"):
        paths[f"{kind} filters, each new"] = new_filters(kind, n)
    refs = [code for code in corpus.subject_codes]
    paths["credit file"] = [f"/subjects/{rng.choice(refs)}" for _ in range(n)]
    return paths


def new_filters(kind: str, n: int) -> list[str]:
    """`n` distinct filters a visitor might set, none counted before (a listing caches its count
    per filter): rare and common authorities, whole or in part, districts (and one with no
    subjects), categories, months, and combinations; the same for every system."""
    from portal.rules.categories import LICENSE_CATEGORIES, PENALTY_CATEGORIES

    rng = random.Random(11)
    con = sqlite3.connect(f"file:{data.DB_PATH}?mode=ro", uri=True)
    authorities = [a for (a,) in con.execute(f"SELECT DISTINCT authority FROM {kind}")]
    regions = [r for (r,) in con.execute("SELECT DISTINCT region_code FROM subjects WHERE region_code != ''")]
    con.close()
    categories = LICENSE_CATEGORIES if kind == "licenses" else PENALTY_CATEGORIES

    def authority() -> str:
        whole = rng.choice(authorities)
        start = rng.randrange(max(1, len(whole) - 3))
        return rng.choice([whole, whole[start : start + 4]])

    choices = {
        "authority": authority,
        "region": lambda: rng.choice(regions + ["330299"]),
        "category": lambda: rng.choice(categories),
        "date_from": lambda: f"{rng.randint(2012, 2026)}-{rng.randint(1, 12):02d}-01",
    }
    found: dict[str, None] = {}
    while len(found) < n:
        args = {name: choices[name]() for name in rng.sample(sorted(choices), rng.randint(1, 2))}
        if "date_from" in args:
            args["date_to"] = args["date_from"][:8] + "28"
        found[f"/{kind}?{urlencode(args)}"] = None
    return list(found)


def pages(system: Http, paths: dict[str, list[str]]) -> dict:
    out = {}
    for label, urls in paths.items():
        for _ in range(PAGE_WARMUP):  # untimed: likely reaches both workers, whose first page loads templates
            system.get(urls[0])
        times, errors = [], 0
        for url in urls:
            started = time.perf_counter()
            try:
                status, _ = system.get(url)
                errors += status != 200
            except (OSError, http.client.HTTPException):
                errors += 1
            times.append((time.perf_counter() - started) * 1000)
        out[label] = {
            "p50": pct(times, 50),
            "p95": pct(times, 95),
            "p99": pct(times, 99),
            "errors": errors,
            "n": len(times),
            "url": urls[0],
        }
        log(
            f"{system.label:22} page {label:26} p50 {ms(out[label]['p50'])} p95 {ms(out[label]['p95'])} errors {errors}"
        )
    return out


def outbox_drain(backend: str, args, changes: int, http_system: Http | None, queries: list[str]) -> dict:
    """Queue `changes` outbox rows for existing records and subjects, drain them in a separate process
    (like `portal index-worker`), and time searches over HTTP meanwhile."""
    from portal.models import SearchOutbox

    app = data.app_for(backend, args.records, args.seed, args.postgres)
    with app.app_context():
        ids = {
            kind: db.session.scalars(
                text(f"SELECT id FROM {table} ORDER BY id DESC LIMIT :n"), {"n": changes // 3}
            ).all()
            for kind, table in (("license", "licenses"), ("penalty", "penalties"), ("subject", "subjects"))
        }
        rows = [{"entity_type": kind, "entity_id": i} for kind, values in ids.items() for i in values]
        for start in range(0, len(rows), 10_000):
            db.session.execute(SearchOutbox.__table__.insert(), rows[start : start + 10_000])
        db.session.commit()
        queued = len(rows)
    idle = search_times(http_system, queries[: len(queries) // 2]) if http_system else []
    worker = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "search_data.py"),
            "--drain",
            backend,
            "--records",
            str(args.records),
            "--seed",
            str(args.seed),
            "--postgres",
            args.postgres,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    during = []
    while worker.poll() is None and http_system:
        during += search_times(http_system, queries[len(queries) // 2 :][len(during) % 50 :][:10])
    out, errors = worker.communicate()
    if worker.returncode != 0:
        raise RuntimeError(errors[-2000:])
    figures = json.loads(out.strip().splitlines()[-1])
    result = {
        "changes": queued,
        "applied": figures["applied"],
        "seconds": figures["seconds"],
        "per_second": figures["applied"] / figures["seconds"],
        "left": figures["left"],
        "dead_rows": figures["dead_rows"],
        "idle_p95": pct(idle, 95),
        "during_p95": pct(during, 95),
        "during_n": len(during),
    }
    log(
        f"outbox {backend}: {figures['applied']:,} changes in {figures['seconds']:.1f} s ="
        f" {result['per_second']:,.0f}/s; search p95 idle {ms(result['idle_p95'])}"
        f" during {ms(result['during_p95'])} ms"
    )
    return result


def search_times(system: Http, queries: list[str]) -> list[float]:
    times = []
    for q in queries:
        started = time.perf_counter()
        try:
            system.get("/api/v1/search?" + urlencode({"q": q, "type": "all"}))
        except (OSError, http.client.HTTPException):
            pass
        times.append((time.perf_counter() - started) * 1000)
    return times


# -- report --------------------------------------------------------------------------------------


def report(result: dict) -> str:
    lines = []
    meta = result["meta"]
    lines.append(f"## Search bench: {meta['records']:,} records, {meta['queries']} queries per class, {meta['when']}")
    lines.append("")
    load = f"load average at start {meta['load_start']}, at end {meta['load_end']}"
    lines.append(
        f"Machine: {meta['cores']} cores, {load}."
        f" SQLite {meta['sqlite']} (FTS5 trigram peer), apsw SQLite {meta['apsw_sqlite']} (portal index),"
        f" PostgreSQL {meta['postgres']}."
    )
    lines.append("")
    systems = list(result["latency"])
    lines.append(
        "Latency in ms (p50 / p95 / p99), min precision / min recall over the class, errors. HTTP: GET"
        " /api/v1/search?type=all through gunicorn -w 2 (subjects and the first page of records, checked"
        " against the database); direct: the engine's subjects() + records(cap 1000) in-process."
    )
    lines.append("")
    lines.append("| class | " + " | ".join(systems) + " |")
    lines.append("|---|" + "---|" * len(systems))
    for qc in result["classes"]:
        if not systems or qc not in result["latency"][systems[0]]:
            continue  # not measured (yet)
        cells = []
        for label in systems:
            s = result["latency"][label][qc]
            cells.append(
                f"{ms(s['p50'])} / **{ms(s['p95'])}** / {ms(s['p99'])}<br>P {s['precision']:.3f} R"
                f" {s['recall']:.3f}{'' if not s['errors'] else ' · **' + str(s['errors']) + ' err**'}"
            )
        lines.append(f"| {qc} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("| throughput, mixed workload, 8 clients | searches/s | errors | p95 ms |")
    lines.append("|---|---:|---:|---:|")
    for label, t in result.get("throughput", {}).items():
        lines.append(f"| {label} | {t['rps']:.0f} | {t['errors']} | {ms(t['p95'])} |")
    lines.append("")
    for label, by_page in result.get("pages", {}).items():
        lines.append(f"Pages over HTTP, {label} (p50 / p95 / p99 ms, errors):")
        lines.append("")
        lines.append("| page | example | p50 | p95 | p99 | errors |")
        lines.append("|---|---|---:|---:|---:|---:|")
        for page, s in by_page.items():
            lines.append(
                f"| {page} | `{s['url'][:60]}` | {ms(s['p50'])} | {ms(s['p95'])} | {ms(s['p99'])} | {s['errors']} |"
            )
        lines.append("")
    lines.append("| index build | documents | seconds | peak RSS MB | final disk MB | peak disk MB |")
    lines.append("|---|---:|---:|---:|---:|---:|")
    for label, b in result["builds"].items():
        extra = f" (dead rows after: {b['dead_tuples']})" if "dead_tuples" in b else ""
        lines.append(
            f"| {label}{extra} | {b['docs']:,} | {b['seconds']:.0f} | {b['peak_rss_mb']:.0f} |"
            f" {b['final_mb']:.0f} | {b['peak_disk_mb']:.0f} |"
        )
    lines.append("")
    lines.append(
        "| outbox drain (separate process) | changes | seconds | changes/s | search p95 idle | during"
        " | dead rows after |"
    )
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    for label, o in result.get("outbox", {}).items():
        lines.append(
            f"| {label} | {o['changes']:,} | {o['seconds']:.1f} | {o['per_second']:,.0f} |"
            f" {ms(o['idle_p95'])} | {ms(o['during_p95'])} | {o.get('dead_rows', '–')} |"
        )
    lines.append("")
    lines.append(
        "Worker RSS after the run (MB): "
        + "; ".join(f"{label}: {', '.join(f'{r:.0f}' for r in rss)}" for label, rss in result.get("rss", {}).items())
    )
    return "\n".join(lines)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--pages", type=int, default=40, help="requests per listing page kind")
    parser.add_argument("--outbox", type=int, default=60_000, help="changes queued for the drain measurement")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", default=data.DEFAULT_PG)
    parser.add_argument("--skip-whoosh", action="store_true")
    parser.add_argument("--latency-only", action="store_true", help="skip throughput, pages and index lag")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on the way out
    import apsw

    meta = {
        "records": args.records,
        "queries": args.queries,
        "cores": os.cpu_count(),
        "load_start": load_average(),
        "when": dt.datetime.now().isoformat(timespec="minutes"),
        "sqlite": sqlite3.sqlite_version,
        "apsw_sqlite": apsw.sqlite_lib_version(),
    }
    prepared = data.prepare(args.records, args.seed, args.postgres, not args.skip_whoosh)
    app = data.app_for("sqlite", args.records, args.seed)
    with app.app_context():
        log("truth: loading the documents the portal indexes")
        corpus = Corpus(clock.today())
        corpus.doc_nos(
            sqlite3.connect(f"file:{data.DB_PATH}?mode=ro", uri=True), args.queries * 2, random.Random(args.seed)
        )
        meta["postgres"] = "?"
    classes = make_classes(args.queries, args.seed, corpus)
    http_systems = [
        Http("portal HTTP sqlite (FTS5 bigram)", "sqlite", args),
        Http("portal HTTP postgres", "postgres", args),
    ]
    if not args.skip_whoosh:
        http_systems.append(Http("portal HTTP whoosh", "whoosh", args))
    try:
        for system in http_systems:
            system.ids_by_ref = corpus.subject_codes
        direct = [Direct("portal sqlite direct", "sqlite", args), Direct("portal postgres direct", "postgres", args)]
        if not args.skip_whoosh:
            direct.append(Direct("whoosh direct", "whoosh", args))
        peers = [PeerFts5(), PeerPgTrgm(args)]
        with peers[1].engine.connect() as conn:
            meta["postgres"] = conn.execute(text("SHOW server_version")).scalar()
        systems = [*http_systems, *direct, *peers]
        result = {"meta": meta, "classes": [qc.label for qc in classes], "builds": prepared["builds"], "latency": {}}

        def save(latencies: dict | None = None) -> None:
            """Results so far, after every phase: a run cut short still leaves its figures."""
            if latencies is not None:
                result["latency"] = latencies
            meta["load_end"] = load_average()
            RESULT_PATH.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str))
            (OUT / "search_bench_result.md").write_text(report(result))

        mix = [q for qc in classes for q in qc.warmup]  # the timed queries stay unseen until timed
        random.Random(args.seed).shuffle(mix)
        result["throughput"] = {}
        for system in http_systems if not args.latency_only else ():
            result["throughput"][system.label] = t = throughput(system.port, mix, args.clients, args.seconds)
            log(f"throughput {system.label}: {t['rps']:.0f}/s, {t['errors']} errors")
        save()
        rng = random.Random(args.seed)
        measured = http_systems[: 0 if args.latency_only else 2]  # the SQLite and PostgreSQL deployments
        result["pages"] = {s.label: pages(s, page_paths(s, corpus, rng, args.pages)) for s in measured}
        save()
        result["outbox"] = {s.label: outbox_drain(s.backend, args, args.outbox, s, mix) for s in measured}
        save()
        latency(systems, classes, corpus, save)
        result["rss"] = {s.label: s.worker_rss_mb() for s in http_systems}
        save()
    finally:
        for system in http_systems:
            system.stop()
    print((OUT / "search_bench_result.md").read_text())


if __name__ == "__main__":
    main()
