"""Web import: upload, preview with row problems, confirmation into review, progress, error report."""

from __future__ import annotations

import csv
import io
import re
import time

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.importer.headers import HEADERS
from portal.models import AuditLog, ImportRun, Penalty, PublicationState, RecordRevision
from tests.admin_helpers import submit_form
from tests.exchange_files import OTHER_AUTHORITY, authority_columns, penalty_row, write_csv, write_xlsx
from tests.forms import page_form
from tests.publishing_helpers import ctx, days_ago, decide, load, set_up_departments, signed_in


@pytest.fixture
def depts(app):
    return set_up_departments(app)


def rows(n: int, **overrides) -> list[dict]:
    return [
        penalty_row(**{"行政处罚决定书文号": f"甬市监罚〔2026〕{500 + i}号", "处罚决定日期": days_ago(5), **overrides})
        for i in range(n)
    ]


def upload(client, path, kind="penalty"):
    with path.open("rb") as f:
        form = page_form(client, "/admin/imports", button="上传并预检").fill(kind=kind, file=(f, path.name))
        return form.submit(client)


def penalties(app) -> list[Penalty]:
    with ctx(app):
        found = db.session.scalars(select(Penalty).order_by(Penalty.id)).all()
        db.session.expunge_all()
        return found


def confirm(client, preview_url: str):
    return submit_form(client, preview_url, button="确认导入")


def wait_finished(client, run_url: str) -> str:
    for _ in range(300):
        html = client.get(run_url).get_data(as_text=True)
        if 'http-equiv="refresh"' not in html:
            return html
        time.sleep(0.1)
    raise AssertionError("import did not finish")


def test_preview_then_confirm_creates_pending_records(app, depts, tmp_path):
    clerk = signed_in(app, "clerk")
    data = rows(3)
    data[1]["统一社会信用代码"] = "91110108551385082X"  # bad check character: file row 3
    response = upload(clerk, write_csv(tmp_path / "处罚.csv", "penalty", data))
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    preview = clerk.get(preview_url).get_data(as_text=True)
    assert re.search(r"合格</dt><dd>2<", preview) and re.search(r"不合格</dt><dd>1<", preview)
    assert "<td>3</td><td>统一社会信用代码</td><td>错误</td><td>统一社会信用代码校验位错误</td>" in preview
    assert penalties(app) == []  # the preview writes nothing

    report = clerk.get(preview_url + "/errors.csv")
    assert report.status_code == 200 and report.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(report.data.decode("utf-8-sig"))))
    assert lines[0] == ["行号", "列名", "级别", "错误说明"] and lines[1][:2] == ["3", "统一社会信用代码"]

    confirmation = page_form(clerk, preview_url, button="确认导入")
    done = confirmation.submit(clerk)
    assert done.status_code == 302 and "/admin/imports/runs/" in done.headers["Location"]
    page = clerk.get(done.headers["Location"]).get_data(as_text=True)
    assert "导入完成" in page and 'http-equiv="refresh"' not in page
    stored = penalties(app)
    assert len(stored) == 2
    assert all(
        p.state == PublicationState.PENDING and p.department_id == depts["a"] and p.created_by_id for p in stored
    )
    assert app.test_client().get(f"/penalties/{stored[0].id}").status_code == 404

    run_errors = clerk.get(done.headers["Location"] + "/errors.csv")
    assert run_errors.status_code == 200 and "统一社会信用代码校验位错误" in run_errors.data.decode("utf-8-sig")
    # The same confirmation posted again (a double click, the back button) imports nothing more.
    assert confirmation.submit(clerk).headers["Location"] == done.headers["Location"]
    assert len(penalties(app)) == 2

    with ctx(app):
        entries = db.session.scalars(select(AuditLog).where(AuditLog.entity_type == "import_run")).all()
        assert [e.action for e in entries] == ["import_start", "import"]
        assert entries[1].after["valid"] == 2 and entries[1].after["rejected"] == 1
        assert all(e.client_addr == "127.0.0.1" and e.actor == "clerk" for e in entries)

    reviewer = signed_in(app, "reviewer")
    assert "甬市监罚〔2026〕500号" in reviewer.get("/admin/review").get_data(as_text=True)
    assert decide(reviewer, "penalty", stored[0].id, "approve").status_code == 302
    assert app.test_client().get(f"/penalties/{stored[0].id}").status_code == 200


def test_a_bad_header_refuses_the_whole_file(app, depts, tmp_path):
    clerk = signed_in(app, "clerk")
    headers = [h for h in HEADERS["penalty"] if h != "处罚依据"] + ["经办人"]
    response = upload(clerk, write_csv(tmp_path / "bad.csv", "penalty", rows(2), headers=headers))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "表头不符合国家双公示数据标准" in html and "未知列：经办人" in html and "缺少必填列：处罚依据" in html
    assert penalties(app) == []
    with ctx(app):
        assert db.session.scalar(select(func.count()).select_from(ImportRun)) == 0


def test_a_large_file_is_previewed_and_imported_by_jobs_with_progress(app, depts, tmp_path):
    app.config["PORTAL_IMPORT_BACKGROUND_ROWS"] = 10
    clerk = signed_in(app, "clerk")
    response = upload(clerk, write_xlsx(tmp_path / "处罚.xlsx", "penalty", rows(40)))
    preview_url = response.headers["Location"]
    assert "正在后台预检" in clerk.get(preview_url).get_data(as_text=True)
    assert re.search(r"合格</dt><dd>40<", wait_finished(clerk, preview_url))
    run_url = confirm(clerk, preview_url).headers["Location"]
    html = wait_finished(clerk, run_url)
    assert "导入完成" in html and re.search(r"合格</dt><dd>40<", html)
    assert len(penalties(app)) == 40
    with ctx(app):
        run = db.session.scalar(select(ImportRun))
        assert (run.rows_expected, run.rows_total, run.rows_valid, run.rows_new) == (40, 40, 40, 40)
        assert run.department_id == depts["a"] and run.finished_at is not None


def test_the_progress_page_refreshes_itself_while_running(app, depts):
    clerk = signed_in(app, "clerk")
    with ctx(app):
        run = ImportRun(
            kind="penalty",
            file_name="大文件.csv",
            file_sha256="0" * 64,
            department_id=depts["a"],
            rows_expected=100_000,
            rows_total=30_000,
        )
        db.session.add(run)
        db.session.commit()
        run_id = run.id
    html = clerk.get(f"/admin/imports/runs/{run_id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in html and "30000/100000" in html


def test_department_imports_keep_to_their_own_records(app, depts, tmp_path):
    clerk, reviewer = signed_in(app, "clerk"), signed_in(app, "reviewer")
    other = rows(1, **{"行政处罚决定书文号": "甬环罚〔2026〕1号", **authority_columns("penalty", OTHER_AUTHORITY)})
    clerk_b = signed_in(app, "clerk_b")
    preview_b = upload(clerk_b, write_csv(tmp_path / "b.csv", "penalty", other)).headers["Location"]
    confirm(clerk_b, preview_b)

    own = rows(1)
    preview = upload(clerk, write_csv(tmp_path / "a1.csv", "penalty", own)).headers["Location"]
    confirm(clerk, preview)
    own_id = next(p.id for p in penalties(app) if p.department_id == depts["a"])
    decide(reviewer, "penalty", own_id, "approve")

    changed = rows(1, **{"处罚内容": "警告，罚款人民币9000元", "罚款金额(万元)": "0.9"})
    preview = upload(clerk, write_csv(tmp_path / "a2.csv", "penalty", changed + other)).headers["Location"]
    run_url = confirm(clerk, preview).headers["Location"]
    report = clerk.get(run_url + "/errors.csv").data.decode("utf-8-sig")
    assert "由其他部门管理" in report
    record = load(app, Penalty, own_id)
    assert record.state == PublicationState.PUBLISHED and record.content == "警告，罚款人民币5000元"
    with ctx(app):
        revision = db.session.scalar(select(RecordRevision).where(RecordRevision.entity_id == own_id))
        assert revision.changes["content"] == "警告，罚款人民币9000元" and revision.department_id == depts["a"]
    assert "修改已公示信息" in reviewer.get("/admin/review").get_data(as_text=True)


def test_uploads_and_runs_of_another_department_are_404(app, depts, tmp_path):
    clerk, clerk_b = signed_in(app, "clerk"), signed_in(app, "clerk_b")
    preview_url = upload(clerk, write_csv(tmp_path / "a.csv", "penalty", rows(1))).headers["Location"]
    assert clerk_b.get(preview_url).status_code == 404
    assert clerk_b.get(preview_url + "/errors.csv").status_code == 404
    # The confirmation form department A's clerk sees, replayed by B's clerk with B's own token.
    replayed = page_form(clerk, preview_url, button="确认导入").with_csrf_of(clerk_b, "/admin/imports")
    assert replayed.submit(clerk_b).status_code == 404
    run_url = confirm(clerk, preview_url).headers["Location"]
    assert clerk_b.get(run_url).status_code == 404
    assert clerk_b.get(run_url + "/errors.csv").status_code == 404
    assert clerk_b.get("/admin/imports/uploads/..%2F..%2Fsecret").status_code == 404


def test_a_file_over_the_size_limit_is_refused(app, depts, tmp_path):
    app.config["PORTAL_IMPORT_MAX_BYTES"] = 1024
    clerk = signed_in(app, "clerk")
    response = upload(clerk, write_csv(tmp_path / "big.csv", "penalty", rows(400)))
    assert response.status_code == 413 and "文件超过" in response.get_data(as_text=True)
    assert penalties(app) == []
