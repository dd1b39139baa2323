"""The embedded default: an SQLite FTS5 index of positional bigrams, in PORTAL_SEARCH_INDEX.

Every text is split into segments (runs of word characters); each segment becomes its bigrams
followed by its last character alone (`query.index_tokens`). A query word is an FTS5 phrase of its
bigrams, so it matches only where the word occurs inside one segment: exact substring semantics
from the positions, with no candidate to verify and no false hit across "有限公司宁海分公司".

Record rows are numbered so that rowid order is newest first (see `_rank`): a query walks its
phrase postings in rowid order and stops after `cap` rows, with no sort. Subjects' exact names and
prefixes come from a B-tree on the normalised name; substrings from the name phrase index;
pinyin initials (NBJG) from a B-tree on each subject's initials keys, a table of their own, so a
Chinese query never meets them.

The index lives in generation files (gen7.sqlite) named by the POINTER file: a rebuild writes a new
generation and switches the pointer atomically, so searches keep answering from the old one. Each
generation records its own id and whether it was completed; an incomplete, unreadable or missing
generation is reported by `problem()` and never searched as if it were empty.

apsw, not the standard library's sqlite3: FTS5 rows without stored content can be deleted by rowid
only since SQLite 3.43 (contentless_delete), and apsw ships a current SQLite.
"""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

import apsw

from portal.search.backend import LICENSE, PENALTY, RECORD_CAP, SUBJECT, Doc, Hit
from portal.search.query import SearchQuery, index_tokens, phrase

POINTER = "CURRENT.sqlite"
REFRESH_SECONDS = 1.0
BUSY_TIMEOUT_MS = 30_000
FORMAT = "2"  # 2: pinyin initials of subjects; an older generation is rebuilt
_TYPE_BITS = {LICENSE: 0, PENALTY: 1}
_TYPES = {bit: kind for kind, bit in _TYPE_BITS.items()}
_TEXT_TABLES = {LICENSE: "license_text", PENALTY: "penalty_text"}
_NEWEST = 4_000_000  # above every date's ordinal (9999-12-31 is 3,652,059)
_LAST_CHAR = "\U0010ffff"
_GENERATION = re.compile(rb"gen[0-9]{1,9}")

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE subjects(id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT);
CREATE TABLE records(rk INTEGER PRIMARY KEY, ek INTEGER NOT NULL, code TEXT);
CREATE TABLE initials(key TEXT NOT NULL, id INTEGER NOT NULL);
CREATE VIRTUAL TABLE names USING fts5(tokens, content='', contentless_delete=1, tokenize='ascii');
CREATE VIRTUAL TABLE license_text USING fts5(tokens, content='', contentless_delete=1, tokenize='ascii');
CREATE VIRTUAL TABLE penalty_text USING fts5(tokens, content='', contentless_delete=1, tokenize='ascii');
"""
# Built after a rebuild's bulk load: cheaper than keeping them up to date row by row.
INDEXES = """
CREATE INDEX subjects_name ON subjects(name, id);
CREATE INDEX subjects_code ON subjects(code) WHERE code IS NOT NULL;
CREATE INDEX initials_key ON initials(key, id);
CREATE INDEX initials_id ON initials(id);
CREATE UNIQUE INDEX records_ek ON records(ek);
CREATE INDEX records_code ON records(code) WHERE code IS NOT NULL;
"""


class IndexUnavailable(Exception):
    """The index cannot be searched (missing, incomplete or unreadable); the message says why."""


def _entity_key(type_: str, entity_id: int) -> int:
    return (_TYPE_BITS[type_] << 32) | entity_id


def _rank(doc: Doc) -> int:
    """Row number: newest decision first, then the higher id (the order of `records()`)."""
    ordinal = doc.decided_on.toordinal() if doc.decided_on else 0
    return ((_NEWEST - ordinal) << 33) | ((1 << 32) - 1 - doc.entity_id) << 1 | _TYPE_BITS[doc.type]


def _hit(rk: int) -> Hit:
    return Hit(_TYPES[rk & 1], (1 << 32) - 1 - ((rk >> 1) & ((1 << 32) - 1)))


def _match(words: Iterable[str]) -> str:
    return " AND ".join(phrase(w) for w in words)


class SqliteBackend:
    def __init__(self, directory: str):
        self.dir = Path(directory)
        self._local = threading.local()

    # -- generations -------------------------------------------------------------------------
    def _pointer(self) -> str | None:
        try:
            generation = (self.dir / POINTER).read_bytes().strip()
        except FileNotFoundError:
            return None
        if not _GENERATION.fullmatch(generation):
            raise IndexUnavailable("unreadable: pointer")
        return generation.decode()

    def _path(self, generation: str) -> Path:
        return self.dir / f"{generation}.sqlite"

    def _connect(self, path: Path) -> apsw.Connection:
        con = apsw.Connection(str(path), flags=apsw.SQLITE_OPEN_READWRITE)  # never creates a missing file
        con.setbusytimeout(BUSY_TIMEOUT_MS)
        return con

    def _connection(self) -> apsw.Connection:
        """This thread's connection to the current generation (the pointer is checked once a second)."""
        local = self._local
        now = time.monotonic()
        if getattr(local, "con", None) is None or now - local.checked > REFRESH_SECONDS:
            generation = self._pointer()
            if generation is None:
                self._drop_local()
                raise IndexUnavailable("missing")
            if getattr(local, "con", None) is None or generation != local.generation:
                self._drop_local()
                try:
                    con = self._connect(self._path(generation))
                    values = dict(con.execute("SELECT key, value FROM meta"))
                except apsw.Error as e:
                    raise IndexUnavailable(f"unreadable: {e}") from None
                if values.get("complete") != "1" or values.get("format") != FORMAT:
                    con.close()
                    raise IndexUnavailable("incomplete")
                local.con, local.generation, local.index_id = con, generation, values["id"]
            local.checked = now
        return local.con

    def _drop_local(self) -> None:
        con = getattr(self._local, "con", None)
        self._local.con = None
        if con is not None:
            con.close()

    def problem(self) -> str | None:
        """Why the index cannot be searched, or None when it can."""
        try:
            self._connection().execute("SELECT count(*) FROM meta").fetchall()
        except IndexUnavailable as e:
            return str(e)
        except apsw.Error as e:
            self._drop_local()
            return f"unreadable: {e}"
        return None

    def index_id(self) -> str | None:
        try:
            self._connection()
        except IndexUnavailable:
            return None
        return self._local.index_id

    def _rows(self, sql: str, params=()) -> list[tuple]:
        try:
            return self._connection().execute(sql, params).fetchall()
        except apsw.Error as e:
            self._drop_local()  # a damaged file: reopen (and report) next time
            raise IndexUnavailable(f"unreadable: {e}") from e

    # -- reading -----------------------------------------------------------------------------
    def subjects(self, query: SearchQuery, limit: int) -> list[int]:
        found: list[int] = []

        def take(rows) -> bool:
            for (subject_id,) in rows:
                if subject_id not in found:
                    found.append(subject_id)
            return len(found) >= limit

        if query.code:
            take(self._rows("SELECT id FROM subjects WHERE code = ? LIMIT ?", (query.code, limit)))
            if found:  # a USCC names one subject; no name can match it better
                return found
        name = query.name
        # The exact name sorts first among the names it begins: exact, then prefix, in one range.
        prefix = "SELECT id FROM subjects WHERE name >= ? AND name < ? ORDER BY name, id LIMIT ?"
        if take(self._rows(prefix, (name, name + _LAST_CHAR, limit))):
            return found[:limit]
        substring = "SELECT rowid FROM names WHERE names MATCH ? ORDER BY rowid LIMIT ?"
        if take(self._rows(substring, (_match([name]), limit + len(found)))):
            return found[:limit]
        if query.initials:
            take(
                self._rows(
                    "SELECT id FROM initials WHERE key = ? ORDER BY id LIMIT ?", (query.initials, limit + len(found))
                )
            )
        return found[:limit]

    def records(
        self, query: SearchQuery, types: tuple[str, ...], cap: int = RECORD_CAP, enough: int | None = None
    ) -> list[Hit]:
        exact = [
            hit
            for (rk,) in self._rows("SELECT rk FROM records WHERE code = ? ORDER BY rk", (query.doc_no,))
            if (hit := _hit(rk)).type in types
        ]
        words = query.text_segments
        if not words:
            return exact
        # One statement for every type: SQLite merges the tables' rowid-ordered matches and stops
        # at the cap, instead of reading `cap` from each.
        sql = " UNION ALL ".join(f"SELECT rowid FROM {_TEXT_TABLES[t]} WHERE {_TEXT_TABLES[t]} MATCH ?1" for t in types)
        ranked = [rk for (rk,) in self._rows(f"{sql} ORDER BY 1 LIMIT ?2", (_match(words), cap))]
        return exact + [h for h in map(_hit, ranked) if h not in exact]

    def count(self) -> int:
        (subjects,), (records,) = self._rows("SELECT count(*) FROM subjects UNION ALL SELECT count(*) FROM records")
        return subjects + records

    def has_documents(self) -> bool:
        return bool(self._rows("SELECT EXISTS(SELECT 1 FROM subjects) OR EXISTS(SELECT 1 FROM records)")[0][0])

    # -- writing -----------------------------------------------------------------------------
    def apply(self, upserts: list[Doc], deletes: list[str]) -> None:
        if not upserts and not deletes:
            return
        con = self._connection()
        keys = [d.key for d in upserts] + deletes
        with con:  # one transaction
            self._remove(con, keys)
            self._insert(con, {d.key: d for d in upserts}.values())

    @staticmethod
    def _remove(con: apsw.Connection, keys: list[str]) -> None:
        subject_ids, entity_keys = [], []
        for key in keys:
            type_, _, entity_id = key.partition(":")
            if type_ == SUBJECT:
                subject_ids.append((int(entity_id),))
            else:
                entity_keys.append(_entity_key(type_, int(entity_id)))
        con.executemany("DELETE FROM names WHERE rowid = ?", subject_ids)
        con.executemany("DELETE FROM initials WHERE id = ?", subject_ids)
        con.executemany("DELETE FROM subjects WHERE id = ?", subject_ids)
        for start in range(0, len(entity_keys), 500):
            chunk = entity_keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows: dict[str, list[tuple[int]]] = {table: [] for table in _TEXT_TABLES.values()}
            for (rk,) in con.execute(f"SELECT rk FROM records WHERE ek IN ({marks})", chunk).fetchall():
                rows[_TEXT_TABLES[_TYPES[rk & 1]]].append((rk,))
            for table, rks in rows.items():
                con.executemany(f"DELETE FROM {table} WHERE rowid = ?", rks)
            con.execute(f"DELETE FROM records WHERE ek IN ({marks})", chunk)

    @staticmethod
    def _insert(con: apsw.Connection, docs: Iterable[Doc]) -> int:
        subjects, names, initials, records = [], [], [], []
        texts: dict[str, list] = {table: [] for table in _TEXT_TABLES.values()}
        for doc in docs:
            if doc.type == SUBJECT:
                subjects.append((doc.entity_id, doc.name, doc.code or None))
                names.append((doc.entity_id, " ".join(index_tokens(doc.name))))
                initials += [(key, doc.entity_id) for key in doc.initials]
            else:
                rk = _rank(doc)
                records.append((rk, _entity_key(doc.type, doc.entity_id), doc.code or None))
                texts[_TEXT_TABLES[doc.type]].append((rk, " ".join(index_tokens(doc.text))))
        con.executemany("INSERT INTO subjects(id, name, code) VALUES (?, ?, ?)", subjects)
        con.executemany("INSERT INTO names(rowid, tokens) VALUES (?, ?)", names)
        con.executemany("INSERT INTO initials(key, id) VALUES (?, ?)", initials)
        con.executemany("INSERT INTO records(rk, ek, code) VALUES (?, ?, ?)", records)
        for table, rows in texts.items():
            con.executemany(f"INSERT INTO {table}(rowid, tokens) VALUES (?, ?)", rows)
        return len(subjects) + len(records)

    def rebuild(self, docs, progress=None) -> int:
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            old = self._pointer()
        except IndexUnavailable:
            old = None
        number = max([int(p.stem.removeprefix("gen")) for p in self.dir.glob("gen*.sqlite")] + [0]) + 1
        new = f"gen{number}"
        path = self._path(new)
        con = apsw.Connection(str(path))
        count = 0
        try:
            # A file that is not switched to is thrown away: no journal needed while building.
            con.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -65536").fetchall()
            con.execute(SCHEMA)
            batch: list[Doc] = []
            for doc in docs:
                batch.append(doc)
                if len(batch) >= 5000:
                    count += self._load(con, batch, progress)
                    batch = []
            count += self._load(con, batch, progress)
            con.execute(INDEXES)
            for table in ("names", *_TEXT_TABLES.values()):
                con.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            con.execute(
                "INSERT INTO meta VALUES ('id', ?), ('format', ?), ('complete', '1')", (uuid.uuid4().hex, FORMAT)
            )
            con.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL").fetchall()
            con.close()
        except BaseException:
            con.close()
            path.unlink(missing_ok=True)
            raise
        tmp = self.dir / f".{POINTER}.{os.getpid()}"
        tmp.write_text(new)
        os.replace(tmp, self.dir / POINTER)
        self._local.checked = 0.0
        self._remove_generations(keep={old, new})
        return count

    def _load(self, con: apsw.Connection, batch: list[Doc], progress) -> int:
        with con:
            count = self._insert(con, batch)
        if progress and count:
            progress(count)
        return count

    def _remove_generations(self, keep: set[str | None]) -> None:
        """Drop generations older than the previous one (searchers may still read the previous)."""
        for path in self.dir.glob("gen*.sqlite*"):
            if path.name.split(".", 1)[0] not in keep:
                path.unlink(missing_ok=True)
