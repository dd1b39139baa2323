"""axe-core on every public page (and the back office's main pages), in the standard and the
elder-friendly mode: no serious or critical violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import Article, License, Penalty, Subject, SubjectKind
from portal.visibility import public_filter
from tests.browser.a11y import report, violations
from tests.browser.helpers import sign_in


def _public_pages(live_server) -> list[str]:
    today = clock.today()
    with live_server.app.app_context():
        licence = db.session.scalar(select(License.id).where(public_filter(License, today)).limit(1))
        penalty = db.session.scalar(select(Penalty.id).where(public_filter(Penalty, today)).limit(1))
        uscc = db.session.scalar(
            select(Subject.uscc)
            .join(Penalty, Penalty.subject_id == Subject.id)
            .where(Subject.kind == SubjectKind.ORGANISATION, public_filter(Penalty, today))
            .limit(1)
        )
        article = db.session.scalar(select(Article.id).where(Article.published_at.is_not(None)).limit(1))
    return [
        "/",
        "/search",
        f"/search?q={uscc[:8]}",
        "/search?q=有限公司",
        "/licenses",
        f"/licenses/{licence}",
        "/penalties",
        f"/penalties/{penalty}",
        f"/subjects/{uscc}",
        "/lists/red",
        "/lists/black",
        "/lists/abnormal",
        "/commitments",
        "/commitments/new",
        "/repair",
        "/objection",
        f"/objections/new?record_type=penalty&record_id={penalty}",
        f"/repair/apply?penalty_id={penalty}",
        "/articles",
        f"/articles/{article}",
        "/track",
        "/reports/verify",
        "/no-such-page",
    ]


ADMIN_PAGES = (
    "/admin/",
    "/admin/records",
    "/admin/lists",
    "/admin/articles",
    "/admin/articles/new",
    "/admin/audit",
    "/admin/accounts",
    "/admin/queues",
    "/admin/imports",
)


@pytest.fixture
def checked_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_every_public_page_passes_the_accessibility_check(checked_page, live_server, mode):
    page = checked_page
    if mode == "elder":
        page.goto("/accessibility?mode=elder&next=/")
    failures = {}
    for path in _public_pages(live_server):
        page.goto(path)
        found = violations(page)
        if found:
            failures[path] = report(found)
    assert not failures, "\n".join(f"{path}\n{text}" for path, text in failures.items())


def test_forms_with_errors_pass_the_accessibility_check(checked_page):
    page = checked_page
    page.goto("/commitments/new")
    page.get_by_role("button", name="提交承诺").click()
    assert page.get_by_role("alert").count() > 0
    # Each field in error names its message: a screen reader reads it with the field.
    name = page.get_by_label("承诺主体名称", exact=False)
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(re.compile("请"))
    found = violations(page)
    assert not found, report(found)


def test_back_office_form_errors_are_announced_with_their_field(browser, live_server):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="zh-CN")
    try:
        page = sign_in(context.new_page(), "bianji")  # the editor
        page.goto("/admin/articles/new")
        page.get_by_label("标题").fill("")
        form = page.locator("main form").filter(has=page.get_by_label("标题"))
        form.evaluate("f => { f.noValidate = true; }")  # the server's answer, not the browser's own check
        form.locator("button[type=submit]").first.click()
        title = page.get_by_label("标题")
        expect(title).to_have_attribute("aria-invalid", "true")
        expect(title).to_have_accessible_description("请输入标题")
        found = violations(page)
        assert not found, report(found)
    finally:
        context.close()


def test_the_back_office_passes_the_accessibility_check(browser, live_server):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="zh-CN")
    try:
        page = sign_in(context.new_page(), "admin")
        failures = {}
        for path in ADMIN_PAGES:
            page.goto(path)
            found = violations(page)
            if found:
                failures[path] = report(found)
        assert not failures, "\n".join(f"{path}\n{text}" for path, text in failures.items())
    finally:
        context.close()


def test_the_check_finds_what_it_is_meant_to_find(checked_page):
    """An unlabelled field and an image without text fail: the check is running."""
    page = checked_page
    page.set_content('<html lang="zh-CN"><title>t</title><main><input type="text"><img src="x.png"></main></html>')
    assert {"label", "image-alt"} <= {v["id"] for v in violations(page)}


def test_the_elder_friendly_mode_covers_the_back_office(staff):
    page = staff("admin")
    page.get_by_role("link", name="适老化（大字高对比）").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\belder\b"))
    expect(page.get_by_role("button", name="退出")).to_be_visible()  # still in the back office, signed in
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 22
    page.get_by_role("navigation", name="后台导航").get_by_role("link", name="审计日志").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\belder\b"))
    page.get_by_role("link", name="切换到标准版").click()
    expect(page.locator("body")).not_to_have_class(re.compile(r"\belder\b"))


def test_phone_pages_with_the_menu_open_pass_the_accessibility_check(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    try:
        page = context.new_page()
        failures = {}
        for path in ("/", "/search?q=有限公司", "/commitments/new"):
            page.goto(path)
            page.get_by_text("栏目导航", exact=True).click()
            expect(page.get_by_role("navigation", name="栏目导航")).to_be_visible()
            found = violations(page)
            if found:
                failures[path] = report(found)
        assert not failures, "\n".join(f"{path}\n{text}" for path, text in failures.items())
    finally:
        context.close()
