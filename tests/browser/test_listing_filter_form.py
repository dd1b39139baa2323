"""A visitor narrows the 行政处罚 listing with its filter form, in Chromium: a rare authority in a
district, then one no record has."""

from __future__ import annotations

from collections import Counter

from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import clock
from portal.extensions import db
from portal.models import Penalty
from portal.visibility import is_public


def _public_penalties(live_server) -> list[Penalty]:
    with live_server.app.app_context():
        rows = db.session.scalars(select(Penalty).options(selectinload(Penalty.subject))).all()
        return [r for r in rows if is_public(r, clock.today())]


def test_a_rare_authority_in_a_district_lists_just_its_penalties(page, live_server):
    shown = _public_penalties(live_server)
    authority = min(Counter(r.authority for r in shown).items(), key=lambda pair: pair[1])[0]
    region = next(r.subject.region_code for r in shown if r.authority == authority and r.subject.region_code)
    part = authority[1:-1]
    wanted = [r for r in shown if part in r.authority and r.subject.region_code == region]

    page.goto("/penalties")
    page.get_by_label("处罚机关").fill(part)
    page.get_by_label("所属地区").select_option(region)
    page.get_by_role("button", name="筛选").click()

    expect(page.locator("p.total")).to_contain_text(f"共 {len(wanted)} 条")
    cells = page.locator('td[data-label="决定机关"]')
    expect(cells).to_have_count(min(len(wanted), 20))
    for text in cells.all_inner_texts():
        assert part in text

    page.get_by_label("处罚机关").fill("没有这个机关")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("p.total")).to_contain_text("共 0 条")
    expect(page.locator('td[data-label="决定机关"]')).to_have_count(0)
