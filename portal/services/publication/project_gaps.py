"""应录未录: enterprises and projects that should have entries and do not, per industry and district.

The facts come from the database here; the rules (portal/rules/projects.py) decide what is a gap.
The 应录未录 indicator (services.statistics.indicators) and the admin page read `find`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from portal import city, clock, reference
from portal.extensions import db
from portal.models import License, Penalty, Project, PublicationState, Subject, SubjectKind
from portal.rules import projects as rules
from portal.visibility import public_filter

OTHER_DISTRICT = "other"  # a subject outside the city's districts (or without a region code)


@dataclass(frozen=True)
class Where:
    """The period and the industry / district a check is narrowed to (None: all)."""

    start: dt.date
    end: dt.date
    industry: str | None = None
    district: str | None = None  # a district's region code, or OTHER_DISTRICT


def _licences(where: Where, today: dt.date) -> list[rules.Licence]:
    """Enterprises' public licences in the industries that need projects (one per enterprise and industry)."""
    needed = reference.project_kinds().project_industries
    stmt = (
        select(License.subject_id, Subject.name, License.industry, Subject.region_code)
        .join(Subject, Subject.id == License.subject_id)
        .where(public_filter(License, today), License.industry.in_(needed), Subject.kind != SubjectKind.PERSON)
        .distinct()
    )
    if where.industry:
        stmt = stmt.where(License.industry == where.industry)
    return [
        rules.Licence(subject_id, name, industry, region)
        for subject_id, name, industry, region in db.session.execute(stmt)
        if industry is not None
    ]


def _projects(where: Where) -> list[rules.ProjectFacts]:
    """Approved projects with the decision dates of their entered records within the period (the rule
    looks at no other day, so no other is read)."""
    approved = [Project.state == PublicationState.PUBLISHED]
    if where.industry:
        approved.append(Project.industry == where.industry)
    days: dict[int | None, list[dt.date]] = {}
    for model in (License, Penalty):
        # Entered records count: reviewed and not withdrawn (expired or repaired ones were entered too).
        entered = (
            select(model.project_id, model.decided_on)
            .join(Project, Project.id == model.project_id)
            .where(
                *approved,
                model.decided_on >= where.start,
                model.decided_on <= where.end,
                model.published_at.is_not(None),
                model.state != PublicationState.WITHDRAWN,
            )
        )
        for project_id, day in db.session.execute(entered):
            days.setdefault(project_id, []).append(day)
    found = (
        select(
            Project.id,
            Project.subject_id,
            Subject.name,
            Project.name,
            Project.industry,
            Project.district,
            Project.start_on,
            Project.end_on,
        )
        .join(Subject, Subject.id == Project.subject_id)
        .where(*approved)
        .order_by(Project.id)
    )
    return [
        rules.ProjectFacts(pid, subject_id, subject, name, industry, district, start, end, tuple(days.get(pid, ())))
        for pid, subject_id, subject, name, industry, district, start, end in db.session.execute(found)
    ]


def in_district(district: str | None, wanted: str | None) -> bool:
    """A gap's district is the one asked for (None: any; OTHER_DISTRICT: outside the city's)."""
    if not wanted:
        return True
    if wanted == OTHER_DISTRICT:
        return district not in {d.code for d in city.current().districts}
    return district == wanted


def find(where: Where, today: dt.date | None = None) -> list[rules.Gap]:
    """Every gap of the period, narrowed to an industry and a district."""
    today = today or clock.today()
    gaps = rules.find_gaps(
        _licences(where, today),
        _projects(where),
        reference.project_kinds().project_industries,
        where.start,
        where.end,
    )
    return [g for g in gaps if in_district(g.district, where.district)]


def departments(gaps: list[rules.Gap]) -> dict[int, int | None]:
    """The department that entered each project of the gaps (its page opens there only)."""
    ids = [g.project_id for g in gaps if g.project_id is not None]
    if not ids:
        return {}
    return dict(db.session.execute(select(Project.id, Project.department_id).where(Project.id.in_(ids))).all())


@dataclass
class Report:
    gaps: list[rules.Gap]
    by_kind: list[tuple[str, int]]
    by_industry: list[tuple[str, int]]
    by_district: list[tuple[str, int]]
    departments: dict[int, int | None]


def district_label(code: str | None) -> str:
    names = {d.code: d.name for d in city.current().districts}
    return names.get(code or "", "其他地区")


def report(where: Where) -> Report:
    """The page's figures: gaps per kind, industry and district, and the gaps themselves."""
    gaps = find(where)
    by_industry = rules.count_by(gaps, "industry")
    by_district: dict[str, int] = {}
    for code, n in rules.count_by(gaps, "district").items():
        label = district_label(code)
        by_district[label] = by_district.get(label, 0) + n
    order = [d.name for d in city.current().districts] + ["其他地区"]
    return Report(
        gaps=gaps,
        by_kind=[(label, sum(g.kind == kind for g in gaps)) for kind, label in rules.GAP_LABELS.items()],
        by_industry=sorted(
            ((name or "", n) for name, n in by_industry.items()), key=lambda item: _industry_order(item[0])
        ),
        by_district=sorted(by_district.items(), key=lambda item: order.index(item[0])),
        departments=departments(gaps),
    )


def _industry_order(name: str) -> int:
    names = reference.industries().names
    return names.index(name) if name in names else len(names)
