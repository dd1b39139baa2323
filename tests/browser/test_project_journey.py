"""项目/设施 in Chromium: the 录入员 enters a project, the 审核员 approves it from the 待审核 queue, the
public then finds it in the enterprise's credit file; and the 应录未录 check lists the demo's gaps."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import Subject, SubjectKind
from tests.browser.a11y import report, violations
from tests.browser.helpers import sign_in

NAME = "鄞州区潘火安置房二期工程"


def nav(page, label: str) -> None:
    page.get_by_role("navigation", name="后台导航").get_by_role("link", name=label, exact=True).click()


def an_enterprise(app) -> tuple[str, str]:
    with app.app_context():
        subject = db.session.scalar(
            select(Subject)
            .where(Subject.kind == SubjectKind.ORGANISATION, Subject.uscc.is_not(None))
            .order_by(Subject.id)
        )
        return subject.uscc, subject.name


def test_a_project_is_entered_approved_and_shown_in_the_credit_file(staff, new_page, live_server):
    code, company = an_enterprise(live_server.app)
    clerk = staff("luru")
    nav(clerk, "项目/设施")
    clerk.get_by_role("link", name="录入项目/设施").click()
    expect(clerk.get_by_role("heading", level=1)).to_have_text("录入项目/设施")
    clerk.get_by_label("企业统一社会信用代码").fill(code)
    clerk.get_by_label("项目/设施名称").fill(NAME)
    clerk.get_by_label("类型").select_option("工程项目")
    clerk.get_by_label("所属行业").select_option("建筑施工")
    clerk.get_by_label("所在区县").select_option(label="鄞州区")
    clerk.get_by_label("地址").fill("鄞州区潘火街道金源路99号")
    clerk.get_by_label("开始日期").fill((clock.today() - dt.timedelta(days=30)).isoformat())
    clerk.get_by_label("结束日期").fill((clock.today() - dt.timedelta(days=60)).isoformat())
    clerk.get_by_role("button", name="提交审核").click()
    expect(clerk.get_by_role("alert").filter(has_text="结束日期不能早于开始日期")).to_have_count(1)
    expect(clerk.get_by_label("结束日期")).to_have_attribute("aria-invalid", "true")
    clerk.get_by_label("结束日期").fill("")
    clerk.get_by_role("button", name="提交审核").click()
    expect(clerk.get_by_role("status")).to_contain_text("等待审核员审核")
    expect(clerk.locator(".record-state")).to_contain_text("待审核")
    project_code = re.search(r"XM\d{10}", clerk.get_by_role("status").inner_text()).group(0)

    public = new_page()
    public.goto(f"/subjects/{code}")
    expect(public.get_by_role("main")).not_to_contain_text(NAME)

    reviewer = staff("shenhe")
    nav(reviewer, "待审核")
    reviewer.get_by_role("row").filter(has_text=project_code).get_by_role("link", name="审核").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"工程项目：{NAME}")
    reviewer.get_by_role("button", name="审核通过").click()
    expect(reviewer.locator(".record-state")).to_contain_text("已审核")
    expect(reviewer.get_by_role("table", name="项目/设施信息")).to_contain_text(company)

    public.goto(f"/subjects/{code}")
    projects = public.get_by_role("table", name="经审核的项目")
    expect(projects).to_contain_text(NAME)
    expect(projects).to_contain_text(project_code)
    expect(projects).not_to_contain_text("金源路")  # the address stays in the back office


def test_the_project_pages_pass_the_accessibility_check(browser, live_server):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="zh-CN")
    try:
        _check_project_pages(sign_in(context.new_page(), "luru"), an_enterprise(live_server.app)[0])
    finally:
        context.close()


def _check_project_pages(clerk, code: str) -> None:
    failures = {}

    def check(name: str) -> None:
        found = violations(clerk)
        if found:
            failures[name] = report(found)

    for path in ("/admin/projects", "/admin/projects/gaps?period=12m"):
        clerk.goto(path)
        check(path)
    clerk.goto("/admin/projects/new")
    clerk.get_by_role("button", name="提交审核").click()
    expect(clerk.get_by_label("项目/设施名称")).to_have_attribute("aria-invalid", "true")
    check("form with errors")
    clerk.get_by_label("企业统一社会信用代码").fill(code)
    clerk.get_by_label("项目/设施名称").fill(NAME)
    clerk.get_by_label("类型").select_option("公共停车场")
    clerk.get_by_label("所属行业").select_option("公共停车场经营")
    clerk.get_by_label("所在区县").select_option(label="海曙区")
    clerk.get_by_label("开始日期").fill((clock.today() - dt.timedelta(days=3)).isoformat())
    clerk.get_by_role("button", name="提交审核").click()
    expect(clerk.locator(".record-state")).to_contain_text("待审核")
    check("detail")
    assert not failures, "\n".join(f"{path}\n{text}" for path, text in failures.items())


def test_the_entry_gap_check_lists_enterprises_and_projects(staff):
    reviewer = staff("shenhe")
    nav(reviewer, "应录未录")
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("应录未录检查")
    reviewer.get_by_label("统计期").fill("12m")
    with reviewer.expect_navigation():  # the default period's total may be on the page already
        reviewer.get_by_role("button", name="检查").click()
    total = int(reviewer.locator("[data-gaps-total]").inner_text())
    assert total > 0
    gaps = reviewer.get_by_role("table", name=re.compile("应录未录清单"))
    expect(gaps.get_by_role("row").filter(has_text="有许可无项目").first).to_be_visible()
    by_industry = reviewer.get_by_role("table", name="按行业")
    counts = [int(c) for c in by_industry.locator("td").all_inner_texts()]
    assert sum(counts) == total

    reviewer.get_by_label("行业").select_option("建筑施工")
    with reviewer.expect_navigation():  # the total read next must be the narrowed page's
        reviewer.get_by_role("button", name="检查").click()
    narrowed = int(reviewer.locator("[data-gaps-total]").inner_text())
    assert 0 < narrowed <= total
    for industry in (
        reviewer.get_by_role("table", name=re.compile("应录未录清单"))
        .locator("tbody tr td:nth-child(4)")
        .all_inner_texts()
    ):
        assert industry == "建筑施工"

    nav(reviewer, "统计分析")
    expect(reviewer.locator('[data-indicator="entry_gaps"]')).to_be_visible()
