"""Listing filters, rare or common: the same records and the same total, whichever way the
database is asked to read them (portal.services.publication.filter_plans)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import clock
from portal.extensions import db
from portal.models import License, Penalty
from portal.services.publication import filter_plans, records
from portal.visibility import is_public
from tests.test_paging import link, page

MODELS = {"licenses": License, "penalties": Penalty}


@pytest.fixture
def seeded(runner, app_ctx):
    result = runner.invoke(args=["portal", "seed", "--subjects", "60", "--seed", "11"])
    assert result.exit_code == 0, result.output


def passes(record, kind: str, args: dict) -> bool:
    """The filter as a visitor reads it, record by record."""
    if "authority" in args and args["authority"] not in record.authority:
        return False
    if "region" in args and record.subject.region_code != args["region"]:
        return False
    if "category" in args:
        held = [record.category] if kind == "licenses" else record.categories.split(";")
        if args["category"] not in held:
            return False
    return True


def expected(kind: str, args: dict) -> list[int]:
    model, today = MODELS[kind], clock.today()
    rows = db.session.scalars(select(model).options(selectinload(model.subject))).all()
    kept = [r for r in rows if is_public(r, today) and passes(r, kind, args)]
    return [r.id for r in sorted(kept, key=lambda r: (r.decided_on, r.id), reverse=True)]


def listed(client, kind: str, args: dict) -> tuple[list[int], str]:
    """Every row the listing shows, following its "next" links; and its first page."""
    row = re.compile(rf'href="/{kind}/(\d+)"')
    first = html = page(client, f"/{kind}?{urlencode(args)}")
    seen: list[int] = []
    while True:
        seen += [int(i) for i in row.findall(html)]
        following = link(html, "next")
        if following is None:
            return seen, first
        html = page(client, following)


def cases(kind: str) -> list[dict]:
    """Filters from the data, from the rarest value to the most common, and values no record has."""
    model = MODELS[kind]
    rows = db.session.scalars(select(model).options(selectinload(model.subject))).all()
    authorities = sorted({r.authority for r in rows}, key=lambda a: sum(r.authority == a for r in rows))
    regions = sorted({r.subject.region_code for r in rows if r.subject.region_code})
    categories = records.CATEGORIES["license" if kind == "licenses" else "penalty"]
    found = [{"authority": authorities[0]}, {"authority": authorities[-1]}, {"authority": authorities[-1][2:5]}]
    found += [{"authority": "无此机关"}, {"authority": "%"}, {"region": "999999"}, {"category": "不是类别"}]
    found += [{"category": c[:2]} for c in categories if len(c) > 2]  # a part of a category is none
    found += [{"region": code} for code in regions[:3]] + [{"category": c} for c in categories]
    found += [
        {"region": regions[0], "authority": authorities[-1][2:5]},
        {"region": regions[-1], "category": categories[0]},
    ]
    return found


@pytest.mark.parametrize(
    "counted, walk_per_match, many",
    [(20_000, 0, 5000), (10**6, 10**9, 5000), (10**6, 10**9, 1), (20_000, 200, 5000)],
    ids=["walks", "index lookups", "too many values to resolve", "weighed"],
)
@pytest.mark.parametrize("kind", ["licenses", "penalties"])
def test_a_filtered_listing_shows_exactly_the_records_that_pass(
    client, seeded, monkeypatch, kind, counted, walk_per_match, many
):
    monkeypatch.setattr(filter_plans, "COUNTED", counted)
    monkeypatch.setattr(filter_plans, "WALK_PER_MATCH", walk_per_match)
    monkeypatch.setattr(filter_plans, "MANY_VALUES", many)
    monkeypatch.setattr(filter_plans, "_counts", {})
    for args in cases(kind):
        want = expected(kind, args)
        seen, first = listed(client, kind, args)
        assert seen == want, args
        assert f"共 {len(want)} 条" in first, args
