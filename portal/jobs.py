"""Long jobs outside the web workers: web imports, and the previews of large import files.

- Production: PORTAL_QUEUE_URL=redis://... (the Redis the rate limits already use). Jobs go to an RQ
  queue (PORTAL_QUEUE_NAME, default `portal`); `flask --app wsgi portal worker` runs them.
- Embedded default (no Redis): each job runs in a process of its own (`python -m portal.job_process`),
  started from the web process in a new session, so a web worker that is killed or recycled does not
  take the job along. Nothing else to start: `make run` works as it is.

Either way a job has PORTAL_JOB_TIMEOUT seconds. A job that dies halfway stops its heartbeat, and
`web_import.sweep_stale()` marks its run failed; it can be started again (imports are idempotent).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable

from flask import Flask, current_app, has_app_context

CONFIG_ENV = "PORTAL_JOB_CONFIG"
# Filled by the services that own the jobs (web_import registers its two at import).
_JOBS: dict[str, Callable[..., None]] = {}


def register(name: str, body: Callable[..., None]) -> None:
    _JOBS[name] = body


def enqueue(name: str, *args: str | int | None) -> None:
    """Run job `name` with `args` outside this process; returns at once."""
    if name not in _JOBS:
        raise ValueError(f"unknown job {name!r}")
    config = current_app.config
    if config["PORTAL_QUEUE_URL"]:
        _queue().enqueue(run, name, *args, job_timeout=config["PORTAL_JOB_TIMEOUT"], failure_ttl=7 * 24 * 3600)
        return
    env = {**os.environ, CONFIG_ENV: json.dumps(_portable_config(current_app))}
    child = subprocess.Popen(
        [sys.executable, "-m", "portal.job_process", name, *("" if a is None else str(a) for a in args)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    threading.Thread(target=child.wait, name=f"reap-{name}-{child.pid}", daemon=True).start()


def _portable_config(app: Flask) -> dict:
    """The settings a job process needs to build the same app (tests configure apps in code)."""
    plain = (str, int, float, bool, type(None))
    return {k: v for k, v in app.config.items() if k.isupper() and isinstance(v, plain)}


def _queue():
    from redis import Redis
    from rq import Queue

    config = current_app.config
    return Queue(config["PORTAL_QUEUE_NAME"], connection=Redis.from_url(config["PORTAL_QUEUE_URL"]))


def run(name: str, *args) -> None:
    """The body of every job, in an RQ work horse or a job process, inside an app context."""
    if not has_app_context():
        raise RuntimeError("jobs run inside the portal's app context")
    from portal.extensions import db

    db.engine.dispose(close=False)  # connections inherited from a forking parent stay with it
    try:
        _JOBS[name](*args)
    finally:
        db.session.remove()


def work(burst: bool = False) -> None:
    """An RQ worker on the portal's queue (`flask portal worker`)."""
    from rq import Worker

    queue = _queue()
    Worker([queue], connection=queue.connection).work(burst=burst)
