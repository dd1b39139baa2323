"""Documents of outbox batches, built here or, for a large backlog, in forked worker processes.

Building documents (reading the rows, presenting and masking them) is most of a drain's time and
is pure Python: one process cannot use a second core. Forked workers each build a batch on their
own database connections while the indexer writes the batches before, in outbox order. Only the
index worker and the sync command fork (PORTAL_INDEX_PROCESSES); a web process never does.
"""

from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import current_app

from portal.extensions import db
from portal.search.backend import Doc
from portal.search.documents import docs_for


@dataclass
class Built:
    """One batch's documents, the keys to remove, and its records' stored presentations."""

    upserts: list[Doc] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    presented: list[dict] = field(default_factory=list)


def build(batch: dict[str, list[int]], today: dt.date) -> Built:
    """The current documents of these entities ({type: ids})."""
    built = Built()
    for entity_type, ids in batch.items():
        docs, gone = docs_for(entity_type, ids, today, built.presented.extend)
        built.upserts += docs
        built.deletes += gone
    return built


Builder = Callable[[Iterable[dict[str, list[int]]], dt.date], Iterator[Built]]

_app = None  # the app a forked worker serves: set in the parent just before the fork


def _start_worker() -> None:
    _app.app_context().push()  # for the worker's life
    for engine in db.engines.values():
        engine.dispose(close=False)  # the parent's pooled connections stay the parent's


def _build_in_worker(batch: dict[str, list[int]], today: dt.date) -> Built:
    try:
        return build(batch, today)
    finally:
        db.session.remove()


@contextmanager
def builders(processes: int) -> Iterator[Builder]:
    """A builder mapping batches to what they build, in order: here, or in `processes` forked workers
    that start on the next batches while the caller writes the first."""
    if processes <= 1:
        yield lambda batches, today: (build(b, today) for b in batches)
        return
    global _app
    _app = current_app._get_current_object()
    db.session.commit()  # nothing of the parent's transaction is carried into the workers
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker)
    try:
        yield lambda batches, today: pool.map(_build_in_worker, batches, itertools.repeat(today))
    finally:
        pool.shutdown(cancel_futures=True)  # a caller that stops early does not wait for the rest
