"""Credit reports in Chromium: a citizen takes one away and a recipient verifies it; the counter prints one."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect
from sqlalchemy import func, select, update

from portal import clock
from portal.demo.accounts import demo_password
from portal.extensions import db
from portal.models import Penalty, PublicationState, Subject, SubjectKind
from tests import pdf_tools


def _penalised_company(live_server) -> tuple[str, str, int]:
    """(name, USCC, id of a penalty public today and decided within a year) of a demo organisation."""
    today = clock.today()
    with live_server.app.app_context():
        row = db.session.execute(
            select(Subject.name, Subject.uscc, func.max(Penalty.id))
            .join(Penalty, Penalty.subject_id == Subject.id)
            .where(
                Subject.kind == SubjectKind.ORGANISATION,
                Penalty.state == PublicationState.PUBLISHED,
                Penalty.display_until >= today,
                Penalty.decided_on >= today - dt.timedelta(days=365),
            )
            .group_by(Subject.id)
            .order_by(func.count().desc(), Subject.id)
            .limit(1)
        ).one()
    return row[0], row[1], row[2]


def _open_report(page, url_pattern: str, click) -> tuple[bytes, str, str]:
    """Click what opens the PDF; it shows in Chromium's viewer. (PDF, number, code) read off the cover.

    The bytes are taken on their way to the viewer (a second request would issue another report)."""
    seen: list[bytes] = []

    def keep(route):
        response = route.fetch()
        if response.headers.get("content-type") == "application/pdf":
            seen.append(response.body())
        route.fulfill(response=response)

    page.route(url_pattern, keep)
    with page.expect_event("framenavigated", lambda f: f.url.startswith("chrome-extension://")) as viewer:
        click()
    page.unroute(url_pattern)
    (data,) = seen
    cover = pdf_tools.text(data, 1, 1)
    number = re.search(r"报告编号\s*((?:XY|ZY)-\d{8}-\d{6})", cover).group(1)
    # Chromium's PDF viewer opened the document and shows its title (from the PDF's metadata).
    expect(viewer.value.locator("#title")).to_have_text(re.compile(number))
    return data, number, re.search(r"验证码：(\w{4}-\w{4})", cover).group(1)


def test_citizen_takes_a_report_and_a_recipient_verifies_it(page, live_server, tmp_path):
    name, uscc, penalty_id = _penalised_company(live_server)
    page.goto(f"/subjects/{uscc}")
    page.get_by_label("报告类型").select_option(label="专用信用报告（分领域有无违法违规记录）")
    page.get_by_label("报告用途").select_option("招投标")
    click = page.get_by_role("button", name="出具PDF报告").click
    data, number, code = _open_report(page, "**/subjects/*/report*", click)
    assert name in pdf_tools.text(data) and "专用信用报告" in pdf_tools.text(data)

    page.goto("/")
    page.get_by_role("link", name="报告核验").click()
    page.get_by_label("报告编号", exact=True).fill(number)
    page.get_by_label("验证码", exact=True).fill(code)
    page.get_by_role("button", name="按编号核验").click()
    expect(page.get_by_role("heading", name="核验结果：真实有效")).to_be_visible()
    expect(page.locator("main")).to_contain_text("出具后信息未变化")
    expect(page.locator("main")).to_contain_text(name)

    original, altered = tmp_path / "original.pdf", tmp_path / "altered.pdf"
    original.write_bytes(data)
    changed = bytearray(data)
    changed[len(data) // 2] ^= 0x01
    altered.write_bytes(bytes(changed))
    page.get_by_label("报告PDF文件", exact=True).set_input_files(str(altered))
    page.get_by_role("button", name="上传文件核验").click()
    expect(page.get_by_role("heading", name="核验结果：文件已被改动")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(name)

    with live_server.app.app_context():  # the penalty is repaired after the report was issued
        db.session.execute(update(Penalty).where(Penalty.id == penalty_id).values(state=PublicationState.REPAIRED))
        db.session.commit()
    page.get_by_label("报告PDF文件", exact=True).set_input_files(str(original))
    page.get_by_role("button", name="上传文件核验").click()
    expect(page.get_by_role("heading", name="核验结果：真实有效")).to_be_visible()
    expect(page.locator("main")).to_contain_text("出具后信息已变化")

    page.get_by_label("报告编号", exact=True).fill(number)
    page.get_by_label("验证码", exact=True).fill("ABCD-EFGH")
    page.get_by_role("button", name="按编号核验").click()
    expect(page.get_by_role("heading", name="核验结果：未能核验")).to_be_visible()


def _sign_in(page, username: str) -> None:
    page.goto("/admin/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(demo_password(username))
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_counter_staff_print_a_report_that_the_audit_log_records(new_page, live_server):
    name, uscc, _ = _penalised_company(live_server)
    desk = new_page()
    _sign_in(desk, "chuangkou")
    desk.get_by_role("link", name="信用窗口").first.click()
    desk.get_by_label("统一社会信用代码、名称或身份证号码").fill(uscc)
    desk.get_by_role("button", name="查找").click()
    desk.get_by_role("link", name="出具报告").click()
    desk.get_by_label("查询人姓名").fill("刘芳")
    desk.get_by_label("报告用途").select_option("评优评先")
    data, number, _ = _open_report(desk, "**/admin/counter/*", desk.get_by_role("button", name="出具并打印").click)
    cover = pdf_tools.text(data, 1, 1)
    assert "信用窗口" in cover and "刘芳" in cover and name in cover

    desk.goto("/admin/counter")
    expect(desk.locator("main")).to_contain_text(number)
    admin = new_page()
    _sign_in(admin, "admin")
    expect(admin.locator("main")).to_contain_text("信用报告出具情况（按用途）")
    admin.get_by_role("link", name="审计日志").click()
    admin.get_by_label("操作").select_option(label="出具信用报告")
    admin.get_by_role("button", name="筛选").click()
    expect(admin.locator("table.audit")).to_contain_text(number)
    expect(admin.locator("table.audit")).to_contain_text("chuangkou")


def test_reports_of_every_kind_of_demo_subject_open_in_the_viewer(page, live_server):
    today = clock.today()
    with live_server.app.app_context():
        refs = {
            kind: db.session.scalar(
                select(Subject.uscc if kind != SubjectKind.PERSON else Subject.public_id)
                .join(Penalty, Penalty.subject_id == Subject.id)
                .where(
                    Subject.kind == kind, Penalty.state == PublicationState.PUBLISHED, Penalty.display_until >= today
                )
                .order_by(Subject.id)
                .limit(1)
            )
            for kind in SubjectKind
        }
    for kind, ref in refs.items():
        assert ref, f"no demo {kind.value} with a public penalty"
        with page.expect_event("framenavigated", lambda f: f.url.startswith("chrome-extension://")) as viewer:
            page.goto(f"/subjects/{ref}/report")
        expect(viewer.value.locator("#title")).to_have_text(re.compile(r"信用报告 XY-\d{8}-\d{6}"))
