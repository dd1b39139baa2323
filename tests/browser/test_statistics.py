"""Statistics in Chromium: the public 信用统计 page (charts readable without JavaScript), the admin
统计分析 dashboard with filters and a drill-down click, and a grading run with its explanation and
a reproducible inspection sample."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_public_statistics_charts_render_without_javascript(browser, live_server, _open_pages):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    _open_pages.append(page)
    try:
        page.goto("/statistics?period=12m")
        expect(page.get_by_role("heading", level=1)).to_have_text("信用统计")
        charts = page.get_by_role("img", name=re.compile("（数据见表格）"))
        assert charts.count() >= 5
        for i in range(charts.count()):
            box = charts.nth(i).bounding_box()
            assert box and box["width"] > 100 and box["height"] > 20  # drawn, not an empty placeholder
        months = page.get_by_role("table", name="各月公示的双公示信息（条）（数据表）")
        assert months.get_by_role("row").count() in (13, 14)  # the header and the 12 or 13 months touched
        total = page.locator('[data-indicator="records_by_kind"]').inner_text()
        assert int(total.rstrip("条")) > 0
        expect(page.get_by_role("table", name="服务指标及计算口径")).to_contain_text("平均处理工作日")
    finally:
        context.close()


def test_public_statistics_from_the_navigation(page):
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="信用统计").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("信用统计")
    page.get_by_label("统计期").select_option(label="近12个月")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_text("统计期：近12个月")).to_be_visible()


def test_dashboard_filters_and_drills_down_to_the_rows(staff):
    reviewer = staff("shenhe")
    reviewer.get_by_role("navigation", name="后台导航").get_by_role("link", name="统计分析").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("统计分析")
    # A department's reviewer sees that department, and cannot choose another or the whole city.
    expect(reviewer.get_by_text("统计范围：本部门")).to_be_visible()
    expect(reviewer.get_by_text(re.compile(r"数据更新于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}"))).to_be_visible()
    expect(reviewer.get_by_label("部门", exact=True).locator("option")).to_have_count(1)
    reviewer.get_by_label("统计期", exact=True).fill("12m")
    reviewer.get_by_label("行业", exact=True).select_option("食品药品")
    with reviewer.expect_navigation():  # the figures read next must be the narrowed page's
        reviewer.get_by_role("button", name="统计").click()
    expect(reviewer.get_by_text("统计期：近12个月")).to_be_visible()
    shown = reviewer.locator('[data-part="records_by_kind:行政处罚"]').inner_text()
    count = int(shown.rstrip("条"))
    assert count > 0
    # Narrowed further to a district: the figure can only shrink.
    reviewer.get_by_label("区县", exact=True).select_option(index=1)
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="统计").click()
    narrowed = int(reviewer.locator('[data-part="records_by_kind:行政处罚"]').inner_text().rstrip("条"))
    assert narrowed <= count
    reviewer.go_back()  # the industry alone, and a drill-down to its rows
    reviewer.get_by_role("link", name="查看行政处罚明细").first.click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("公示信息（按类别）明细")
    rows = reviewer.get_by_role("table", name="公示信息（按类别）明细").get_by_role("row")
    expect(rows).to_have_count(count + 1)
    expect(rows.nth(1)).to_contain_text("食品药品")
    rows.get_by_role("link").first.click()  # a record of the reviewer's own department
    expect(reviewer.get_by_role("heading", level=1)).to_contain_text("行政处罚")


def test_administrator_dashboard_covers_the_city(staff):
    admin = staff("admin")
    admin.get_by_role("navigation", name="后台导航").get_by_role("link", name="统计分析").click()
    department = admin.get_by_label("部门", exact=True)
    # Waits for the statistics page; count() alone would read whatever page is loaded.
    expect(department.locator("option:checked")).to_have_text("全部部门")
    assert department.locator("option").count() > 2
    expect(admin.get_by_text("统计范围：本部门")).to_have_count(0)


def test_grading_run_explained_and_sample_reproducible(staff):
    admin = staff("admin")
    admin.get_by_role("navigation", name="后台导航").get_by_role("link", name="信用评价").click()
    admin.get_by_label("评价期").fill("12m")
    admin.get_by_role("button", name="开始评价").click()
    expect(admin.get_by_role("status")).to_contain_text("已完成12m信用评价")
    distribution = admin.get_by_role("table", name="分行业信用等级分布（家，括号内为占比）")
    expect(distribution).to_contain_text("全市")
    expect(admin.get_by_role("img", name=re.compile("信用等级分布"))).to_be_visible()
    admin.get_by_role("table", name="企业信用等级").get_by_role("link").first.click()
    expect(admin.get_by_role("table", name="得分构成")).to_contain_text("基础分")

    def draw() -> list[str]:
        admin.go_back()
        admin.get_by_label("行业（必填）").select_option("食品药品")
        admin.get_by_label("随机种子").fill("2026Q3")
        admin.get_by_role("button", name="抽取双随机检查名单").click()
        expect(admin.get_by_role("heading", level=1)).to_have_text("食品药品双随机检查名单")
        return admin.get_by_role("table", name=re.compile("抽取结果")).get_by_role("row").all_inner_texts()

    first = draw()
    assert len(first) > 1 and draw() == first
