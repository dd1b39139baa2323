"""The shared backend: search documents in a PostgreSQL table, so every app server sees one state.

Names: exact and prefix through a btree on name_norm COLLATE "C" (which also returns a prefix's
names in order, so a common prefix stops after one page), substrings of 3+ characters through a
pg_trgm GIN index, 2-character substrings through a GIN index on the bigram array (trigrams
cannot serve a 2-character pattern); the same holds for 2-character words of record text.
Pinyin initials keys (NBJG) through a GIN index on the array of a subject's keys. Every
pattern is a LIKE on the normalised text, so hits are exact substrings. pg_trgm only makes
trigrams of characters the database's LC_CTYPE calls alphanumeric: C.UTF-8 and zh_CN.UTF-8 do
for Chinese, plain C does not, so the backend checks this once and refuses to run on a database
that would silently find nothing.

Every search runs with plan_cache_mode = force_custom_plan: psycopg prepares a statement after a few
executions, and PostgreSQL's generic plan for it cannot see the pattern, so it scanned the whole
table for rare names and words (measured at 1M documents: 2-character names p50 81 ms instead of
3 ms, full text p95 1.35 s instead of about 0.1 s).
"""

from __future__ import annotations

import datetime as dt
import time
from contextlib import contextmanager

from sqlalchemy import delete, func, literal, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from portal.extensions import db
from portal.models.search import SearchDocument
from portal.search import recency
from portal.search.backend import RECORD_CAP, SUBJECT, Doc, Hit, Truncated
from portal.search.query import SearchQuery
from portal.services.core import plan_settings

D = SearchDocument
TABLE, NEW = "search_documents", "search_documents_new"
COLUMNS = ("key", "type", "entity_id", "subject_id", "name_norm", "code", "text_norm", "decided_on", "initials")
NAME_C = D.name_norm.collate("C")  # matches ix_pg_search_documents_name_c


def _row(doc: Doc) -> dict:
    return {
        "key": doc.key,
        "type": doc.type,
        "entity_id": doc.entity_id,
        "subject_id": doc.subject_id,
        "name_norm": doc.name or None,
        "code": doc.code or None,
        "text_norm": doc.text or None,
        "decided_on": doc.decided_on,
        "initials": " ".join(doc.initials) or None,
    }


# Records read newest first before the GIN lookup; the window of the lookup then reaches back
# WINDOW_MARGIN times as far as the probe's share of matches suggests; the planner's statistics
# are read again after HISTOGRAM_AGE seconds.
PROBE = 4000
# A word with no match among the newest FIRST_PROBE records is rare (under ~1/500 of records, or
# 6 of 1,000 times at 1 %): the full GIN lookup suits it, and the rest of the probe is not read.
# One with at least ORDERED_SHARE of them matching is common, and those 25+ matches tell its share
# well enough: the longer probe (6 ms of the server's time at 1M records) is not read either.
FIRST_PROBE = 500
ORDERED_SHARE = 0.05  # from this share of matches on, reading in order visits under cap / 0.05 records
WINDOW_MARGIN = 2
HISTOGRAM_AGE = 600
# A probe's share of matches predicting PLENTY times the cap lets a page stop at the probe.
PLENTY = 4


@contextmanager
def _plans(**settings: str):
    """Planner settings for one statement of the search's transaction."""
    db.session.execute(text("; ".join(f"SET LOCAL {name} = {value}" for name, value in settings.items())))
    try:
        yield
    finally:
        db.session.execute(text("; ".join(f"SET LOCAL {name} = DEFAULT" for name in settings)))


def _contains(column, terms: list[str]) -> list:
    return [column.contains(term, autoescape=True) for term in terms]


def _bigram_array(value: str):
    return func.portal_bigrams(literal(value))


class PostgresBackend:
    def __init__(self):
        self._checked_ctype = False
        self._reach: tuple[float, list[tuple[dt.date, float]]] | None = None

    def _check_ctype(self) -> None:
        if self._checked_ctype:
            return
        trigrams = db.session.execute(text("SELECT show_trgm('信用')")).scalar()
        if not trigrams:
            raise RuntimeError(
                "数据库的LC_CTYPE不把中文视为字母数字，pg_trgm无法为中文建立三元组；请使用C.UTF-8或zh_CN.UTF-8的数据库"
            )
        self._checked_ctype = True

    @staticmethod
    def _custom_plans() -> None:
        # See the module docstring; and no JIT nor parallel workers (plan_settings.SERIAL).
        plan_settings.set_local(f"SET LOCAL plan_cache_mode = force_custom_plan; {plan_settings.SERIAL}")

    def subjects(self, query: SearchQuery, limit: int) -> list[int]:
        self._check_ctype()
        self._custom_plans()
        found: list[int] = []

        def take(stmt) -> bool:
            for (entity_id,) in db.session.execute(stmt.limit(limit)):
                if entity_id not in found:
                    found.append(entity_id)
            return len(found) >= limit

        base = select(D.entity_id).where(D.type == SUBJECT)
        name = query.name
        if query.code and (take(base.where(D.code == query.code)) or found):
            return found[:limit]
        # The exact name sorts first among the names it begins: exact, then prefix, in one range.
        prefix = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        if take(base.where(NAME_C.like(prefix + "%", escape="\\")).order_by(NAME_C)):
            return found[:limit]
        contains = D.name_norm.contains(name, autoescape=True)
        if len(name) == 2:
            contains = func.portal_bigrams(D.name_norm).op("@>")(_bigram_array(name)) & contains
        if take(base.where(contains)):
            return found[:limit]
        if query.initials:
            # matches ix_pg_search_documents_initials
            keys, wanted = (
                func.string_to_array(value, literal(" ")) for value in (D.initials, literal(query.initials))
            )
            take(base.where(D.initials.is_not(None), keys.op("@>")(wanted)).order_by(D.entity_id))
        return found[:limit]

    def records(
        self, query: SearchQuery, types: tuple[str, ...], cap: int = RECORD_CAP, enough: int | None = None
    ) -> list[Hit]:
        """The records whose text contains every segment, newest first, at most `cap`.

        Collecting every match through the GIN indexes and keeping the newest costs a heap visit
        per match: fine for a rare word, 0.3 s for one in 20% of the records. So the newest
        records are read first, in order (FIRST_PROBE of them, and PROBE when few of those match):
        they answer a common word outright or by reading on in order (1,000 matches of 宁波 are
        among the newest 1,100 records), and the share of them that matches says how far back its
        newest `cap` matches probably reach. The GIN lookup is then limited to records decided
        since that day (the planner's histogram of decision dates tells the day), which visits
        about `cap` matches; only when that window holds fewer than `cap` is it widened to all.

        A page of results needs only its newest `enough`: when the probe's share says that far more
        than `cap` records match, only those are collected (the probe often holds them already) and
        returned as Truncated. Collecting `cap` was most of a common word's time at 1M records: the
        ordered read visits about cap / share records, 15,000 for a word in 6% of them.
        """
        self._check_ctype()
        self._custom_plans()
        exact = [
            Hit(t, i)
            for t, i in db.session.execute(select(D.type, D.entity_id).where(D.code == query.doc_no, D.type.in_(types)))
        ]
        terms = query.text_segments
        if not terms:
            return exact
        depth = FIRST_PROBE
        rows = self._probe(terms, types, cap, depth)
        if rows and len(rows) < ORDERED_SHARE * FIRST_PROBE:
            depth = PROBE
            rows = self._probe(terms, types, cap, depth)
        share = len(rows) / depth
        # Far more than `cap` match: the newest `enough` will do, as Truncated.
        plenty = enough is not None and enough < cap and share * self._records() >= PLENTY * cap
        want = enough if plenty else cap
        if len(rows) < want and share >= ORDERED_SHARE:
            # The newest `want` matches lie within about want / share records: read on in order.
            rows = self._matching(types, _contains(D.text_norm, terms), want, ordered=True)
        elif len(rows) < want:
            conditions = _contains(D.text_norm, terms) + [
                func.portal_bigrams(D.text_norm).op("@>")(_bigram_array(t)) for t in terms if len(t) == 2
            ]
            since = self._decided_since(depth * want * WINDOW_MARGIN // len(rows)) if rows else None
            rows = self._matching(types, [*conditions, D.decided_on >= since], want) if since else []
            if len(rows) < want:  # the window held fewer: every match
                rows = self._matching(types, conditions, want)
        hits = exact + [h for h in rows if h not in exact]
        return Truncated(hits) if plenty and len(rows) >= want else hits

    @staticmethod
    def _probe(terms: list[str], types, cap: int, depth: int) -> list[Hit]:
        """Matches among the newest `depth` records, newest first."""
        recent = (
            select(D.type, D.entity_id, D.text_norm)
            .where(D.decided_on.is_not(None))
            .order_by(D.decided_on.desc(), D.entity_id.desc())
            .limit(depth)
            .subquery()
        )
        stmt = select(recent.c.type, recent.c.entity_id).where(
            recent.c.type.in_(types), *_contains(recent.c.text_norm, terms)
        )
        return [Hit(t, i) for t, i in db.session.execute(stmt.limit(cap))]

    @staticmethod
    def _matching(types, conditions, cap: int, ordered: bool = False) -> list[Hit]:
        """Newest first: `ordered` reads the recency index backwards; otherwise every match is
        collected through bitmaps of the GIN indexes (and of the recency index, for a window)."""
        stmt = (
            select(D.type, D.entity_id)
            .where(D.type.in_(types), D.decided_on.is_not(None), *conditions)
            .order_by(D.decided_on.desc(), D.entity_id.desc())
            .limit(cap)
        )
        plan = {"enable_bitmapscan": "off"} if ordered else {"enable_indexscan": "off"}
        with _plans(**plan, enable_seqscan="off"):
            return [Hit(t, i) for t, i in db.session.execute(stmt)]

    def _reached(self) -> list[tuple[dt.date, float]]:
        """recency.reach of search_documents.decided_on, from the planner's statistics (kept by
        ANALYZE), read again after HISTOGRAM_AGE seconds."""
        now = time.monotonic()
        if self._reach is None or now - self._reach[0] > HISTOGRAM_AGE:
            row = db.session.execute(
                text(
                    "SELECT s.null_frac, s.most_common_vals::text::date[], s.most_common_freqs, "
                    "s.histogram_bounds::text::date[], c.reltuples FROM pg_stats s "
                    "JOIN pg_class c ON c.oid = to_regclass(:t) "
                    "WHERE s.schemaname = current_schema() AND s.tablename = :t AND s.attname = 'decided_on'"
                ),
                {"t": TABLE},
            ).first()
            self._reach = (now, recency.reach(*row) if row else [])
        return self._reach[1]

    def _decided_since(self, depth: int) -> dt.date | None:
        """About the decision date of the `depth`-th newest record (None: further back than the oldest)."""
        return recency.date_at(self._reached(), depth)

    def _records(self) -> float:
        """About how many records the documents hold (0 before the first ANALYZE)."""
        reached = self._reached()
        return reached[-1][1] if reached else 0.0

    def count(self) -> int:
        return db.session.scalar(select(func.count()).select_from(D))

    def has_documents(self) -> bool:
        return db.session.scalar(select(select(D.key).exists()))

    def problem(self) -> str | None:
        """The documents live in the database itself: never missing or unreadable on their own."""
        return None

    def index_id(self) -> str:
        return "postgres"

    def apply(self, upserts: list[Doc], deletes: list[str]) -> None:
        for start in range(0, len(deletes), 5000):  # a statement takes at most 65,535 parameters
            db.session.execute(delete(D).where(D.key.in_(deletes[start : start + 5000])))
        if upserts:
            stmt = pg_insert(D)
            db.session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[D.key],
                    set_={c: stmt.excluded[c] for c in COLUMNS[1:]},
                ),
                [_row(d) for d in {d.key: d for d in upserts}.values()],
            )
        db.session.commit()

    def rebuild(self, docs, progress=None) -> int:
        """Load a new table with COPY, build its indexes once, then swap it in.

        Searches read the old table until the swap's short exclusive lock; nothing is deleted row
        by row, so no dead tuples are left behind, and the disk holds at most two copies. The new
        table is written on a connection of its own: `docs` reads the database on the session's.
        """
        with db.engine.connect() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar()
            indexes = conn.execute(
                text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = :s AND tablename = :t"),
                {"s": schema, "t": TABLE},
            ).all()
            conn.execute(text(f"DROP TABLE IF EXISTS {NEW}"))
            conn.execute(text(f"CREATE TABLE {NEW} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"))
            count = 0
            cursor = conn.connection.driver_connection.cursor()
            with cursor, cursor.copy(f"COPY {NEW} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for doc in docs:
                    row = _row(doc)
                    copy.write_row([row[c] for c in COLUMNS])
                    count += 1
                    if progress and count % 5000 == 0:
                        progress(5000)
            if progress:
                progress(count % 5000)
            db.session.commit()  # the session's reads hold a lock the swap must wait for
            for name, definition in indexes:
                definition = definition.replace(f" ON {schema}.{TABLE} ", f" ON {schema}.{NEW} ", 1)
                conn.execute(text(definition.replace(f"INDEX {name} ON", f"INDEX {name}_new ON", 1)))
            primary_key = f"pk_{TABLE}_new"
            conn.execute(text(f"ALTER TABLE {NEW} ADD CONSTRAINT {primary_key} PRIMARY KEY USING INDEX {primary_key}"))
            conn.execute(text(f"ANALYZE {NEW}"))
            conn.execute(text(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE"))
            conn.execute(text(f"DROP TABLE {TABLE}"))
            conn.execute(text(f"ALTER TABLE {NEW} RENAME TO {TABLE}"))
            for name, _ in indexes:
                conn.execute(text(f'ALTER INDEX "{name}_new" RENAME TO "{name}"'))
            conn.commit()
        return count
