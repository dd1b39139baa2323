"""The embedded backend: a Whoosh index of character bigrams in PORTAL_SEARCH_INDEX.

Whoosh allows one writer at a time; the indexer serialises writers with a file lock, and this
class only writes inside `apply`/`rebuild`. Each process keeps one searcher and checks the index
generation at most once a second, reopening only when another commit happened: new commits show
up without reopening the index per request.

A rebuild writes a new generation (its own index name in the same directory) and then switches
the CURRENT pointer file atomically; searchers pick the new generation up on their next check.
The pointer also names the generation's id; a directory without a pointer, or a generation that
cannot be opened, is reported by `problem()` and never searched as if it were empty.

Full text is exact: bigram postings find candidates, and each candidate's stored normalised text
must contain every query word (bigrams alone matched "公司宁波" across "…有限公司宁海分公司…").
"""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
from pathlib import Path

from whoosh import index
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.index import IndexError as WhooshIndexError
from whoosh.query import And, Term

from portal.search.backend import RECORD_CAP, SUBJECT, Doc, Hit
from portal.search.query import SearchQuery, bigrams, text_bigrams
from portal.search.sqlite_backend import IndexUnavailable

POINTER = "CURRENT"
REFRESH_SECONDS = 1.0
WRITE_LOCK_TIMEOUT = 30.0
_POINTER = re.compile(rb"(gen[0-9]{1,9})(?: ([0-9a-f]{32}))?")


class _Bigrams(Tokenizer):
    """Whoosh tokenizer emitting the bigrams computed by `split`."""

    def __init__(self, split):
        self.split = split

    def __eq__(self, other):
        return type(self) is type(other) and self.split is other.split

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for i, gram in enumerate(self.split(value)):
            token.text = gram
            token.boost = 1.0
            if positions:
                token.pos = start_pos + i
            yield token


def _schema() -> Schema:
    return Schema(
        key=ID(unique=True, stored=True),
        type=ID(stored=True),
        entity_id=STORED,
        name_exact=ID,
        name=TEXT(analyzer=_Bigrams(bigrams), phrase=False),
        name_norm=STORED,
        code=ID,
        initials=KEYWORD(lowercase=False),  # pinyin initials keys of a subject (NBJ, NBJG, ...)
        # No positions (they made the index 2-3 times larger and slower to build): candidates are
        # checked against the stored text instead.
        text=TEXT(analyzer=_Bigrams(text_bigrams), phrase=False),
        text_norm=STORED,
        decided=NUMERIC(numtype=int, bits=32, sortable=True),
    )


def _fields(doc: Doc) -> dict:
    fields = {"key": doc.key, "type": doc.type, "entity_id": doc.entity_id}
    if doc.name:
        fields.update(name_exact=doc.name, name=doc.name, name_norm=doc.name)
    if doc.code:
        fields["code"] = doc.code
    if doc.initials:
        fields["initials"] = " ".join(doc.initials)
    if doc.text:
        fields.update(text=doc.text, text_norm=doc.text)
    if doc.decided_on:
        fields["decided"] = doc.decided_on.toordinal()
    return fields


class WhooshBackend:
    def __init__(self, directory: str):
        self.dir = Path(directory)
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._ix = None
        self._searcher = None
        self._checked = 0.0

    # -- generations -----------------------------------------------------------------------
    def _pointer(self) -> tuple[str, str | None] | None:
        """(generation, id) named by the pointer file, or None when there is no index."""
        try:
            content = (self.dir / POINTER).read_bytes()
        except FileNotFoundError:
            return None
        found = _POINTER.fullmatch(content.strip())
        if not found:
            raise IndexUnavailable("unreadable: pointer")
        return found[1].decode(), found[2].decode() if found[2] else None

    def _current_generation(self) -> str:
        pointer = self._pointer()
        if pointer is None:
            raise IndexUnavailable("missing")
        return pointer[0]

    def _point_to(self, generation: str) -> None:
        tmp = self.dir / f".{POINTER}.{os.getpid()}"
        tmp.write_text(f"{generation} {uuid.uuid4().hex}")
        os.replace(tmp, self.dir / POINTER)

    def _open(self):
        generation = self._current_generation()
        if generation != self._generation or self._ix is None:
            try:
                self._ix = index.open_dir(self.dir, indexname=generation)
            except (OSError, WhooshIndexError, EOFError, ValueError) as e:
                self._ix = None
                raise IndexUnavailable(f"unreadable: {type(e).__name__}") from None
            if "initials" not in self._ix.schema:  # built before pinyin initials: rebuilt, not searched
                self._ix = None
                raise IndexUnavailable("incomplete")
            self._generation, self._searcher = generation, None
        return self._ix

    def problem(self) -> str | None:
        """Why the index cannot be searched, or None when it can."""
        try:
            self.searcher().doc_count_all()
        except IndexUnavailable as e:
            return str(e)
        except Exception as e:  # a damaged segment file: any error Whoosh raises while reading it
            with self._lock:
                self._ix = self._searcher = None
            return f"unreadable: {type(e).__name__}"
        return None

    def index_id(self) -> str | None:
        try:
            pointer = self._pointer()
        except IndexUnavailable:
            return None
        return pointer[1] if pointer else None

    def searcher(self):
        with self._lock:
            now = time.monotonic()
            if self._searcher is None or now - self._checked > REFRESH_SECONDS:
                ix = self._open()
                # Not Searcher.refresh(): reusing segment readers misses new deletions in Whoosh 2.7.
                # The old searcher is left to the garbage collector: another thread may still read it.
                if self._searcher is None or ix.latest_generation() != self._searcher.reader().generation():
                    try:
                        self._searcher = ix.searcher()
                    except (OSError, WhooshIndexError, EOFError, ValueError) as e:
                        self._ix = None
                        raise IndexUnavailable(f"unreadable: {type(e).__name__}") from None
                self._checked = now
            return self._searcher

    # -- reading ---------------------------------------------------------------------------
    @staticmethod
    def _docnums(searcher, field: str, term: str):
        reader = searcher.reader()
        if (field, term) not in reader:
            return []
        return [d for d in reader.postings(field, term).all_ids() if not reader.is_deleted(d)]

    @staticmethod
    def _walk(searcher, field: str, terms: list[str], extra=()):
        """Documents containing every term, rarest term first, in document order."""
        reader = searcher.reader()
        if not terms or any((field, t) not in reader for t in terms):
            return
        ordered = sorted(terms, key=lambda t: reader.doc_frequency(field, t))
        matcher = And([Term(field, t) for t in ordered] + list(extra)).matcher(searcher)
        while matcher.is_active():
            docnum = matcher.id()
            if not reader.is_deleted(docnum):
                yield docnum
            matcher.next()

    @staticmethod
    def _text_query(query: SearchQuery, type_filter):
        """Every bigram of every query word must occur in the text."""
        grams = query.text_bigrams
        return And([Term("text", g) for g in grams] + type_filter) if grams else None

    @staticmethod
    def _leaves_newest_first(searcher):
        """Segment searchers, the latest segments (incremental changes) first; the big segment of a
        rebuild holds records newest first, so walking in this order meets new records early."""
        leaves = searcher.leaf_searchers()
        return list(reversed(leaves)) if leaves else []

    def subjects(self, query: SearchQuery, limit: int) -> list[int]:
        s = self.searcher()
        found: list[int] = []

        def take(docnum) -> bool:
            fields = s.stored_fields(docnum)
            if fields.get("type") == SUBJECT and fields["entity_id"] not in found:
                found.append(fields["entity_id"])
            return len(found) >= limit

        if query.code:
            for docnum in self._docnums(s, "code", query.code):
                take(docnum)
            if found:  # a USCC names one subject; no name can match it better
                return found
        for docnum in self._docnums(s, "name_exact", query.name):
            if take(docnum):
                return found
        reader = s.reader()
        for term in reader.expand_prefix("name_exact", query.name):
            for docnum in self._docnums(s, "name_exact", term):
                if take(docnum):
                    return found
        for docnum in self._walk(s, "name", query.name_bigrams):
            if query.name in s.stored_fields(docnum).get("name_norm", "") and take(docnum):
                return found
        if query.initials:
            for docnum in sorted(self._docnums(s, "initials", query.initials)):
                if take(docnum):
                    return found
        return found

    def records(
        self, query: SearchQuery, types: tuple[str, ...], cap: int = RECORD_CAP, enough: int | None = None
    ) -> list[Hit]:
        s = self.searcher()
        exact: list[Hit] = []
        for docnum in self._docnums(s, "code", query.doc_no):
            fields = s.stored_fields(docnum)
            if fields["type"] in types:
                exact.append(Hit(fields["type"], fields["entity_id"]))
        words = query.text_segments
        found: list[tuple[int, int, Hit]] = []
        # Type by type: the index holds each type's records newest first, one type after the other.
        for type_ in types:
            text_query = self._text_query(query, [Term("type", type_)])
            found += self._newest(s, text_query, words, cap) if text_query is not None else []
        found.sort(key=lambda item: item[:2], reverse=True)
        return exact + [h for _, _, h in found[:cap] if h not in exact]

    def _newest(self, searcher, text_query, words: list[str], cap: int) -> list[tuple[int, int, Hit]]:
        """(decided, id, hit) of the first `cap` documents matching `text_query` whose stored text
        contains every word, walking the newest segments first."""
        found = []
        for leaf, _offset in self._leaves_newest_first(searcher):
            reader = leaf.reader()
            if not reader.doc_count_all():
                continue
            matcher = text_query.matcher(leaf)
            decided = reader.column_reader("decided")
            while matcher.is_active() and len(found) < cap:
                docnum = matcher.id()
                if not reader.is_deleted(docnum):
                    fields = reader.stored_fields(docnum)
                    if all(word in fields.get("text_norm", "") for word in words):
                        hit = Hit(fields["type"], fields["entity_id"])
                        found.append((decided[docnum], hit.entity_id, hit))
                matcher.next()
            if len(found) >= cap:
                break
        return found

    def count(self) -> int:
        return self.searcher().doc_count()

    def has_documents(self) -> bool:
        return self.count() > 0

    # -- writing ---------------------------------------------------------------------------
    def apply(self, upserts: list[Doc], deletes: list[str]) -> None:
        if not upserts and not deletes:
            return
        with self._lock:
            ix = self._open()
        writer = ix.writer(timeout=WRITE_LOCK_TIMEOUT)
        try:
            for key in deletes:
                writer.delete_by_term("key", key)
            for doc in upserts:
                writer.update_document(**_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self._checked = 0.0  # this process sees its own write at once

    def rebuild(self, docs, progress=None) -> int:
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            old = self._pointer()[0]
        except (IndexUnavailable, TypeError):
            old = None
        numbers = [int(p.name.lstrip("_").split("_", 1)[0].removeprefix("gen")) for p in self.dir.glob("*gen*_*.toc")]
        new = f"gen{max([int((old or 'gen0').removeprefix('gen'))] + numbers) + 1}"
        ix = index.create_in(self.dir, _schema(), indexname=new)
        writer = ix.writer(limitmb=512)
        count = 0
        try:
            for doc in docs:
                writer.add_document(**_fields(doc))
                count += 1
                if progress and count % 1000 == 0:
                    progress(1000)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        if progress:
            progress(count % 1000)
        self._point_to(new)
        self._checked = 0.0
        self._remove_generations(keep={old, new})
        return count

    def _remove_generations(self, keep: set[str]) -> None:
        """Drop generations older than the previous one (searchers may still read the previous)."""
        for path in self.dir.iterdir():
            name = path.name.lstrip("_")
            generation = name.split("_", 1)[0]
            if generation.startswith("gen") and generation not in keep and path.suffix in (".toc", ".seg"):
                path.unlink(missing_ok=True)
