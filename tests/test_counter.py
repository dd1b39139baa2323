"""信用窗口: counter staff find a subject, record who asks and why, and print the signed report."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditLog, ReportIssue, Role
from tests import pdf_tools
from tests import public_scenario as sc
from tests.admin_helpers import login, staff
from tests.exchange_files import PERSON
from tests.forms import page_form


@pytest.fixture
def world(runner, app_ctx, tmp_path):
    world = sc.build(runner, tmp_path)
    staff("chuangkou", Role.COUNTER)
    staff("admin", Role.ADMIN)
    return world


def _issue_form(client, query: str):
    search = page_form(client, "/admin/counter", button="查找").fill(q=query).submit(client)
    html = search.get_data(as_text=True)
    link = html[html.index("出具报告") - 200 : html.index("出具报告")]
    path = link[link.rindex('href="') + 6 : link.rindex('"')]
    return page_form(client, path, button="出具并打印"), path


def test_counter_issues_a_printed_report_with_audit_entry_and_figures(client, world):
    login(client, "chuangkou")
    form, _ = _issue_form(client, sc.YINZHOU_USCC)
    response = form.fill_labels({"查询人姓名": "刘芳", "报告用途": "招投标"}).submit(client)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    cover = pdf_tools.text(response.data, 1, 1)
    assert "信用窗口" in cover and "刘芳" in cover and "招投标" in cover and "宁波恒达建筑工程有限公司" in cover
    issue = db.session.scalar(select(ReportIssue))
    assert issue.channel == "counter" and issue.requester_name == "刘芳" and issue.staff_user_id is not None
    counter_page = client.get("/admin/counter").get_data(as_text=True)
    assert issue.number in counter_page  # today's counter issues
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "信用报告出具情况（按用途）" in dashboard
    assert "<th scope=\"row\">招投标</th><td>0</td><td>1</td><td>1</td><td>1</td>" in dashboard
    client.post("/admin/logout", data={"csrf_token": page_form(client, "/admin/", index=0).data()["csrf_token"]})
    login(client, "admin")
    audit = client.get("/admin/audit?action=report_issued").get_data(as_text=True)
    assert "出具信用报告" in audit and issue.number in audit and "刘芳" in audit and "chuangkou" in audit


def test_the_same_form_posted_twice_issues_one_report(client, world):
    login(client, "chuangkou")
    form, _ = _issue_form(client, sc.HAISHU_USCC)
    form.fill_labels({"查询人姓名": "陈立", "报告用途": "融资", "报告类型": "专用信用报告（分领域有无违法违规记录）"})
    assert form.submit(client).mimetype == "application/pdf"
    again = form.submit(client)
    assert again.status_code == 400 and "该表单已提交过" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ReportIssue)) == 1


def test_missing_requester_or_purpose_is_refused_in_chinese(client, world):
    login(client, "chuangkou")
    form, _ = _issue_form(client, sc.YINZHOU_USCC)
    page = form.submit(client).get_data(as_text=True)
    assert "请填写查询人姓名" in page and "请选择报告用途" in page
    assert db.session.scalar(select(ReportIssue.id)) is None


def test_a_person_is_found_only_by_id_number_and_gets_the_own_report_after_the_id_check(client, world):
    login(client, "chuangkou")
    by_name = page_form(client, "/admin/counter", button="查找").fill(q="张三").submit(client)
    assert "出具报告" not in by_name.get_data(as_text=True)
    form, path = _issue_form(client, PERSON["证件号码"])
    form.fill_labels({"查询人姓名": "张三", "报告用途": "行政审批", "查询人为信用主体本人": True})
    wrong = form.fill(id_no="330212198001010024").submit(client)
    assert wrong.status_code == 400 and "证件号码与该信用主体登记的不一致" in wrong.get_data(as_text=True)
    form, _ = page_form(client, path, button="出具并打印"), path
    form.fill_labels({"查询人姓名": "张三", "报告用途": "行政审批", "查询人为信用主体本人": True})
    response = form.fill(id_no=PERSON["证件号码"].lower()).submit(client)
    assert response.mimetype == "application/pdf"
    text = pdf_tools.text(response.data)
    assert "张三" in text and PERSON["证件号码"] in text and "本人经身份核验" in text
    assert db.session.scalar(select(ReportIssue.own_report)) is True


def test_a_third_party_gets_no_report_of_a_person_without_public_records(client, world):
    login(client, "chuangkou")
    form, _ = _issue_form(client, "33021219850202001X")
    page = form.fill_labels({"查询人姓名": "王五", "报告用途": "其他"}).submit(client).get_data(as_text=True)
    assert "该自然人没有向社会公开的信用信息" in page
    assert db.session.scalar(select(ReportIssue.id)) is None


def test_only_counter_staff_use_the_counter(client, world):
    staff("shouli", Role.HANDLER)
    login(client, "shouli")
    assert client.get("/admin/counter").status_code == 403
    assert client.get(f"/admin/counter/{world.yinzhou.id}").status_code == 403
    assert "信用报告出具情况" not in client.get("/admin/").get_data(as_text=True)
    assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "report_issued")) is None
