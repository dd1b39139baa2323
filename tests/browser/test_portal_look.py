"""What a visitor recognises as a government portal: header, service tiles, headline figures and
trend, a folded menu on phones, a short commitment form, and Chinese wherever people read."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer

TILES = ("信用查询", "信用报告", "信用承诺", "信用修复", "异议申诉", "办理进度", "双公示", "红黑名单")


def test_home_page_has_the_emblem_service_tiles_figures_and_trend(page):
    page.goto("/")
    header = page.get_by_role("banner")
    expect(header.locator(".emblem")).to_have_text("甬")
    expect(header.get_by_role("link", name=re.compile("信用宁波"))).to_be_visible()
    tiles = page.get_by_role("region", name="便民服务")
    for name in TILES:
        expect(tiles.get_by_role("link", name=re.compile(name))).to_be_visible()
    tiles.get_by_role("link", name=re.compile("办理进度")).click()
    expect(page).to_have_url(re.compile("/track$"))
    page.go_back()
    figures = page.get_by_role("region", name="信用信息公示")
    licences = int(
        figures.get_by_role("link", name=re.compile("行政许可")).locator("strong").inner_text().replace(",", "")
    )
    assert licences > 0
    chart = figures.get_by_role("img", name=re.compile("近12个月新增公示记录"))
    expect(chart.locator("polyline")).to_have_count(2)
    # The same figures as a table for screen readers: twelve months, no more than are on display.
    rows = figures.locator("table tbody tr")
    expect(rows).to_have_count(12)
    monthly = sum(int(r.locator("td").first.inner_text()) for r in rows.all())
    assert 0 < monthly <= licences
    footer = page.get_by_role("contentinfo")
    for line in ("主办单位：宁波市发展和改革委员会", "网站标识码：", "浙ICP备", "浙公网安备"):
        expect(footer).to_contain_text(line)


def test_on_a_phone_the_navigation_is_a_menu_that_opens_without_javascript(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="zh-CN"
    )
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.get_by_role("navigation", name="主导航")).to_be_hidden()
        menu = page.get_by_role("navigation", name="栏目导航")
        expect(menu).to_be_hidden()
        assert page.get_by_role("heading", name="信用信息查询").bounding_box()["y"] < 250
        page.get_by_text("栏目导航", exact=True).click()
        menu.get_by_role("link", name="信用承诺").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("信用承诺公示")
    finally:
        context.close()


def test_the_commitment_form_shows_the_chosen_letter_folded_after_the_fields(page):
    page.goto("/commitments/new")
    letters = page.locator("details[data-letter]")
    visible = letters.locator("visible=true")
    expect(visible).to_have_count(1)
    expect(visible).not_to_have_attribute("open", "")
    chosen = page.get_by_label("承诺类型").input_value()
    expect(visible).to_have_attribute("data-letter", chosen)
    assert visible.bounding_box()["y"] > page.get_by_label("承诺主体名称", exact=False).bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollHeight") < 3000
    other = page.get_by_label("承诺类型").locator("option").nth(2).get_attribute("value")
    page.get_by_label("承诺类型").select_option(other)
    expect(letters.locator("visible=true")).to_have_attribute("data-letter", other)
    letters.locator("visible=true").locator("summary").click()
    expect(letters.locator("visible=true").locator(".letter-text")).to_be_visible()


def test_without_javascript_each_type_s_letter_is_one_link_away(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto("/commitments/new")
        link = page.get_by_role("navigation", name="查看其他类型的承诺书").get_by_role("link").first
        other = link.inner_text()
        link.click()
        expect(page.get_by_label("承诺类型")).to_have_value(other)
        expect(page.locator("details[data-letter]").locator("visible=true")).to_have_attribute("data-letter", other)
    finally:
        context.close()


@pytest.fixture
def limited_server(demo_template, compiled_templates, tmp_path):
    folder = tmp_path / "limited"
    shutil.copytree(demo_template, folder)
    server = LiveServer(folder, compiled_templates, RATELIMIT_ENABLED=True, PORTAL_SEARCH_RATE_LIMIT="2 per 1 minute")
    yield server
    server.stop()


def test_the_too_many_requests_page_is_in_chinese(browser, limited_server):
    context = browser.new_context(base_url=limited_server.url, locale="zh-CN")
    try:
        page = context.new_page()
        for _ in range(3):
            response = page.goto("/search?q=有限公司")
        assert response.status == 429
        expect(page.get_by_role("heading", level=1)).to_have_text("查询过于频繁")
        expect(page.locator("main")).to_contain_text("当前限制：每分钟最多2次")
        assert not re.search(r"[A-Za-z]{3,}", page.locator("main").inner_text())
    finally:
        context.close()


def test_the_audit_log_and_its_filter_speak_chinese(staff):
    page = staff("admin")  # signing in is itself logged
    page.goto("/admin/audit")
    options = page.get_by_label("操作").locator("option").all_inner_texts()
    assert len(options) > 1
    cells = page.locator("table.audit tbody tr td:nth-child(4)").all_inner_texts()
    for label in options + cells:
        assert not re.search(r"[a-z]+_[a-z_]+|^[a-z]+$", label), label
