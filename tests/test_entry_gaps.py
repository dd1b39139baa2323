"""The 应录未录 indicator recomputed in Python from the rows (licences, projects, attached records), its
drill-down giving exactly those gaps, and the admin page and dashboard showing the same figures."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from openpyxl import load_workbook

from portal import clock, reference
from portal.extensions import db
from portal.models import Project, PublicationState, SubjectKind
from portal.services.statistics import indicators as ind
from portal.services.statistics.period import Period
from portal.visibility import is_public
from tests import statistics_rows
from tests.admin_helpers import login, staff
from tests.statistics_rows import END, START

Q2 = Period("2026Q2", "2026年第2季度", START, END)
SCOPES = [ind.Scope(), ind.Scope(industry="燃气经营"), ind.Scope(district="330212"), ind.Scope(district="other")]
CITY_DISTRICTS = ("330203", "330212", "330282")


@pytest.fixture
def rows(app_ctx):
    """The statistics quarter, plus projects for most enterprises licensed in an industry that needs them."""
    out = statistics_rows.build()
    rng = random.Random(7)
    needed = reference.project_kinds().project_industries
    out.projects = []
    enterprises = {s.id: s for s in out.subjects if s.kind != SubjectKind.PERSON}
    pairs = sorted(
        {(r.subject_id, r.industry) for r in out.records if r.industry in needed and r.subject_id in enterprises}
    )
    for n, (subject_id, industry) in enumerate(pairs):
        if rng.random() < 0.3:
            continue
        start = dt.date(2025, 6, 1) + dt.timedelta(days=rng.randrange(0, 400))
        project = Project(
            code=f"XM2026{n:06d}",
            subject_id=subject_id,
            name=f"项目{n}",
            kind="工程项目",
            industry=industry,
            district=rng.choice(CITY_DISTRICTS),
            start_on=start,
            end_on=start + dt.timedelta(days=rng.randrange(30, 400)) if rng.random() < 0.5 else None,
            state=rng.choice([PublicationState.PUBLISHED] * 4 + [PublicationState.PENDING]),
            department_id=out.departments[0].id,
        )
        db.session.add(project)
        out.projects.append(project)
    db.session.flush()
    for record in out.records:
        mine = [p for p in out.projects if p.subject_id == record.subject_id and p.industry == record.industry]
        if mine and rng.random() < 0.6:
            record.project_id = rng.choice(mine).id
    db.session.commit()
    return out


def expected_gaps(rows, scope: ind.Scope) -> list[tuple]:
    """The gaps by the indicator's formula, read from the rows without the service."""
    today = clock.today()
    needed = reference.project_kinds().project_industries
    subjects = {s.id: s for s in rows.subjects}
    approved = [p for p in rows.projects if p.state == PublicationState.PUBLISHED]
    found = set()
    for r in rows.records:
        subject = subjects[r.subject_id]
        licensed = type(r).__name__ == "License" and is_public(r, today) and r.industry in needed
        has_project = any(p.subject_id == r.subject_id and p.industry == r.industry for p in approved)
        if licensed and subject.kind != SubjectKind.PERSON and not has_project:
            found.add(("licensed_without_project", r.subject_id, r.industry, subject.region_code))
    for p in approved:
        running = p.start_on <= END and (p.end_on is None or p.end_on >= START)
        entered = [
            r
            for r in rows.records
            if r.project_id == p.id
            and r.published_at is not None
            and r.state != PublicationState.WITHDRAWN
            and START <= r.decided_on <= END
        ]
        if running and not entered:
            found.add(("project_without_record", p.id, p.industry, p.district))

    def in_scope(gap) -> bool:
        district_ok = (
            not scope.district
            or gap[3] == scope.district
            or (scope.district == "other" and gap[3] not in CITY_DISTRICTS)
        )
        return (not scope.industry or gap[2] == scope.industry) and district_ok

    return sorted(g for g in found if in_scope(g))


@pytest.mark.parametrize("scope_index", range(len(SCOPES)))
def test_entry_gaps_recomputed_from_rows(rows, scope_index):
    scope = SCOPES[scope_index]
    expected = expected_gaps(rows, scope)
    result = ind.compute("entry_gaps", Q2, scope)
    assert result.value == len(expected)
    parts = {p.label: p.value for p in result.parts}
    assert parts["有许可无项目"] == sum(g[0] == "licensed_without_project" for g in expected)
    assert parts["项目无信用记录"] == sum(g[0] == "project_without_record" for g in expected)
    for industry in {g[2] for g in expected}:
        assert parts[f"行业：{industry}"] == sum(g[2] == industry for g in expected)
    for code, name in (("330203", "海曙区"), ("330212", "鄞州区")):
        assert parts.get(f"区县：{name}", 0) == sum(g[3] == code for g in expected)
    assert parts.get("区县：其他地区", 0) == sum(g[3] not in CITY_DISTRICTS for g in expected)

    drilled = ind.drill("entry_gaps", Q2, scope, {})
    assert sorted((r.kind, r.id) for r in drilled) == sorted(
        ("project" if g[0] == "project_without_record" else "subject", g[1]) for g in expected
    )
    project_rows = ind.drill("entry_gaps", Q2, scope, {"gap": "project_without_record"})
    assert len(project_rows) == parts["项目无信用记录"]


def test_the_rows_hold_gaps_of_both_kinds(rows):
    kinds = {g[0] for g in expected_gaps(rows, ind.Scope())}
    assert kinds == {"licensed_without_project", "project_without_record"}


def test_the_admin_page_and_the_dashboard_show_the_same_figure(rows, app):
    from portal.models import Role

    staff("tongji", Role.REVIEWER)  # the 信用办: city-wide figures (department staff see their own)
    client = app.test_client()
    assert login(client, "tongji").status_code == 302
    total = len(expected_gaps(rows, ind.Scope()))
    page = client.get("/admin/projects/gaps", query_string={"period": "2026Q2"}).get_data(as_text=True)
    assert f"<strong data-gaps-total>{total}</strong>" in page
    dashboard = client.get("/admin/statistics", query_string={"period": "2026Q2"}).get_data(as_text=True)
    assert f'data-indicator="entry_gaps">{total}个<' in dashboard
    drill = client.get(
        "/admin/statistics/entry_gaps/rows", query_string={"period": "2026Q2", "gap": "licensed_without_project"}
    )
    assert drill.status_code == 200 and "有许可无项目" in drill.get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get("/admin/statistics/bulletin.xlsx?period=2026Q2").data))
    expected = expected_gaps(rows, ind.Scope())
    for sheet, column, name in (("附件1 分行业", 2, "燃气经营"), ("附件2 分区县", 3, "鄞州区")):
        header, *lines = book[sheet].iter_rows(values_only=True)
        found = {line[0]: dict(zip(header, line, strict=True)) for line in lines}
        code = {"鄞州区": "330212"}.get(name, name)
        assert found[name]["应录未录（个）"] == sum(g[column] == code for g in expected)
        assert found["合计"]["应录未录（个）"] == total
    bad = client.get("/admin/projects/gaps", query_string={"period": "2026Q9"})
    assert bad.status_code == 400 and 'role="alert"' in bad.get_data(as_text=True)


def test_the_demo_seeds_projects_with_believable_gaps(runner, app_ctx):
    from sqlalchemy import func, select

    from portal.models import License, Penalty
    from portal.services.statistics.period import parse

    result = runner.invoke(args=["portal", "seed", "--subjects", "300", "--seed", "5"])
    assert result.exit_code == 0 and "项目/设施" in result.output
    projects = db.session.scalars(select(Project)).all()
    approved = [p for p in projects if p.state == PublicationState.PUBLISHED]
    assert len({p.industry for p in approved}) >= 2 and len({p.district for p in approved}) >= 4
    assert any(p.state == PublicationState.PENDING for p in projects) or len(projects) < 30
    assert all(p.end_on is None or p.end_on >= p.start_on for p in projects)
    attached = sum(
        db.session.scalar(select(func.count()).select_from(m).where(m.project_id.is_not(None)))
        for m in (License, Penalty)
    )
    assert attached > 0
    gaps = {p.label: p.value for p in ind.compute("entry_gaps", parse("12m", clock.today())).parts}
    assert 0 < gaps["有许可无项目"] < len(approved)
    assert 0 < gaps["项目无信用记录"] < len(approved)


def test_the_figure_is_a_snapshot_per_period_recounted_when_old(rows, app):
    """A whole-database check: pages read the period's snapshot and say when it was counted."""
    app.config["PORTAL_STATS_SNAPSHOT_SECONDS"] = 3600
    first = ind.compute("entry_gaps", Q2, ind.Scope(), clock.today())
    withdrawn = next(p for p in rows.projects if p.state == PublicationState.PUBLISHED)
    withdrawn.state = PublicationState.WITHDRAWN
    db.session.commit()
    kept = ind.compute("entry_gaps", Q2, ind.Scope(), clock.today())
    assert (kept.value, kept.counted_at) == (first.value, first.counted_at)
    assert first.counted_at is not None

    app.config["PORTAL_STATS_SNAPSHOT_SECONDS"] = 0
    recounted = ind.compute("entry_gaps", Q2, ind.Scope(), clock.today())
    assert recounted.counted_at > first.counted_at
    assert recounted.value == len(expected_gaps(rows, ind.Scope()))
