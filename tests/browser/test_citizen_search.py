"""A citizen looks a company up and opens its credit file, in Chromium."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Penalty, PublicationState, Subject, SubjectKind


def _penalised_company(live_server) -> tuple[str, str]:
    """(name, USCC) of an organisation with a published penalty in the demo data."""
    with live_server.app.app_context():
        row = db.session.execute(
            select(Subject.name, Subject.uscc)
            .join(Penalty, Penalty.subject_id == Subject.id)
            .where(Subject.kind == SubjectKind.ORGANISATION, Penalty.state == PublicationState.PUBLISHED)
            .order_by(func.length(Subject.name).desc())
            .limit(1)
        ).one()
    return row.name, row.uscc


def test_search_by_part_of_the_name_and_open_the_credit_file(page, live_server):
    name, uscc = _penalised_company(live_server)
    page.goto("/")
    page.get_by_role("link", name="信用查询").first.click()
    page.get_by_label("企业名称、统一社会信用代码、决定书文号或关键词").fill(name[2:6])
    page.get_by_role("button", name="查询").click()
    page.get_by_role("link", name=name).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.locator("main")).to_contain_text(uscc)


def test_search_by_uscc(page, live_server):
    name, uscc = _penalised_company(live_server)
    page.goto("/search")
    page.get_by_label("企业名称、统一社会信用代码、决定书文号或关键词").fill(uscc)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#subjects-title")).to_contain_text("1")
    expect(page.get_by_role("link", name=name).first).to_be_visible()
