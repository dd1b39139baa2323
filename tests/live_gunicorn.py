"""The portal under a real gunicorn (sync workers), for tests that kill workers or cut services."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(app, **extra: str) -> dict:
    """The environment that makes `wsgi:app` the same portal as the test's `app`."""
    return {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "PORTAL_UPLOAD_DIR": app.config["PORTAL_UPLOAD_DIR"],
        "PORTAL_SEARCH_INDEX": app.config["PORTAL_SEARCH_INDEX"],
        "PORTAL_SEARCH_AUTOSYNC": "0",
        "PORTAL_SECURE_COOKIES": "0",
        "SECRET_KEY": app.config["SECRET_KEY"],
        **extra,
    }


class Gunicorn:
    def __init__(self, env: dict, log: Path, workers: int = 1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "2",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(self.url + "/static/portal.js", timeout=2):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("gunicorn is not answering:\n" + self.log_path.read_text()[-3000:]) from None
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
