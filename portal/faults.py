"""Fault injection FOR TESTS ONLY: a process kills itself (SIGKILL) at a named point.

Off unless PORTAL_FAULT_FILE is set. A test arms one point by writing its name into that file; the
first process to reach the point removes the file and dies, so the retry that follows runs normally.
The fault tests use it to stop a real gunicorn worker or a job between two steps. In production
the variable is never set and a point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal


def point(name: str) -> None:
    armed = os.environ.get("PORTAL_FAULT_FILE")
    if not armed:
        return
    try:
        with open(armed, encoding="utf-8") as f:
            if f.read().strip() != name:
                return
        os.unlink(armed)  # disarmed: only one process dies
    except FileNotFoundError:
        return
    os.kill(os.getpid(), signal.SIGKILL)
