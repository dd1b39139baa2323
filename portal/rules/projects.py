"""Rules of projects and facilities (项目/设施): their dates, how a record names its project, and the
应录未录 check (entries that should exist and do not), as pure functions over plain facts.

The service (portal/services/publication/project_gaps.py) gathers the facts from the database; these
functions decide. One city's bulletin counts such gaps per industry and district with a deadline to
fix them (domain.md section 14).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from portal.rules.text import normalise_name

# Kinds of gap, with the label staff read.
LICENSED_WITHOUT_PROJECT = "licensed_without_project"
PROJECT_WITHOUT_RECORD = "project_without_record"
GAP_LABELS = {
    LICENSED_WITHOUT_PROJECT: "有许可无项目",
    PROJECT_WITHOUT_RECORD: "项目无信用记录",
}


def date_problem(start: dt.date | None, end: dt.date | None) -> str | None:
    """The Chinese message for impossible dates, or None."""
    if start is None:
        return "请填写开始日期"
    if end is not None and end < start:
        return "结束日期不能早于开始日期"
    return None


@dataclass(frozen=True)
class Candidate:
    """An approved project of the record's subject, as a reference may name it."""

    id: int
    code: str
    name: str


def match_reference(reference: str, candidates: Iterable[Candidate]) -> tuple[int | None, str | None]:
    """(project id, None) for the one project the reference names by code or name, else (None, message).

    An empty reference names no project and is fine: (None, None)."""
    text = (reference or "").strip()
    if not text:
        return None, None
    candidates = list(candidates)
    by_code = [c for c in candidates if c.code.upper() == text.upper()]
    if by_code:
        return by_code[0].id, None
    by_name = [c for c in candidates if normalise_name(c.name) == normalise_name(text)]
    if len(by_name) == 1:
        return by_name[0].id, None
    if len(by_name) > 1:
        return None, f"该主体有多个名为“{text}”的项目，请填写项目编号"
    return None, f"所属项目“{text}”不是该行政相对人已审核的项目（填写项目编号或项目名称）"


# 应录未录 ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Licence:
    """A public licence of an enterprise, in an industry."""

    subject_id: int
    subject_name: str
    industry: str
    district: str | None  # the enterprise's region code


@dataclass(frozen=True)
class ProjectFacts:
    """An approved project and the decision dates of the credit records attached to it."""

    id: int
    subject_id: int
    subject_name: str
    name: str
    industry: str
    district: str
    start_on: dt.date
    end_on: dt.date | None
    record_days: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class Gap:
    kind: str  # LICENSED_WITHOUT_PROJECT or PROJECT_WITHOUT_RECORD
    subject_id: int
    subject_name: str
    industry: str
    district: str | None
    project_id: int | None = None
    project_name: str | None = None

    @property
    def label(self) -> str:
        return GAP_LABELS[self.kind]


def running_in(project: ProjectFacts, start: dt.date, end: dt.date) -> bool:
    """The project ran on some day of [start, end]."""
    return project.start_on <= end and (project.end_on is None or project.end_on >= start)


def find_gaps(
    licences: Iterable[Licence],
    projects: Iterable[ProjectFacts],
    project_industries: Iterable[str],
    start: dt.date,
    end: dt.date,
) -> list[Gap]:
    """Every gap of the period [start, end]:

    - an enterprise holding a public licence in an industry that needs projects, with no approved
      project in that industry (one gap per enterprise and industry);
    - an approved project running in the period with no credit record decided in the period.
    """
    needed = set(project_industries)
    projects = list(projects)
    has_project = {(p.subject_id, p.industry) for p in projects}
    gaps: dict[tuple, Gap] = {}
    for licence in licences:
        key = (licence.subject_id, licence.industry)
        if licence.industry in needed and key not in has_project and key not in gaps:
            gaps[key] = Gap(
                LICENSED_WITHOUT_PROJECT, licence.subject_id, licence.subject_name, licence.industry, licence.district
            )
    found = list(gaps.values())
    for p in projects:
        if running_in(p, start, end) and not any(start <= day <= end for day in p.record_days):
            found.append(
                Gap(PROJECT_WITHOUT_RECORD, p.subject_id, p.subject_name, p.industry, p.district, p.id, p.name)
            )
    return sorted(found, key=lambda g: (g.industry, g.district or "", g.kind, g.subject_name, g.project_id or 0))


def count_by(gaps: Iterable[Gap], dimension: str) -> dict[str | None, int]:
    """Gaps per industry or per district ('industry' / 'district')."""
    counts: dict[str | None, int] = {}
    for gap in gaps:
        key = getattr(gap, dimension)
        counts[key] = counts.get(key, 0) + 1
    return counts
