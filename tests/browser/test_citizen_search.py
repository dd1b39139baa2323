"""A citizen looks a company up and opens its credit file, in Chromium."""

from __future__ import annotations

import datetime as dt

import zhconv
from playwright.sync_api import expect
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import Penalty, Subject, SubjectKind
from portal.visibility import public_filter
from tests.exchange_files import HAISHU_USCC, import_rows, penalty_row

QUERY = "企业名称、统一社会信用代码、决定书文号或关键词"


def _penalised_company(live_server) -> tuple[str, str]:
    """(name, USCC) of an organisation with a penalty on show in the demo data."""
    with live_server.app.app_context():
        row = db.session.execute(
            select(Subject.name, Subject.uscc)
            .join(Penalty, Penalty.subject_id == Subject.id)
            .where(Subject.kind == SubjectKind.ORGANISATION, public_filter(Penalty, clock.today()))
            .order_by(func.length(Subject.name).desc())
            .limit(1)
        ).one()
    return row.name, row.uscc


def _search(page, text: str) -> None:
    page.get_by_label(QUERY).fill(text)
    page.get_by_role("button", name="查询").click()


def test_search_by_part_of_the_name_and_open_the_credit_file(page, live_server):
    name, uscc = _penalised_company(live_server)
    page.goto("/")
    page.get_by_role("link", name="信用查询").first.click()
    _search(page, name[2:6])
    page.get_by_role("link", name=name).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.locator("main")).to_contain_text(uscc)
    # From the credit file to one of its penalties.
    penalties = page.get_by_role("table", name="公示期内的行政处罚信息", exact=False)
    doc_no = penalties.get_by_role("link").first.inner_text()
    penalties.get_by_role("link", name=doc_no).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("行政处罚详情")
    expect(page.get_by_role("table", name=doc_no)).to_contain_text(name)
    expect(page.get_by_role("main").get_by_role("link", name="我要异议")).to_be_visible()


def test_search_by_uscc(page, live_server):
    name, uscc = _penalised_company(live_server)
    page.goto("/search")
    _search(page, uscc)
    expect(page.locator("#subjects-title")).to_contain_text("1")
    expect(page.get_by_role("link", name=name).first).to_be_visible()


def test_search_in_traditional_characters_finds_the_simplified_name(page, live_server):
    name, _ = _penalised_company(live_server)
    typed = zhconv.convert(name[:8], "zh-hant")
    assert typed != name[:8], "the name should have characters that differ in traditional script"
    page.goto("/search")
    _search(page, typed)
    expect(page.get_by_role("link", name=name).first).to_be_visible()


def test_search_with_half_width_brackets_finds_the_full_width_name(page, live_server, tmp_path):
    company = "宁波甬兴（集团）实业有限公司"
    decided = (clock.today() - dt.timedelta(days=20)).isoformat()
    row = penalty_row(**{"行政相对人名称": company, "统一社会信用代码": HAISHU_USCC, "处罚决定日期": decided})
    import_rows(live_server.app.test_cli_runner(), tmp_path / "brackets.csv", "penalty", [row])
    live_server.sync_index()
    page.goto("/search")
    _search(page, "甬兴(集团)")
    page.get_by_role("link", name=company).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(company)
    expect(page.get_by_role("table", name="公示期内的行政处罚信息", exact=False)).to_contain_text(
        row["行政处罚决定书文号"]
    )


def test_search_by_pinyin_initials(page, live_server, tmp_path):
    company = "宁波建工工程集团有限公司"
    decided = (clock.today() - dt.timedelta(days=10)).isoformat()
    row = penalty_row(**{"行政相对人名称": company, "统一社会信用代码": HAISHU_USCC, "处罚决定日期": decided})
    import_rows(live_server.app.test_cli_runner(), tmp_path / "initials.csv", "penalty", [row])
    live_server.sync_index()
    page.goto("/search")
    _search(page, "NBJG")
    page.get_by_role("link", name=company).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(company)
