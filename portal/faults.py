"""Fault injection FOR TESTS ONLY: a process kills itself (SIGKILL) at a named point.

Off unless PORTAL_FAULT_KILL_AT names the point (comma-separated). With PORTAL_FAULT_ONCE=<path>,
only the first process to get there dies (it creates the file first), so the retry that follows
runs normally. The fault tests use it to stop a real gunicorn worker or a job between two steps;
in production the environment variable is never set and a point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal


def point(name: str) -> None:
    wanted = os.environ.get("PORTAL_FAULT_KILL_AT")
    if not wanted or name not in wanted.split(","):
        return
    once = os.environ.get("PORTAL_FAULT_ONCE")
    if once:
        try:
            os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
    os.kill(os.getpid(), signal.SIGKILL)
