"""Each indicator recomputed in Python from the rows it counts, and its drill-down giving exactly those rows."""

from __future__ import annotations

import datetime as dt

import pytest

from portal import clock, reference
from portal.models import License, ListKind, Penalty, PublicationState
from portal.models.applications import ApplicationStatus as S
from portal.rules.publicity import add_months
from portal.rules.workdays import workdays_between
from portal.services.statistics import indicators as ind
from portal.services.statistics.period import Period, PeriodError, parse
from portal.visibility import is_public
from tests import statistics_rows
from tests.statistics_rows import END, START

Q2 = Period("2026Q2", "2026年第2季度", START, END)
CITY_DISTRICTS = ("330203", "330212", "330282")


@pytest.fixture
def rows(app_ctx):
    return statistics_rows.build()


def in_q2(day) -> bool:
    return day is not None and START <= day <= END


def local_day(moment):
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(clock.CHINA).date()


def subject_of(rows, record):
    return next(s for s in rows.subjects if s.id == record.subject_id)


def in_scope(rows, record, scope: ind.Scope, record_industry=True) -> bool:
    subject = subject_of(rows, record)
    industry = record.industry if record_industry else subject.industry
    return (
        (not scope.department_id or record.department_id == scope.department_id)
        and (not scope.industry or industry == scope.industry)
        and (not scope.district or subject.region_code == scope.district)
    )


SCOPES = [
    ind.Scope(),
    ind.Scope(industry="燃气经营"),
    ind.Scope(district="330212"),
    ind.Scope(industry="食品药品", district="330203"),
]


def test_period_parser():
    today = dt.date(2026, 12, 1)
    q = parse("2026q3", today)
    assert (q.code, q.start, q.end, q.label) == ("2026Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "2026年第3季度")
    assert q.months() == ["2026-07", "2026-08", "2026-09"]
    m = parse("2026-2", today)
    assert (m.code, m.start, m.end) == ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert parse("2024", today).end == dt.date(2024, 12, 31)
    last = parse("12m", today)
    assert (last.start, last.end) == (dt.date(2025, 12, 2), today)
    for bad in ("2026Q5", "2026-13", "上季度", "", "0000Q1", "9999-01"):
        with pytest.raises(PeriodError):
            parse(bad, today)


@pytest.mark.parametrize("scope_index", range(len(SCOPES)))
def test_public_record_counts(rows, scope_index):
    scope = SCOPES[scope_index]
    today = clock.today()
    counted = [r for r in rows.records if is_public(r, today) and in_q2(r.decided_on) and in_scope(rows, r, scope)]
    by_kind = ind.compute("records_by_kind", Q2, scope)
    assert by_kind.value == len(counted)
    assert [p.value for p in by_kind.parts] == [
        sum(isinstance(r, License) for r in counted),
        sum(isinstance(r, Penalty) for r in counted),
    ]
    by_industry = {p.label: p.value for p in ind.compute("records_by_industry", Q2, scope).parts}
    for name in reference.industries().names:
        assert by_industry[name] == sum(r.industry == name for r in counted)
    assert by_industry.get(ind.NO_INDUSTRY, 0) == sum(r.industry is None for r in counted)
    by_district = {p.drill["district"]: p.value for p in ind.compute("records_by_district", Q2, scope).parts}
    for code in CITY_DISTRICTS:
        assert by_district[code] == sum(subject_of(rows, r).region_code == code for r in counted)
    assert by_district.get("other", 0) == sum(subject_of(rows, r).region_code == "110108" for r in counted)
    by_month = {p.label: p.value for p in ind.compute("records_by_month", Q2, scope).parts}
    assert by_month == {
        m: sum(f"{r.decided_on:%Y-%m}" == m for r in counted) for m in ("2026-04", "2026-05", "2026-06")
    }
    by_category = {p.label: p.value for p in ind.compute("records_by_category", Q2, scope).parts}
    assert by_category["登记类"] == sum(isinstance(r, License) and r.category == "登记" for r in counted)
    assert by_category["资质类"] == sum(isinstance(r, License) and r.category != "登记" for r in counted)
    assert by_category["监管类"] == sum(isinstance(r, Penalty) for r in counted)
    # The breakdowns of one count add up to the same total.
    for key in ("records_by_industry", "records_by_district", "records_by_month", "records_by_category"):
        result = ind.compute(key, Q2, scope)
        assert result.value == sum(p.value for p in result.parts) == len(counted), key


def test_timeliness(rows, app):
    limit = app.config["PORTAL_PUBLICATION_LIMIT_WORKDAYS"]
    published = [r for r in rows.records if r.published_at is not None and in_q2(local_day(r.published_at))]
    in_time = [r for r in published if workdays_between(r.decided_on, local_day(r.published_at)) <= limit]
    result = ind.compute("timeliness", Q2)
    assert (result.numerator, result.denominator) == (len(in_time), len(published))
    assert 0 < len(in_time) < len(published)
    gas = next(p for p in result.parts if p.label == "行业：燃气经营")
    assert gas.denominator == sum(r.industry == "燃气经营" for r in published)
    assert gas.numerator == sum(r.industry == "燃气经营" for r in in_time)
    late = ind.drill("timeliness", Q2, ind.Scope(), {"late": "1"})
    assert {(r.kind, r.id) for r in late} == {(_kind(r), r.id) for r in published if r not in in_time}


def _kind(record) -> str:
    return "license" if isinstance(record, License) else "penalty"


def test_timeliness_limit_comes_from_configuration(rows, app):
    app.config["PORTAL_PUBLICATION_LIMIT_WORKDAYS"] = 10
    published = [r for r in rows.records if r.published_at is not None and in_q2(local_day(r.published_at))]
    assert ind.compute("timeliness", Q2).numerator == sum(r.timeliness_workdays <= 10 for r in published)


def test_accuracy_per_department(rows):
    runs = [r for r in rows.runs if in_q2(local_day(r.finished_at))]
    result = ind.compute("accuracy", Q2)
    assert (result.numerator, result.denominator) == (sum(r.rows_valid for r in runs), sum(r.rows_total for r in runs))
    dept = rows.departments[0]
    scoped = ind.compute("accuracy", Q2, ind.Scope(department_id=dept.id))
    assert scoped.denominator == sum(r.rows_total for r in runs if r.department_id == dept.id)
    assert not ind.compute("accuracy", Q2, ind.Scope(industry="燃气经营")).applicable


def test_list_changes_and_exit_ratio(rows):
    published = [e for e in rows.lists if e.state == PublicationState.PUBLISHED]
    result = ind.compute("list_changes", Q2)
    parts = {p.label: p.value for p in result.parts}
    for kind in ListKind:
        assert parts[f"{kind.label}列入"] == sum(e.kind == kind and in_q2(e.listed_on) for e in published)
        assert parts[f"{kind.label}移出"] == sum(e.kind == kind and in_q2(e.removed_on) for e in published)
    start = add_months(END, -12) + dt.timedelta(days=1)
    black = [e for e in published if e.kind == ListKind.BLACK and e.listed_on <= END]
    on_list = [e for e in black if e.removed_on is None or e.removed_on >= start]
    exited = [e for e in black if e.removed_on is not None and start <= e.removed_on <= END]
    ratio = ind.compute("black_list_exit_ratio", Q2)
    assert (ratio.numerator, ratio.denominator) == (len(exited), len(on_list))


def test_objections(rows):
    found = [o for o in rows.objections if in_q2(local_day(o.created_at))]
    valid = [o for o in found if o.outcome and o.status in (S.APPROVED, S.VERIFIED)]
    closed = [o for o in found if o.status in (S.REFUSED, S.REJECTED)] + valid
    days = [
        workdays_between(local_day(o.created_at), local_day(o.decided_at)) for o in valid if o.decided_at is not None
    ]
    result = ind.compute("objections", Q2)
    parts = {p.label: p for p in result.parts}
    assert result.value == len(found)
    assert (parts["成立率"].numerator, parts["成立率"].denominator) == (len(valid), len(closed))
    assert parts["平均处理工作日"].value == (sum(days) / len(days) if days else None)
    assert parts["最长处理工作日"].value == (max(days) if days else None)


def test_repairs(rows):
    today = clock.today()
    found = [r for r in rows.repairs if in_q2(local_day(r.created_at))]
    open_statuses = (S.SUBMITTED, S.ACCEPTED, S.MORE_MATERIAL, S.VERIFIED)
    now = [r for r in found if r.status in open_statuses and r.deadline and today > r.deadline]

    def late(repair) -> bool:
        events = rows.events[repair.id]
        for i, event in enumerate(events):
            if event.deadline is None:
                continue
            if i + 1 < len(events):
                if local_day(events[i + 1].at) > event.deadline:
                    return True
            elif repair.status in open_statuses and today > event.deadline:
                return True
        return False

    result = ind.compute("repairs", Q2)
    parts = {p.label: p for p in result.parts}
    assert result.value == len(found)
    assert parts["当前超期"].value == len(now)
    assert parts["曾经超期"].value == sum(late(r) for r in found)
    approved = [r for r in found if r.status == S.APPROVED]
    closed = [r for r in found if r.status in (S.APPROVED, S.REJECTED, S.REFUSED)]
    assert (parts["通过率"].numerator, parts["通过率"].denominator) == (len(approved), len(closed))


def test_commitments_and_records_per_subject(rows):
    found = [c for c in rows.commitments if c.status in (S.ACCEPTED, S.APPROVED) and in_q2(c.made_on)]
    result = ind.compute("commitments", Q2)
    assert result.value == len(found)
    enterprises = sum(not s.is_person for s in rows.subjects)
    per_100 = next(p for p in result.parts if p.label == "每百户企业承诺数")
    assert (per_100.numerator, per_100.denominator) == (len(found), enterprises)
    types = {p.label: p.value for p in result.parts if p.label.startswith("类型：")}
    assert sum(types.values()) == len(found)

    per_subject = ind.compute("records_per_subject", Q2)
    published = [r for r in rows.records if r.state == PublicationState.PUBLISHED]
    companies = sum(not subject_of(rows, r).is_person for r in published)
    assert (per_subject.numerator, per_subject.denominator) == (companies, enterprises)


COUNT_INDICATORS = (
    "records_by_kind",
    "records_by_industry",
    "records_by_district",
    "records_by_month",
    "records_by_category",
    "list_changes",
    "commitments",
)


@pytest.mark.parametrize("key", COUNT_INDICATORS)
def test_every_count_drills_down_to_exactly_its_rows(rows, key):
    result = ind.compute(key, Q2, ind.Scope())
    checked = 0
    for part in result.parts:
        if isinstance(part.value, int) and part.drill:
            assert len(ind.drill(key, Q2, ind.Scope(), part.drill)) == part.value, part.label
            checked += 1
    assert checked


def test_rate_parts_drill_to_their_numerators(rows):
    repairs = ind.compute("repairs", Q2)
    for part in repairs.parts:
        expected = part.numerator if part.label == "通过率" else part.value
        assert len(ind.drill("repairs", Q2, ind.Scope(), part.drill)) == expected
    objections = ind.compute("objections", Q2)
    valid = next(p for p in objections.parts if p.label == "成立率")
    assert len(ind.drill("objections", Q2, ind.Scope(), valid.drill)) == valid.numerator
    exits = ind.compute("black_list_exit_ratio", Q2)
    assert len(ind.drill("black_list_exit_ratio", Q2, ind.Scope(), {"exited": "1"})) == exits.numerator
    assert len(ind.drill("black_list_exit_ratio", Q2, ind.Scope(), {})) == exits.denominator


def test_code_quality_reuses_the_data_quality_report(app_ctx):
    from portal.extensions import db
    from portal.models import Subject, SubjectKind, SubjectName
    from portal.services.publication import data_quality

    good = Subject(subject_key="A", kind=SubjectKind.ORGANISATION, name="甲", name_norm="甲", uscc="91110108551385082Q")
    bad = Subject(subject_key="B", kind=SubjectKind.ORGANISATION, name="乙", name_norm="乙", uscc="91110108551385082A")
    db.session.add_all([good, bad])
    db.session.flush()
    db.session.add_all(
        [
            SubjectName(subject_id=good.id, name="甲二", name_norm="甲二", source="import", status="conflict"),
            SubjectName(subject_id=good.id, name="甲三", name_norm="甲三", source="import", status="rejected"),
        ]
    )
    db.session.commit()
    report = data_quality.code_report()
    result = ind.compute("code_quality", Q2)
    parts = {p.label: p for p in result.parts}
    assert parts["一码多名"].value == len(report.conflicts) == 1
    assert parts["校验位错误"].value == len(report.invalid) == 1
    assert result.value == 2
    share = parts["一码多名案件已处理率"]
    assert (share.numerator, share.denominator) == (1, 2)
    assert {r.title for r in ind.drill("code_quality", Q2, ind.Scope(), {"type": "invalid"})} == {"91110108551385082A"}
    assert not ind.compute("code_quality", Q2, ind.Scope(industry="燃气经营")).applicable
