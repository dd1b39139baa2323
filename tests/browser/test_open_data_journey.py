"""Open data in Chromium: a visitor finds the API reference and the downloads from any page; an
administrator issues an API key, the key works, and is revoked."""

from __future__ import annotations

from playwright.sync_api import expect


def test_visitor_finds_the_api_reference_and_downloads(page):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="开放数据接口").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("开放数据接口文档")
    page.get_by_role("link", name="GET /api/v1/removals").click()
    expect(page.locator("#get__api_v1_removals")).to_contain_text("移出公示记录")
    page.get_by_role("contentinfo").get_by_role("link", name="数据下载").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("公开数据下载")
    with page.expect_download() as download:
        page.get_by_role("row", name="行政处罚").get_by_role("link", name="下载").first.click()
    path = download.value.path()
    assert path.read_bytes().startswith("\ufeff行政相对人名称".encode())


def test_administrator_issues_and_revokes_an_api_key(staff):
    admin = staff("admin")
    admin.get_by_role("navigation", name="后台导航").get_by_role("link", name="接口密钥").click()
    admin.get_by_label("使用单位或个人名称").fill("宁波某数据服务有限公司")
    admin.get_by_role("button", name="签发").click()
    key = admin.locator("#issued-key").inner_text()
    answer = admin.request.get("/api/v1/penalties?limit=1", headers={"X-API-Key": key})
    assert answer.status == 200 and len(answer.json()["items"]) == 1
    admin.goto("/admin/api-keys")
    expect(admin.locator("#issued-key")).to_have_count(0)  # shown once
    row = admin.get_by_role("row", name="宁波某数据服务有限公司")
    expect(row).to_contain_text("有效")
    row.get_by_role("button", name="停用").click()
    expect(admin.get_by_role("status")).to_contain_text("已停用 宁波某数据服务有限公司 的接口密钥")
    expect(admin.get_by_role("row", name="宁波某数据服务有限公司")).to_contain_text("已停用")
