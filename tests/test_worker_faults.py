"""A gunicorn worker killed (SIGKILL) in the middle of a submission loses nothing that was
acknowledged and duplicates nothing on retry: a filing with attachments, a staff step and an import,
each killed before and after its commit; the files a killed filing left behind are cleaned up.

The worker kills itself at a named point (portal/faults.py, armed through a file by the test); the
master starts a new one, and the retry is the browser's: the same form posted again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import ApplicationEvent, ApplicationStatus, Attachment, ImportRun, Objection, Penalty
from portal.services.core import uploads
from portal.services.imports import web_import
from tests.exchange_files import penalty_row, write_csv
from tests.forms import page_form
from tests.http_client import DISCONNECTED, HttpClient
from tests.live_gunicorn import Gunicorn, app_env
from tests.online_helpers import OBJECTION, pdf
from tests.test_online_services import _objection_path, world  # noqa: F401  (fixture)

PASSWORD_OF = {"handler": "Staff-Password-2026"}


@pytest.fixture
def server(app, world, tmp_path):  # noqa: F811
    armed = tmp_path / "fault"
    env = app_env(app, PORTAL_FAULT_FILE=str(armed), PORTAL_IMPORT_BATCH_SIZE="10")
    portal = Gunicorn(env, tmp_path / "gunicorn.log")
    portal.arm = lambda point: armed.write_text(point)
    portal.armed = armed
    yield portal
    portal.stop()


def _objection_form(client, world):  # noqa: F811
    form = page_form(client, _objection_path(world), button="提交")
    fields = {name: value for name, value in OBJECTION.items() if name != "consent"}
    return form.fill(consent=True, **fields).fill(attachments=[pdf("证明一.pdf"), pdf("证明二.pdf")])


def _killed(server, send) -> None:
    with pytest.raises(DISCONNECTED):
        send()
    assert not server.armed.exists(), "the worker did not reach the armed point"
    server.wait_ready()  # the master has started a new worker


def _objections() -> list[Objection]:
    db.session.expire_all()
    return db.session.scalars(select(Objection)).all()


def _files_on_disk(app) -> set[str]:
    return {p.name for p in Path(app.config["PORTAL_UPLOAD_DIR"]).iterdir() if p.is_file()}


def test_filing_killed_before_or_after_its_commit_is_stored_once(app, server, world):  # noqa: F811
    # Killed before the commit: nothing is kept but the files, and the retry files the objection once.
    client = HttpClient(server.url)
    form = _objection_form(client, world)
    server.arm("commit.before")
    _killed(server, lambda: form.submit(client))
    assert _objections() == []
    left_behind = _files_on_disk(app)
    assert len(left_behind) == 2  # the two files were stored before the worker died
    assert form.submit(client).status_code == 303  # the browser posts the same form again
    (first,) = _objections()
    stored = set(db.session.scalars(select(Attachment.stored_name).where(Attachment.owner_id == first.id)))
    assert len(stored) == 2 and stored.isdisjoint(left_behind)
    assert uploads.purge_orphans(older_than=0) == 2
    assert _files_on_disk(app) == stored

    # Killed after the commit: stored, though the applicant never saw the receipt; the retry shows it.
    form = _objection_form(client, world)
    server.arm("commit.after")
    _killed(server, lambda: form.submit(client))
    second = next(o for o in _objections() if o.id != first.id)
    retried = form.submit(client)
    assert retried.status_code == 303 and retried.headers["Location"].endswith(f"/receipts/{second.number}")
    assert len(_objections()) == 2
    assert second.number in client.get(f"/receipts/{second.number}").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 4


def _signed_in_handler(server) -> HttpClient:
    staff = HttpClient(server.url)
    form = page_form(staff, "/admin/login").fill(username="handler", password=PASSWORD_OF["handler"])
    assert form.submit(staff).status_code == 302
    return staff


def test_staff_step_killed_before_or_after_its_commit_is_recorded_once(app, server, world):  # noqa: F811
    applicant = HttpClient(server.url)
    for _ in range(2):
        assert _objection_form(applicant, world).submit(applicant).status_code == 303
    staff = _signed_in_handler(server)
    for objection, point in zip(_objections(), ("commit.before", "commit.after"), strict=True):
        detail = f"/admin/applications/objection/{objection.id}"
        accept = page_form(staff, detail, action="/accept").fill(note="材料齐全，予以受理")
        server.arm(point)
        _killed(server, lambda form=accept: form.submit(staff))
        assert accept.submit(staff).status_code in (302, 400), point  # 400: already accepted
        db.session.expire_all()
        assert db.session.get(Objection, objection.id).status == ApplicationStatus.ACCEPTED, point
        steps = db.session.scalars(
            select(ApplicationEvent.status).where(ApplicationEvent.application_id == objection.id)
        ).all()
        assert steps.count(ApplicationStatus.ACCEPTED) == 1, point
        assert "已受理" in staff.get(detail).get_data(as_text=True)


def test_import_killed_in_the_worker_is_marked_failed_and_resumes_without_duplicates(app, server, world, tmp_path):  # noqa: F811
    staff = _signed_in_handler(server)  # the handler is also a clerk of the department
    rows = [
        penalty_row(**{"行政处罚决定书文号": f"甬市监罚〔2026〕{700 + i}号", "处罚决定日期": "2026-11-20"})
        for i in range(35)
    ]
    path = write_csv(tmp_path / "处罚.csv", "penalty", rows)
    form = page_form(staff, "/admin/imports", button="上传并预检")
    with path.open("rb") as f:
        preview = form.fill(kind="penalty", file=(f, path.name)).submit(staff)
    confirm = page_form(staff, preview.headers["Location"], button="确认导入")
    before = db.session.scalar(select(func.count()).select_from(Penalty))
    server.arm("import.batch")  # small files are imported in the request: the web worker dies
    _killed(server, lambda: confirm.submit(staff, button="确认导入"))
    run = db.session.scalar(select(ImportRun).order_by(ImportRun.id.desc()))
    assert web_import.status(run) == "running"
    later = clock.now() + dt.timedelta(seconds=app.config["PORTAL_JOB_STALE_SECONDS"] + 1)
    assert web_import.sweep_stale(now=later) == 1
    run_url = f"/admin/imports/runs/{run.id}"
    page = staff.get(run_url).get_data(as_text=True)
    assert "导入进程意外中断" in page
    assert page_form(staff, run_url, button="重新开始导入").submit(staff).status_code == 302
    assert "导入完成" in staff.get(run_url).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Penalty)) == before + 35
