"""Web imports cost what the limits allow, checked before parsing; large files are previewed and
imported by jobs outside the web process; a job killed halfway leaves a failed run that starts
again without duplicates; unconfirmed uploads and orphaned files are cleaned up."""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.importer.headers import HEADERS
from portal.models import Attachment, ImportRun, Penalty
from tests.exchange_files import penalty_row, write_csv, xlsx_bomb
from tests.forms import page_form
from tests.publishing_helpers import ctx, days_ago, set_up_departments, signed_in

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")


@pytest.fixture
def clerk(app):
    set_up_departments(app)
    return signed_in(app, "clerk")


def _upload(client, path: Path):
    form = page_form(client, "/admin/imports", button="上传并预检")
    with path.open("rb") as f:
        return form.fill(kind="penalty", file=(f, path.name)).submit(client)


def _rows(n: int) -> list[dict]:
    return [
        penalty_row(**{"行政处罚决定书文号": f"甬市监罚〔2026〕{900 + i}号", "处罚决定日期": days_ago(5)})
        for i in range(n)
    ]


def _imports_dir(app) -> Path:
    return Path(app.config["PORTAL_UPLOAD_DIR"]) / "imports"


def _wait(client, url: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        html = client.get(url).get_data(as_text=True)
        if 'http-equiv="refresh"' not in html:
            return html
        time.sleep(0.2)
    raise AssertionError(f"{url} still refreshing after {seconds}s")


def _count(app) -> int:
    with ctx(app):
        return db.session.scalar(select(func.count()).select_from(Penalty))


def test_a_45_kb_xlsx_of_300000_rows_is_refused_before_parsing(app, clerk, tmp_path):
    bomb = xlsx_bomb(tmp_path / "炸弹.xlsx", "penalty", 300_000)
    assert bomb.stat().st_size < 50_000
    started = time.monotonic()
    response = _upload(clerk, bomb)
    assert time.monotonic() - started < 10
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "超过200000行的上限" in html and "未导入任何数据" in html
    assert list(_imports_dir(app).iterdir()) == []
    with ctx(app):
        assert db.session.scalar(select(func.count()).select_from(ImportRun)) == 0


def test_unpacked_size_is_bounded_from_the_zip_directory(app, clerk, tmp_path):
    app.config["PORTAL_IMPORT_MAX_UNPACKED_MB"] = 1
    response = _upload(clerk, xlsx_bomb(tmp_path / "大.xlsx", "penalty", 30_000))
    assert response.status_code == 400 and "解压后约1MB，超过1MB的上限" in response.get_data(as_text=True)


def test_a_bomb_within_the_limits_is_previewed_by_a_job(app, clerk, tmp_path):
    response = _upload(clerk, xlsx_bomb(tmp_path / "空行.xlsx", "penalty", 3000))
    preview = response.headers["Location"]
    assert "正在后台预检" in clerk.get(preview).get_data(as_text=True)
    html = _wait(clerk, preview)
    assert re.search(r"不合格</dt><dd>3000<", html) and "没有合格的数据行" in html
    assert "确认导入" not in html


def test_a_large_file_with_wrong_headers_is_refused_by_its_preview_job(app, clerk, tmp_path):
    app.config["PORTAL_IMPORT_BACKGROUND_ROWS"] = 10
    headers = [h for h in HEADERS["penalty"] if h != "处罚依据"]
    path = write_csv(tmp_path / "缺列.csv", "penalty", _rows(20), headers=headers)
    preview = _upload(clerk, path).headers["Location"]
    html = _wait(clerk, preview)
    assert "文件被拒绝，未导入任何数据" in html and "缺少必填列：处罚依据" in html and "确认导入" not in html
    assert not [p for p in _imports_dir(app).iterdir() if p.suffix == ".csv" and "errors" not in p.name]


def _confirm(client, preview: str):
    return page_form(client, preview, button="确认导入").submit(client, button="确认导入")


def test_an_import_job_killed_halfway_is_marked_failed_and_resumes_without_duplicates(
    app, clerk, tmp_path, monkeypatch
):
    app.config.update(PORTAL_IMPORT_BACKGROUND_ROWS=10, PORTAL_IMPORT_BATCH_SIZE=10)
    armed = tmp_path / "fault"
    armed.write_text("import.batch")  # the job process dies after its first batch
    monkeypatch.setenv("PORTAL_FAULT_FILE", str(armed))
    preview = _upload(clerk, write_csv(tmp_path / "处罚.csv", "penalty", _rows(45))).headers["Location"]
    _wait(clerk, preview)
    run_url = _confirm(clerk, preview).headers["Location"]
    deadline = time.monotonic() + 60
    while armed.exists():
        assert time.monotonic() < deadline, "the job never reached its first batch"
        time.sleep(0.1)
    time.sleep(0.5)  # the job has killed itself
    assert 'http-equiv="refresh"' in clerk.get(run_url).get_data(as_text=True)  # still taken for running
    later = clock.now() + dt.timedelta(seconds=app.config["PORTAL_JOB_STALE_SECONDS"] + 1)
    monkeypatch.setattr(clock, "now", lambda: later)
    html = clerk.get(run_url).get_data(as_text=True)
    assert "导入进程意外中断" in html and "重新开始导入" in html
    stored = _count(app)
    assert 0 < stored < 45
    monkeypatch.undo()
    resumed = page_form(clerk, run_url, button="重新开始导入").submit(clerk)
    assert resumed.status_code == 302
    assert "导入完成" in _wait(clerk, run_url)
    assert _count(app) == 45
    with ctx(app):
        assert db.session.scalar(select(func.count(func.distinct(Penalty.doc_no)))) == 45


def test_cleanup_removes_unconfirmed_uploads_and_orphaned_files(app, clerk, tmp_path, runner):
    preview = _upload(clerk, write_csv(tmp_path / "处罚.csv", "penalty", _rows(2))).headers["Location"]
    token = preview.rstrip("/").rsplit("/", 1)[1]
    uploads = Path(app.config["PORTAL_UPLOAD_DIR"])
    orphan = uploads / f"{secrets.token_hex(16)}.pdf"
    orphan.write_bytes(b"%PDF-1.4 left behind by a killed worker")
    kept = uploads / f"{secrets.token_hex(16)}.pdf"
    kept.write_bytes(b"%PDF-1.4 a stored attachment")
    with ctx(app):
        db.session.add(
            Attachment(
                owner_kind="objection",
                original_name="a.pdf",
                stored_name=kept.name,
                content_type="application/pdf",
                size=10,
                sha256="0" * 64,
            )
        )
        db.session.commit()
    recent = runner.invoke(args=["portal", "cleanup"])
    assert recent.exit_code == 0 and "unconfirmed_uploads=0 orphaned_files=0" in recent.output
    old = time.time() - 2 * 24 * 3600
    for path in [orphan, kept, *_imports_dir(app).iterdir()]:
        os.utime(path, (old, old))
    result = runner.invoke(args=["portal", "cleanup"])
    assert result.exit_code == 0 and "unconfirmed_uploads=1 orphaned_files=1" in result.output, result.output
    assert not orphan.exists() and kept.exists()
    assert not [p for p in _imports_dir(app).iterdir() if token in p.name]
    assert clerk.get(preview).status_code == 404


@pytest.mark.skipif(not REDIS_URL, reason="PORTAL_TEST_REDIS_URL not set (CI sets it)")
def test_with_a_queue_the_worker_command_runs_the_jobs(app, clerk, tmp_path):
    queue = f"portal-test-{secrets.token_hex(4)}"
    app.config.update(PORTAL_QUEUE_URL=REDIS_URL, PORTAL_QUEUE_NAME=queue, PORTAL_IMPORT_BACKGROUND_ROWS=10)
    preview = _upload(clerk, write_csv(tmp_path / "处罚.csv", "penalty", _rows(30))).headers["Location"]
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "PORTAL_UPLOAD_DIR": app.config["PORTAL_UPLOAD_DIR"],
        "PORTAL_SEARCH_INDEX": app.config["PORTAL_SEARCH_INDEX"],
        "PORTAL_SEARCH_AUTOSYNC": "0",
        "PORTAL_QUEUE_URL": REDIS_URL,
        "PORTAL_QUEUE_NAME": queue,
        "SECRET_KEY": "test-secret",
    }
    worker = [sys.executable, "-m", "flask", "--app", "wsgi", "portal", "worker", "--burst"]

    def work() -> None:
        done = subprocess.run(worker, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-3000:]

    assert "正在后台预检" in clerk.get(preview).get_data(as_text=True)
    work()
    assert re.search(r"合格</dt><dd>30<", clerk.get(preview).get_data(as_text=True))
    run_url = _confirm(clerk, preview).headers["Location"]
    work()
    assert "导入完成" in clerk.get(run_url).get_data(as_text=True)
    assert _count(app) == 30
