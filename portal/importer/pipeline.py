"""Validation in a second process while this one writes: the two halves of an import overlap.

Reading and validating a row costs about as much as writing it, and the machine has two cores.
The child (forked, so it needs no pickling of the source) validates chunks and hands them over
through a bounded queue; it never touches the database. If this process dies, the child notices
that its parent changed and exits before its next chunk.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from portal.importer.validate import Problem, RowValidator, ValidRow, is_blank

_QUEUE_DEPTH = 4
_PUT_TIMEOUT = 1.0


@dataclass
class Chunk:
    valid: list[ValidRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0  # non-blank rows seen
    rejected: int = 0
    lines: int = 0  # lines consumed, blank ones included (for progress)


def validate_chunks(validator: RowValidator, rows: Iterable[tuple[int, list]], size: int) -> Iterator[Chunk]:
    """Validated chunks of at most `size` valid rows, in file order."""
    chunk = Chunk()
    for line, cells in rows:
        chunk.lines += 1
        if is_blank(cells):
            continue
        chunk.rows += 1
        valid, problems = validator.validate(cells, line)
        chunk.problems.extend(problems)
        if valid is None:
            chunk.rejected += 1
        else:
            chunk.valid.append(valid)
        # Also by rows seen: a file of nothing but bad rows must not gather all its problems at once.
        if len(chunk.valid) >= size or chunk.rows >= 2 * size:
            yield chunk
            chunk = Chunk()
    yield chunk


def _child(validator, rows, size, out, parent_pid) -> None:
    # The child holds copies of the parent's database sockets: when the parent dies, the child must
    # exit at once, or the server keeps the dead import's transaction (and its row locks) open.
    def put(item) -> bool:
        while os.getppid() == parent_pid:
            try:
                out.put(item, timeout=_PUT_TIMEOUT)
                return True
            except queue.Full:
                continue
        out.cancel_join_thread()  # nobody will read what is still buffered
        return False

    try:
        for chunk in validate_chunks(validator, rows, size):
            if not put(chunk):
                return
        put(None)
    except BaseException:
        put(RuntimeError("import validation failed:\n" + traceback.format_exc()))


def validate_in_child(validator: RowValidator, rows: Iterable[tuple[int, list]], size: int) -> Iterator[Chunk]:
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue(maxsize=_QUEUE_DEPTH)
    child = ctx.Process(target=_child, args=(validator, rows, size, out, os.getpid()), daemon=True)
    child.start()
    try:
        while True:
            try:
                item = out.get(timeout=5)
            except queue.Empty:
                if not child.is_alive():
                    raise RuntimeError(f"import validation process ended unexpectedly ({child.exitcode})") from None
                continue
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
