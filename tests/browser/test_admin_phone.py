"""The back office on a phone (390 px): the navigation folds into a menu that opens without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in


@pytest.mark.parametrize("javascript", [True, False])
def test_the_admin_menu_is_folded_on_a_phone_and_opens_to_navigate(browser, live_server, javascript):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="zh-CN", java_script_enabled=javascript
    )
    try:
        page = sign_in(context.new_page(), "admin")
        menu = page.locator("details.admin-menu")
        expect(page.locator("nav.admin-bar")).to_be_hidden()
        expect(menu.locator("summary")).to_have_text("后台菜单")
        expect(menu.get_by_role("link", name="账号管理")).to_be_hidden()
        # The first screen shows the page's heading, not a wall of links.
        heading = page.get_by_role("heading", level=1)
        box = heading.bounding_box()
        assert box is not None and box["y"] + box["height"] < 350, box
        menu.locator("summary").click()
        nav = page.get_by_role("navigation", name="后台导航")
        expect(nav).to_be_visible()
        nav.get_by_role("link", name="账号管理").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("账号管理")
        expect(page.locator("details.admin-menu")).not_to_have_attribute("open", "")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
    finally:
        context.close()


def test_the_admin_bar_stays_open_on_a_desktop(staff):
    page = staff("admin")
    expect(page.locator("details.admin-menu")).to_be_hidden()
    bar = page.get_by_role("navigation", name="后台导航")
    expect(bar).to_have_count(1)
    bar.get_by_role("link", name="审计日志").click()
    expect(bar.get_by_role("link", name="审计日志")).to_have_attribute("aria-current", "page")
