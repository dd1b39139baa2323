"""Listing filters, rare or common: the same records and the same total, whichever way the
database is asked to read them (portal.services.publication.filter_plans)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import selectinload

from portal import clock
from portal.extensions import db
from portal.models import License, Penalty
from portal.services.core.paging import bounded_count
from portal.services.publication import filter_plans, records
from portal.visibility import is_public
from tests.forms import page_form
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


def rows_from(client, kind: str, html: str) -> list[int]:
    """Every row the listing shows from this first page on, following its "next" links."""
    row = re.compile(rf'href="/{kind}/(\d+)"')
    seen: list[int] = []
    while True:
        seen += [int(i) for i in row.findall(html)]
        following = link(html, "next")
        if following is None:
            return seen
        html = page(client, following)


def filtered(client, kind: str, args: dict) -> str:
    """The first page a visitor reaches with these filters: through the page's own filter form
    where it offers the values, else by a crafted link (values the form does not list)."""
    form = page_form(client, f"/{kind}", action=f"/{kind}")
    offered = {name: [v for v, _ in form.field(name).options] for name in ("category", "region")}
    if all(value in offered.get(name, [value]) for name, value in args.items()):
        response = form.fill(**args).submit(client)
    else:
        response = client.get(f"/{kind}?{urlencode(args)}")
    assert response.status_code == 200, args
    return response.get_data(as_text=True)


def cases(client, kind: str) -> list[dict]:
    """Filters from the form's options and the data, from the rarest value to the most common, and
    values no record has (a district the form does not list, a category that is none)."""
    model = MODELS[kind]
    form = page_form(client, f"/{kind}", action=f"/{kind}")
    regions = [v for v, _ in form.field("region").options if v]
    categories = [v for v, _ in form.field("category").options if v]
    rows = db.session.scalars(select(model)).all()
    authorities = sorted({r.authority for r in rows}, key=lambda a: sum(r.authority == a for r in rows))
    found = [{"authority": authorities[0]}, {"authority": authorities[-1]}, {"authority": authorities[-1][2:5]}]
    found += [{"authority": "无此机关"}, {"authority": "%"}, {"region": "999999"}, {"category": "不是类别"}]
    held = [r.category for r in rows] if kind == "licenses" else [c for r in rows for c in r.categories.split(";")]
    common = sorted((c for c in set(held) if len(c) > 2), key=held.count, reverse=True)
    found += [{"category": c[:2]} for c in common[:3]]  # a part of a category the records hold is none
    found += [{"region": code} for code in regions[:3]] + [{"category": c} for c in categories]
    found += [
        {"region": regions[0], "authority": authorities[-1][2:5]},
        {"region": regions[-1], "category": categories[0]},
    ]
    return found


@pytest.mark.parametrize(
    "counted, walk_per_match, many",
    [(20_000, 0, 5000), (10**6, 10**9, 5000), (20_000, 200, 1)],
    ids=["walks", "index lookups", "weighed, too many values to resolve"],
)
@pytest.mark.parametrize("kind", ["licenses", "penalties"])
def test_a_filtered_listing_shows_exactly_the_records_that_pass(
    client, seeded, monkeypatch, kind, counted, walk_per_match, many
):
    monkeypatch.setattr(filter_plans, "COUNTED", counted)
    monkeypatch.setattr(filter_plans, "WALK_PER_MATCH", walk_per_match)
    monkeypatch.setattr(filter_plans, "MANY_VALUES", many)
    monkeypatch.setattr(filter_plans, "_counts", {})
    for args in cases(client, kind):
        want = expected(kind, args)
        first = filtered(client, kind, args)
        assert rows_from(client, kind, first) == want, args
        assert f"共 {len(want)} 条" in first, args


def test_a_postgresql_listing_plans_without_parallel_workers(client, seeded):
    """Starting parallel workers cost a first-time count 20-30 ms of the 30 it took at 1M records.
    The count and the page run on either side of the commit that keeps the count: each sets it,
    for its own transaction only."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner settings")
    default = db.session.scalar(text("SHOW max_parallel_workers_per_gather"))
    db.session.rollback()
    records.public_records("license", records.Filters(category="普通"))
    assert db.session.scalar(text("SHOW max_parallel_workers_per_gather")) == "0"
    assert db.session.scalar(text("SHOW jit")) == "off"
    db.session.rollback()
    assert db.session.scalar(text("SHOW max_parallel_workers_per_gather")) == default
    bounded_count(select(License.id).where(License.category == "普通"), 200)
    assert db.session.scalar(text("SHOW max_parallel_workers_per_gather")) == "0"
    db.session.rollback()


@pytest.mark.parametrize("kind", ["licenses", "penalties"])
def test_a_district_s_subjects_are_read_once_not_once_per_record(client, seeded, monkeypatch, kind):
    """A listing walking newest first tests each record's district against the district's subjects,
    read once through their index: tested as a correlated subquery, SQLite read a subject row for
    every record it walked (0.2 s for a first count at 1M records, on a cold cache)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plans")
    db.session.execute(text("ANALYZE"))  # the statistics an import leaves (loader.finish_statistics)
    db.session.commit()
    monkeypatch.setattr(filter_plans, "WALK_PER_MATCH", 0)  # the walk, however rare the district
    monkeypatch.setattr(filter_plans, "_counts", {})
    form = page_form(client, f"/{kind}", action=f"/{kind}")
    region = next(v for v, _ in form.field("region").options if v)
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if "region_code" in statement and statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert form.fill(region=region).submit(client).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    # The count and the page walk newest first; weighing the plans counted the district's records
    # through their subjects' index, unordered.
    walks = [(s, p) for s, p in statements if f"ORDER BY {kind}.decided_on DESC" in s]
    assert len(walks) == 2, statements
    with db.engine.connect() as conn:
        for statement, parameters in walks:
            plan = [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
            assert not any("CORRELATED" in step for step in plan), plan
            assert any("ix_subjects_region_code" in step for step in plan), plan
            assert any(f"ix_{kind}_listing" in step for step in plan), plan  # still newest first
