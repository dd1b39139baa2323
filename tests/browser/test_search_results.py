"""Searching by code: what the result page counts agrees with the credit file, prefixes find their
subjects, and the page says how many matched and why. In Chromium over the demo data."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import License, Penalty, Subject, SubjectKind
from portal.visibility import public_filter

QUERY = "企业名称、统一社会信用代码、决定书文号或关键词"


def _busiest_company(live_server) -> tuple[str, str]:
    """(name, USCC) of the organisation with the most public licences, so its file has several rows."""
    with live_server.app.app_context():
        row = db.session.execute(
            select(Subject.name, Subject.uscc)
            .join(License, License.subject_id == Subject.id)
            .where(Subject.kind == SubjectKind.ORGANISATION, public_filter(License, clock.today()))
            .group_by(Subject.id)
            .order_by(func.count().desc(), Subject.id)
            .limit(1)
        ).one()
    return row.name, row.uscc


def _search(page, text: str) -> None:
    page.goto("/search")
    page.get_by_label(QUERY).fill(text)
    page.get_by_role("button", name="查询").click()


def _count(text: str, label: str) -> int:
    return int(re.search(rf"{label}\D*(\d+)", text).group(1))


def test_a_uscc_search_counts_the_records_the_credit_file_shows(page, live_server):
    name, uscc = _busiest_company(live_server)
    _search(page, uscc)
    summary = page.get_by_role("status").filter(has_text="共找到").inner_text()
    assert _count(summary, "信用主体") == 1
    found = _count(summary, "公示记录")
    expect(page.locator("#records-title")).to_contain_text(f"（{found}条）")
    expect(page.locator(".results .why").first).to_contain_text("统一社会信用代码")
    expect(page.locator("mark").filter(has_text=uscc).first).to_be_visible()

    page.get_by_role("link", name=name).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    licences = _count(page.get_by_role("table", name="行政许可信息", exact=False).locator("caption").inner_text(), "")
    penalties = _count(page.get_by_role("table", name="行政处罚信息", exact=False).locator("caption").inner_text(), "")
    assert found == licences + penalties > 0


def test_a_code_prefix_finds_the_subjects_it_begins(page, live_server):
    _, uscc = _busiest_company(live_server)
    prefix = uscc[:12]
    with live_server.app.app_context():
        expected = db.session.scalar(
            select(func.count())
            .select_from(Subject)
            .where(Subject.uscc.startswith(prefix), Subject.kind != SubjectKind.PERSON)
        )
    _search(page, prefix)
    subjects = page.locator("#subjects-title + ol.results > li")
    expect(subjects).to_have_count(min(expected, 50))
    for item in subjects.all():
        expect(item.locator(".meta mark")).to_have_text(prefix)
    expect(page.get_by_role("status").filter(has_text="共找到")).to_contain_text(f"“{prefix}”开头")


def test_every_licence_and_penalty_row_of_the_credit_file_has_a_status(page, live_server):
    name, uscc = _busiest_company(live_server)
    page.goto(f"/subjects/{uscc}")
    for caption in ("行政许可信息", "行政处罚信息"):
        table = page.get_by_role("table", name=caption, exact=False)
        cells = table.locator("td[data-label='状态']")
        for cell in cells.all():
            assert cell.inner_text().strip(), f"{caption}: a row without 状态"


def test_a_name_search_says_why_each_record_matched(page, live_server):
    with live_server.app.app_context():
        doc_no = db.session.scalar(
            select(Penalty.doc_no).where(public_filter(Penalty, clock.today())).order_by(Penalty.id).limit(1)
        )
    _search(page, doc_no)
    first = page.locator("#records-title + ol.results > li").first
    expect(first.locator(".why")).to_contain_text("文书号")
    expect(first.locator("mark").first).to_be_visible()
