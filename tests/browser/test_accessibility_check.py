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
from tests.browser.helpers import penalty_of_a_company, sign_in, track


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


# Each desk's pages, walked as the demo account who works there (a desk without its role is a 403 page).
ADMIN_PAGES = {
    "admin": (
        "/admin/",
        "/admin/audit",
        "/admin/accounts",
        "/admin/accounts?kind=clerk&sort=login&order=asc",
        "/admin/departments",
        "/admin/api-keys",
        "/admin/api-keys?state=valid&sort=holder",
    ),
    "luru": ("/admin/records", "/admin/lists", "/admin/imports", "/admin/imports?kind=penalty&sort=file"),
    "shouli": ("/admin/queues", "/admin/queues?kind=objection&state=overdue&sort=since"),
    "bianji": ("/admin/articles", "/admin/articles?sort=title&order=asc", "/admin/articles/new"),
}


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
    expect(page.get_by_role("alert").first).to_be_visible()  # count() would not wait for the answer
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


@pytest.mark.parametrize("width", [1366, 390])
def test_the_back_office_passes_the_accessibility_check(browser, live_server, width):
    failures = {}
    for username, paths in ADMIN_PAGES.items():
        context = browser.new_context(
            base_url=live_server.url, bypass_csp=True, locale="zh-CN", viewport={"width": width, "height": 900}
        )
        try:
            page = sign_in(context.new_page(), username)
            for path in paths:
                page.goto(path)
                expect(page.get_by_role("heading", level=1)).not_to_have_text("无权访问")
                if width < 600:  # the phone's folded menu, open
                    page.get_by_text("后台菜单", exact=True).click()
                    expect(page.get_by_role("navigation", name="后台导航")).to_be_visible()
                found = violations(page)
                if found:
                    failures[f"{username} {path}"] = report(found)
        finally:
            context.close()
    assert not failures, "\n".join(f"{path}\n{text}" for path, text in failures.items())


def test_receipts_and_the_tracking_page_pass_the_accessibility_check(checked_page, live_server):
    """After filing a repair, an objection and a commitment: each 回执, then its 办理进度 on /track."""
    from tests.browser.test_commitment_journey import file_commitment
    from tests.browser.test_objection_journey import file_objection
    from tests.browser.test_repair_journey import file_repair

    page = checked_page
    failures = {}
    filed = []
    repaired = penalty_of_a_company(live_server.app, repairable=True)
    for name, file in (
        ("repair", lambda: file_repair(page, repaired)),
        ("objection", lambda: file_objection(page, penalty_of_a_company(live_server.app))),
        ("commitment", lambda: file_commitment(page, repaired, "申请食品经营许可")),
    ):
        filed.append(file())
        found = violations(page)
        if found:
            failures[f"{name} 回执"] = report(found)
    for number, code in filed:
        track(page, number, code)
        expect(page.get_by_text(number).first).to_be_visible()
        found = violations(page)
        if found:
            failures[f"track {number}"] = report(found)
    assert not failures, "\n".join(f"{where}\n{text}" for where, text in failures.items())


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
