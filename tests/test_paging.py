"""Listing pages at a bounded cost: keyset pages, capped page numbers, cached totals."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import License
from portal.search import indexer
from portal.visibility import public_filter
from tests.exchange_files import license_row, write_csv

ROW_LINK = re.compile(r'href="/licenses/(\d+)"')


def page(client, url: str) -> str:
    response = client.get(url.replace("&amp;", "&"))
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def link(html: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', html)
    return found[1] if found else None


def import_licences(runner, tmp_path, tag: str, days: list[dt.date]) -> None:
    rows = [
        license_row(**{"行政许可决定文书号": f"甬许〔2026〕{tag}{i}号", "许可决定日期": day.isoformat()})
        for i, day in enumerate(days)
    ]
    path = write_csv(tmp_path / f"{tag}.csv", "license", rows)
    result = runner.invoke(args=["portal", "import", "license", str(path)])
    assert result.exit_code == 0 and "rejected=0" in result.output, result.output


def public_ids() -> set[int]:
    return set(db.session.scalars(select(License.id).where(public_filter(License, clock.today()))))


def test_keyset_pages_neither_repeat_nor_skip_rows_while_rows_are_inserted(client, runner, app_ctx, tmp_path):
    result = runner.invoke(args=["portal", "seed", "--subjects", "40", "--seed", "5"])
    assert result.exit_code == 0, result.output
    before = public_ids()
    days = sorted({d for (d,) in db.session.execute(select(License.decided_on))})
    seen: list[int] = []
    html, turn = page(client, "/licenses"), 0
    while True:
        seen += [int(i) for i in ROW_LINK.findall(html)]
        following = link(html, "next")
        if following is None:
            break
        # Rows arrive between two page views: newest, in the middle, and on the day of the last row shown.
        turn += 1
        import_licences(runner, tmp_path, f"N{turn}-", [clock.today(), days[len(days) // 2], days[turn % len(days)]])
        html = page(client, following)
    assert len(seen) == len(set(seen)), "a row was shown twice"
    assert before <= set(seen), "a row that was there all along was skipped"
    # Backwards from the oldest rows, the same holds.
    html, back = page(client, link(page(client, "/licenses"), "last")), []
    while True:
        back += [int(i) for i in ROW_LINK.findall(html)]
        previous = link(html, "prev")
        if previous is None or "before=" not in previous:
            break
        html = page(client, previous)
    assert len(back) == len(set(back)) and before <= set(back)


def test_page_numbers_are_capped_and_totals_cached(client, runner, app_ctx, tmp_path, monkeypatch):
    from portal.services.core import paging
    from portal.services.publication import records

    monkeypatch.setattr(paging, "MAX_PAGES", 2)
    result = runner.invoke(args=["portal", "seed", "--subjects", "40", "--seed", "5"])
    assert result.exit_code == 0, result.output
    indexer.sync(wait=True)
    total = len(public_ids())
    first = page(client, "/licenses")
    assert f"共 {total} 条" in first and "统计于" in first
    pages = -(-total // paging.PER_PAGE)
    assert pages > 3
    # A page number past the cap shows the last numbered page; its "next" goes on by keyset.
    capped = page(client, "/licenses?page=3")
    assert f"第 2 / {pages} 页" in capped and "after=" in link(capped, "next")
    # Past the end: the last page, found from the oldest rows.
    beyond = page(client, "/licenses?page=99")
    assert f"第 {pages} / {pages} 页" in beyond and link(beyond, "next") is None
    # Filtered listings count a bounded number of rows and say so.
    monkeypatch.setattr(records, "FILTERED_COUNT_CAP", 30)
    filtered = page(client, "/licenses?date_to=2100-01-01")
    assert "共 30+ 条" in filtered
    # The cached total is a derived copy: the indexer forgets it once the outbox brought new rows.
    import_licences(runner, tmp_path, "C", [clock.today()])
    assert f"共 {total} 条" in page(client, "/licenses")
    indexer.sync(wait=True)
    assert f"共 {total + 1} 条" in page(client, "/licenses")
    home = page(client, "/")
    assert f"{total + 1}" in home
