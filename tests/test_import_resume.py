"""An import killed halfway and run again ends with exactly the rows of the file."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from portal.extensions import db
from portal.models import Penalty
from tests.exchange_files import penalty_row, write_csv

ROOT = Path(__file__).resolve().parent.parent
ROWS = 6000


def _count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM penalties")).scalar_one()


def test_killed_import_resumes_without_duplicates(app, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    start = dt.date(2025, 1, 1)
    rows = [
        penalty_row(
            **{"行政处罚决定书文号": f"甬市监罚〔2025〕{i}号", "处罚决定日期": str(start + dt.timedelta(days=i % 300))}
        )
        for i in range(ROWS)
    ]
    path = write_csv(tmp_path / "big.csv", "penalty", rows)
    env = {**os.environ, "DATABASE_URL": url, "PORTAL_IMPORT_BATCH_SIZE": "200"}
    cmd = [sys.executable, "-m", "flask", "--app", "wsgi", "portal", "import", "penalty", str(path)]
    engine = create_engine(url)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while _count(engine) < 1000 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored_at_kill = _count(engine)
    assert 0 < stored_at_kill < ROWS, "the import should have been killed halfway"

    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == f"imported={ROWS} rejected=0"
    engine.dispose()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Penalty)) == ROWS
        distinct = select(func.count(func.distinct(Penalty.doc_no)))
        assert db.session.scalar(distinct) == ROWS
