"""The statistics aggregates are derived: the figures they give equal a recount from the record rows,
after a full rebuild and after incremental refreshes following changes of every kind."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from portal import clock, reference
from portal.extensions import db
from portal.models import License, Penalty, PublicationState, StatRecordDay, StatTimelyDay, Subject, SubjectKind
from portal.services.statistics import aggregates
from portal.services.statistics import indicators as ind
from portal.services.statistics.period import Period
from portal.visibility import is_public
from tests import statistics_rows
from tests.statistics_rows import END, START, china

Q2 = Period("2026Q2", "2026年第2季度", START, END)
SCOPES = [
    ind.Scope(),
    ind.Scope(industry="燃气经营"),
    ind.Scope(district="330212"),
    ind.Scope(department_id=1),
    ind.Scope(industry="食品药品", district="330203"),
]


def _local_day(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(clock.CHINA).date()


def recount(scope: ind.Scope, limit: int) -> dict:
    """The figures from the rows as they are in the database now, in Python."""
    today = clock.today()
    subjects = {s.id: s for s in db.session.scalars(select(Subject))}
    records = [*db.session.scalars(select(License)), *db.session.scalars(select(Penalty))]

    def scoped(r, subject_industry=False):
        s = subjects[r.subject_id]
        return (
            (not scope.department_id or r.department_id == scope.department_id)
            and (not scope.industry or (s.industry if subject_industry else r.industry) == scope.industry)
            and (not scope.district or s.region_code == scope.district)
        )

    public = [r for r in records if is_public(r, today) and START <= r.decided_on <= END and scoped(r)]
    published = [
        r
        for r in records
        if r.published_at is not None
        and r.timeliness_workdays is not None
        and START <= _local_day(r.published_at) <= END
        and scoped(r)
    ]
    out = {
        "kind": (sum(isinstance(r, License) for r in public), sum(isinstance(r, Penalty) for r in public)),
        "industry": {n: sum(r.industry == n for r in public) for n in reference.industries().names},
        "month": {m: sum(f"{r.decided_on:%Y-%m}" == m for r in public) for m in ("2026-04", "2026-05", "2026-06")},
        "timely": (sum(r.timeliness_workdays <= limit for r in published), len(published)),
    }
    if not scope.department_id:
        companies = [
            r
            for r in records
            if r.state == PublicationState.PUBLISHED
            and subjects[r.subject_id].kind != SubjectKind.PERSON
            and scoped(r, subject_industry=True)
        ]
        out["per_subject"] = len(companies)
    return out


def from_aggregates(scope: ind.Scope) -> dict:
    kind = ind.compute("records_by_kind", Q2, scope)
    industry = {p.label: p.value for p in ind.compute("records_by_industry", Q2, scope).parts}
    timely = ind.compute("timeliness", Q2, scope)
    out = {
        "kind": tuple(p.value for p in kind.parts),
        "industry": {n: industry[n] for n in reference.industries().names},
        "month": {p.label: p.value for p in ind.compute("records_by_month", Q2, scope).parts},
        "timely": (timely.numerator, timely.denominator),
    }
    if not scope.department_id:
        out["per_subject"] = ind.compute("records_per_subject", Q2, scope).numerator
    return out


def table(model) -> list[tuple]:
    """The aggregate's rows without their ids, sorted: two builds compare equal when they count alike."""
    columns = [c for c in model.__table__.columns if c.name != "id"]
    return sorted(tuple(str(v) for v in row) for row in db.session.execute(select(*columns)))


def assert_agrees(app):
    limit = app.config["PORTAL_PUBLICATION_LIMIT_WORKDAYS"]
    for scope in SCOPES:
        assert from_aggregates(scope) == recount(scope, limit), scope


@pytest.fixture
def rows(app_ctx):
    return statistics_rows.build()


def test_rebuilt_aggregates_equal_a_recount_from_rows(rows, app):
    aggregates.rebuild()
    assert db.session.scalar(select(StatRecordDay.id).limit(1)) is not None
    assert_agrees(app)


def test_incremental_refresh_follows_every_kind_of_change(rows, app):
    aggregates.rebuild()
    records = rows.records
    pending = next(r for r in records if r.state == PublicationState.PENDING)
    pending.state, pending.published_at, pending.timeliness_workdays = (
        PublicationState.PUBLISHED,
        china(END - dt.timedelta(days=3)),
        2,
    )
    withdrawn = next(r for r in records if r.state == PublicationState.PUBLISHED and START <= r.decided_on <= END)
    withdrawn.state = PublicationState.WITHDRAWN
    moved = rows.subjects[1]
    moved.region_code, moved.industry = "330282", "燃气经营"
    penalty = next(r for r in records if isinstance(r, Penalty) and r.state == PublicationState.PUBLISHED)
    penalty.display_until = clock.today() - dt.timedelta(days=1)
    subject = rows.subjects[0]
    db.session.add(
        License(
            subject_id=subject.id,
            subject_name=subject.name,
            decided_on=START + dt.timedelta(days=5),
            authority="机关",
            authority_uscc="113302004JURQ2830R",
            source_unit="机关",
            source_unit_uscc="113302004JURQ2830R",
            doc_no="新增",
            category="登记",
            industry="燃气经营",
            department_id=rows.departments[0].id,
            state=PublicationState.PUBLISHED,
            published_at=china(START + dt.timedelta(days=8)),
            timeliness_workdays=3,
        )
    )
    db.session.commit()
    aggregates.refresh()
    assert_agrees(app)
    incremental = (table(StatRecordDay), table(StatTimelyDay))
    aggregates.rebuild()
    assert (table(StatRecordDay), table(StatTimelyDay)) == incremental


def test_a_large_backlog_is_left_to_the_refresh_job(rows, app, monkeypatch):
    aggregates.rebuild()
    app.config["PORTAL_STATS_REFRESH_SECONDS"] = 0
    asked = []
    monkeypatch.setattr(aggregates, "INLINE_LIMIT", 0)
    monkeypatch.setattr(aggregates.jobs, "enqueue", lambda name, *args: asked.append(name))
    before = aggregates.as_of()
    assert aggregates.ensure_fresh() == before  # the page shows the figures as of the last refresh
    assert aggregates.ensure_fresh() == before
    assert asked == [aggregates.JOB]  # requested once, not on every page
    aggregates.run_job()
    assert aggregates.as_of() > before


def test_a_page_finding_the_database_busy_shows_the_last_refresh(rows, app, monkeypatch):
    from sqlalchemy.exc import OperationalError

    aggregates.rebuild()
    before = aggregates.as_of()

    def busy():
        raise OperationalError("UPDATE stat_state", {}, Exception("database is locked"))

    monkeypatch.setattr(aggregates, "refresh", busy)
    assert aggregates.ensure_fresh() == before
    kind = recount(ind.Scope(), app.config["PORTAL_PUBLICATION_LIMIT_WORKDAYS"])["kind"]
    assert ind.compute("records_by_kind", Q2).value == sum(kind)  # nothing changed since: still right
