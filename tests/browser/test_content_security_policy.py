"""The Content-Security-Policy holds in Chromium: the main public and back-office pages load without
a single violation (no inline script, inline handler or inline style), and the print button works."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from portal.demo.accounts import demo_password
from portal.extensions import db
from portal.models import License, Objection, Penalty, PublicationState, Subject
from portal.services.publication import records

# Every violation the page reports, kept where the test can read it.
_RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def _watch(page) -> list[str]:
    console = []
    page.add_init_script(_RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return console


def _visit(page, console: list[str], path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status < 400, f"{path}: {response and response.status}"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    reported = page.evaluate("window.__csp")
    assert not reported and not console, f"{path}: {reported + console}"


def _shown(kind: str, model) -> int:
    """A record the public sees today."""
    ids = db.session.scalars(
        select(model.id).where(model.state == PublicationState.PUBLISHED).order_by(model.id.desc())
    )
    return next(i for i in ids if records.public_record(kind, i) is not None)


def _paths(live_server) -> tuple[list[str], dict[str, list[str]]]:
    with live_server.app.app_context():
        penalty = _shown("penalty", Penalty)
        licence = _shown("license", License)
        uscc = db.session.scalar(select(Subject.uscc).where(Subject.uscc.is_not(None)).limit(1))
        objection = db.session.scalar(select(Objection.id).order_by(Objection.id).limit(1))
    public = [
        "/",
        f"/search?q={uscc}",
        "/licenses",
        f"/licenses/{licence}",
        "/penalties",
        f"/penalties/{penalty}",
        f"/subjects/{uscc}",
        "/lists/red",
        "/lists/black",
        "/commitments",
        "/commitments/new",
        f"/objections/new?record_type=penalty&record_id={penalty}",
        "/repair",
        "/objection",
        "/articles",
        "/track",
        "/accessibility?mode=elder&next=/penalties",
    ]
    admin = {
        "luru": ["/admin/", "/admin/records", "/admin/imports", "/admin/lists"],
        "shenhe": ["/admin/review"],
        "bianji": ["/admin/articles", "/admin/articles/new"],
        "shouli": ["/admin/queues", f"/admin/applications/objection/{objection}"],
        "admin": ["/admin/accounts", "/admin/audit", "/admin/departments"],
    }
    return public, admin


def _sign_in(page, username: str) -> None:
    page.goto("/admin/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(demo_password(username))
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def test_public_and_back_office_pages_pass_the_policy(new_page, live_server):
    public, admin = _paths(live_server)
    page = new_page()
    console = _watch(page)
    for path in public:
        _visit(page, console, path)
    for username, paths in admin.items():
        staff = new_page()
        staff_console = _watch(staff)
        _sign_in(staff, username)
        for path in paths:
            _visit(staff, staff_console, path)


def test_print_button_on_the_receipt_runs_from_the_static_script(page, live_server):
    with live_server.app.app_context():
        company = db.session.execute(select(Subject.name, Subject.uscc).where(Subject.uscc.is_not(None)).limit(1)).one()
    console = _watch(page)
    # Headless Chromium has no printer: window.print is replaced so that the click can be seen to reach it.
    page.add_init_script("window.print = () => { window.__printed = true; };")
    _visit(page, console, "/commitments/new")
    page.get_by_label("承诺主体名称").fill(company.name)
    page.get_by_label("统一社会信用代码").fill(company.uscc)
    page.get_by_label("受理单位").select_option(index=1)
    page.get_by_label("承诺事由").fill("申请办理食品经营许可（告知承诺制）")
    page.get_by_label("法定代表人（负责人）签名").fill("王建国")
    page.get_by_label("经办人姓名").fill("李明")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("本单位已阅读上述信用承诺书").check()
    page.get_by_role("button", name="提交").click()
    print_button = page.get_by_role("button", name="打印回执")
    expect(print_button).to_be_visible()
    assert not page.evaluate("window.__csp") and not console
    print_button.click()
    assert page.evaluate("window.__printed") is True
