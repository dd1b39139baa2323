"""Record identity: a decision never changes hands on re-import, and a code under a second name never
renames its subject silently; staff see and decide the 重错码 case."""

from __future__ import annotations

import csv

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, Penalty, Role, Subject, SubjectName
from tests.admin_helpers import staff
from tests.exchange_files import COMPANY_USCC, penalty_row, write_csv
from tests.forms import page_form
from tests.publishing_helpers import ctx, new_record, set_up_departments, signed_in

OTHER_COMPANY = {
    "行政相对人名称": "宁波永盛贸易有限公司",
    "统一社会信用代码": "91350200776049653A",
    "法定代表人": "李明",
}
RENAMED = "宁波恒达新材料科技有限公司"


def _import(runner, tmp_path, rows, name="p.csv"):
    errors = tmp_path / f"{name}.errors.csv"
    path = write_csv(tmp_path / name, "penalty", rows)
    result = runner.invoke(args=["portal", "import", "penalty", str(path), "--errors", str(errors)])
    with open(errors, encoding="utf-8-sig", newline="") as f:
        return result, list(csv.DictReader(f))


def test_reimport_with_another_subject_is_refused(runner, app_ctx, tmp_path):
    _import(runner, tmp_path, [penalty_row()])
    result, problems = _import(runner, tmp_path, [penalty_row(**OTHER_COMPANY)], "again.csv")
    assert result.stdout.strip().endswith("imported=0 rejected=1")
    assert problems[0]["列名"] == "行政处罚决定书文号" and problems[0]["级别"] == "错误"
    assert "不能变更记录的行政相对人" in problems[0]["错误说明"]
    penalty = db.session.scalar(select(Penalty))
    assert penalty.subject.uscc == COMPANY_USCC and penalty.subject_name == penalty_row()["行政相对人名称"]
    # The same subject may still correct its record.
    result, _ = _import(runner, tmp_path, [penalty_row(**{"处罚内容": "警告，罚款人民币6000元"})], "fix.csv")
    assert result.stdout.strip().endswith("imported=1 rejected=0")


def test_a_second_name_for_a_code_is_kept_and_flagged_never_renamed(runner, app, tmp_path):
    with ctx(app):
        _import(runner, tmp_path, [penalty_row()])
        result, problems = _import(
            runner,
            tmp_path,
            [penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕102号", "行政相对人名称": RENAMED})],
            "renamed.csv",
        )
        assert result.stdout.strip().endswith("imported=1 rejected=0")
        assert problems[0]["级别"] == "警告" and "重错码" in problems[0]["错误说明"]
        subject = db.session.scalar(select(Subject).where(Subject.uscc == COMPANY_USCC))
        assert subject.name == penalty_row()["行政相对人名称"]
        assert [(n.name, n.status) for n in db.session.scalars(select(SubjectName))] == [(RENAMED, "conflict")]
        assert "一码多名：1 个" in runner.invoke(args=["portal", "data-quality"]).output
    set_up_departments(app)
    with ctx(app):
        staff("admin", Role.ADMIN)
    admin = signed_in(app, "admin")
    assert "重错码（一码多名）待核实：1 个" in admin.get("/admin/").get_data(as_text=True)
    page = admin.get("/admin/data-quality").get_data(as_text=True)
    assert RENAMED in page and COMPANY_USCC in page
    response = page_form(admin, "/admin/data-quality", button="确认更名").submit(admin, button="确认更名")
    assert response.status_code == 302
    with ctx(app):
        subject = db.session.scalar(select(Subject).where(Subject.uscc == COMPANY_USCC))
        assert subject.name == RENAMED
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "name_case")).after["renamed"] is True
    credit = app.test_client().get(f"/api/v1/subjects/{COMPANY_USCC}").get_json()
    assert credit["subject"]["name"] == RENAMED
    assert credit["subject"]["former_names"] == [penalty_row()["行政相对人名称"]]


def test_the_record_form_warns_before_saving_under_another_name(app, runner, tmp_path):
    with ctx(app):
        _import(runner, tmp_path, [penalty_row()])
    set_up_departments(app)
    clerk = signed_in(app, "clerk")
    path = "/admin/records/penalty/new"
    warned = new_record(clerk, "penalty", **{"行政处罚决定书文号": "甬市监罚〔2026〕300号", "行政相对人名称": RENAMED})
    html = warned.get_data(as_text=True)
    assert warned.status_code == 200 and "重错码提示" in html and RENAMED in html
    with ctx(app):
        assert db.session.scalar(select(Penalty).where(Penalty.doc_no == "甬市监罚〔2026〕300号")) is None
    form = page_form(clerk, path, action=path, html=html)
    form.fill_labels({"确认按本次填写的名称保存": True})
    saved = form.submit(clerk)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    with ctx(app):
        subject = db.session.scalar(select(Subject).where(Subject.uscc == COMPANY_USCC))
        assert subject.name == penalty_row()["行政相对人名称"]
        case = db.session.scalar(select(SubjectName))
        assert (case.name, case.status, case.source) == (RENAMED, "conflict", "form")
