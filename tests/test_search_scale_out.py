"""Scale-out: two app servers (processes) on one PostgreSQL database share one search state.

Each server runs its background sync; the advisory lock lets one apply the outbox at a time, and
a change made through either is found through both.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Penalty, PublicationState, SearchDocument, SearchOutbox
from tests.exchange_files import penalty_row, write_csv

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(port: int, q: str) -> dict | None:
    try:
        url = f"http://127.0.0.1:{port}/api/v1/search?type=penalty&q={quote(q)}"
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.loads(response.read())
    except OSError:
        return None  # not listening yet


def wait_until(check, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def doc_nos(port: int, q: str) -> list[str] | None:
    found = api(port, q)
    return [r["doc_no"] for r in found["records"]] if found and found.get("complete") else None


def test_two_app_servers_share_the_postgres_search_state(app, tmp_path):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("scale-out shares one PostgreSQL database")
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "PORTAL_SEARCH_BACKEND": "postgres",
        "PORTAL_SEARCH_AUTOSYNC": "1",
        "PORTAL_SEARCH_RATE_LIMIT": "10000 per minute",
        "SECRET_KEY": "test-secret",
    }
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        with app.app_context():
            row = {"行政处罚决定书文号": "甬市监罚〔2026〕31号", "违法事实": "当事人违规储存危险化学品"}
            rows = [penalty_row(**row)]
            path = write_csv(tmp_path / "a.csv", "penalty", rows)
            result = app.test_cli_runner().invoke(args=["portal", "import", "penalty", str(path)])
            assert result.exit_code == 0, result.output
            # Both servers' background syncs race for the outbox; either one's work serves both.
            for port in ports:
                assert wait_until(lambda p=port: doc_nos(p, "危险化学品") == ["甬市监罚〔2026〕31号"]), port
            penalty = db.session.scalar(select(Penalty))
            penalty.state = PublicationState.WITHDRAWN
            db.session.add(SearchOutbox(entity_type="penalty", entity_id=penalty.id))
            db.session.commit()
            # A server's background sync applies the change (the database check hides it at once anyway).
            assert wait_until(lambda: not db.session.rollback() and not db.session.scalar(select(SearchOutbox.id)))
            key = select(SearchDocument.key).where(SearchDocument.key == f"penalty:{penalty.id}")
            assert db.session.scalar(key) is None
            for port in ports:
                assert doc_nos(port, "危险化学品") == [], port
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
