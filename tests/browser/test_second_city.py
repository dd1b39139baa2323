"""Another city's portal: its own name, emblem, districts and footer, and nothing of the demo city."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal import create_app
from portal.extensions import db
from tests.browser.conftest import LiveServer, _config
from tests.browser.helpers import sign_in

ADMIN_PASSWORD = "Other-City-Admin-2026"
OTHER_CITY = Path(__file__).resolve().parents[1] / "data" / "other_city.toml"
PUBLIC_PAGES = [
    "/",
    "/search?q=示例",
    "/licenses",
    "/penalties",
    "/lists/red",
    "/commitments",
    "/commitments/new",
    "/repair",
    "/objection",
    "/articles",
    "/track",
    "/reports/verify",
]


@pytest.fixture
def other_city(tmp_path, compiled_templates):
    folder = tmp_path / "other"
    folder.mkdir()
    app = create_app({**_config(folder), "PORTAL_CITY_FILE": str(OTHER_CITY)})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["portal", "init-db"]).exit_code == 0
    made = runner.invoke(args=["portal", "create-admin", "guanli"], env={"PORTAL_ADMIN_PASSWORD": ADMIN_PASSWORD})
    assert made.exit_code == 0, made.output
    with app.app_context():
        db.engine.dispose()
    server = LiveServer(folder, compiled_templates, PORTAL_CITY_FILE=str(OTHER_CITY))
    yield server
    server.stop()


def test_a_second_city_renders_its_own_portal(browser, other_city):
    context = browser.new_context(base_url=other_city.url, viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        for path in PUBLIC_PAGES:
            page.goto(path)
            body = page.locator("body").inner_text()
            assert "宁波" not in body and "330200" not in body, path
            expect(page.locator("header .brand")).to_contain_text("信用示例")
            expect(page.locator("header .emblem")).to_have_text("示")
            footer = page.locator("footer")
            for line in (
                "主办单位：示例市发展和改革委员会",
                "网站标识码：1101000001",
                "示ICP备00000001号",
                "示公网安备",
            ):
                expect(footer).to_contain_text(line)
        page.goto("/penalties")
        district = page.get_by_label("所属地区", exact=False)
        expect(district.locator("option", has_text="东城区")).to_have_count(1)
        # The city's colour reaches the header through its stylesheet.
        colour = page.locator("header.site-header").evaluate("e => getComputedStyle(e).backgroundColor")
        assert colour == "rgb(29, 79, 145)"
    finally:
        context.close()


def test_a_second_city_starts_with_the_departments_of_its_city_file(browser, other_city):
    context = browser.new_context(base_url=other_city.url, viewport={"width": 1366, "height": 900}, locale="zh-CN")
    try:
        page = sign_in(context.new_page(), "guanli", ADMIN_PASSWORD)
        page.get_by_role("navigation", name="后台导航").get_by_role("link", name="部门管理").click()
        rows = page.locator("table.grid tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.filter(has_text="示例市市场监督管理局")).to_contain_text("11110100W13HN64649")
        expect(rows.filter(has_text="示例市综合行政执法局")).to_contain_text("110100")
        body = page.locator("body").inner_text()
        assert "宁波" not in body and "330200" not in body
    finally:
        context.close()
