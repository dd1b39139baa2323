"""One long job in a process of its own (`python -m portal.job_process NAME ARGS...`), see portal/jobs.py.

The process builds the same app as the web process that started it (settings passed in
PORTAL_JOB_CONFIG) and has PORTAL_JOB_TIMEOUT seconds.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys

from portal import create_app, jobs
from portal.services.imports import web_import  # noqa: F401  (registers its jobs)
from portal.services.statistics import indicators  # noqa: F401  (the aggregates' refresh job and snapshots)

log = logging.getLogger(__name__)


def _main(argv: list[str]) -> None:
    app = create_app(json.loads(os.environ.pop(jobs.CONFIG_ENV, "{}")))
    signal.alarm(app.config["PORTAL_JOB_TIMEOUT"])  # the default action ends the process
    name, *args = argv
    with app.app_context():
        try:
            jobs.run(name, *(a or None for a in args))
        except Exception:
            log.exception("job %s %s failed", name, args)
            raise


if __name__ == "__main__":
    _main(sys.argv[1:])
