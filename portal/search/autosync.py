"""A background thread per web process that applies the search outbox every few seconds.

Every worker runs one; the indexer lock lets one of them work while the others skip, so a change
reaches the index within seconds whichever worker or machine made it. `kick` wakes the thread
at once after a request that changed published data.

No index write runs inside a request: a request only sets an event (`kick`). The thread still
shares its process's CPU and GIL with the requests it serves (presenting and masking a change
costs ~0.2 ms), so production sets PORTAL_SEARCH_AUTOSYNC=0 and runs `portal index-worker`, which
looks at the outbox every second; `kick` is then a no-op. This thread is the embedded default
(`make run`, tests).
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 2.0


class _Syncer:
    def __init__(self, app: Flask):
        self.app = app
        self.wake = threading.Event()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self.stopping = False

    def start(self) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="search-autosync", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        from portal.extensions import db
        from portal.search import indexer

        while not self.stopping:
            self.wake.wait(INTERVAL_SECONDS)
            self.wake.clear()
            if self.stopping:
                return
            with self.app.app_context():
                try:
                    indexer.sync(wait=False)
                except Exception:  # keep the thread alive; the next round retries
                    log.exception("search outbox sync failed")
                finally:
                    db.session.remove()

    def stop(self) -> None:
        """End the thread after its current round (an app that is thrown away, as in tests)."""
        self.stopping = True
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout=60)


def init_app(app: Flask) -> None:
    if not app.config["PORTAL_SEARCH_AUTOSYNC"]:
        return
    syncer = _Syncer(app)
    app.extensions["search_autosync"] = syncer
    app.before_request(syncer.start)


def kick(app: Flask) -> None:
    syncer = app.extensions.get("search_autosync")
    if syncer is not None:
        syncer.wake.set()
