"""Every indicator of credit work, defined once: its formula beside it, a figure over the database for
a period and a scope, and the exact rows behind every figure (`drill`).

The admin 统计分析 page, the public /statistics page, the quarterly bulletin (XLSX) and the
`portal stats` command all read these functions, so they cannot disagree. Every count
reads the derived daily aggregates (aggregates.py: published records per decision day, records per
publication day) or filters small tables on indexed columns (listed_on, removed_on, created_at);
the 重错码 figures, a scan of every stored code, are a snapshot with its own time. Drill-down lists
read the rows themselves, newest first and capped at DRILL_LIMIT.

Scopes: city (no filter), department, industry, district (区县 region code, portal/city). An
indicator that cannot be cut by a scope says so (`scopes`) instead of showing a wrong figure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_, select, true

from portal import city, clock, reference
from portal.extensions import db
from portal.models import (
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    Commitment,
    CommitmentType,
    Department,
    ImportRun,
    License,
    ListEntry,
    ListKind,
    Objection,
    Penalty,
    PublicationState,
    RepairApplication,
    StatRecordDay,
    StatTimelyDay,
    Subject,
    SubjectKind,
    SubjectName,
)
from portal.rules import projects as project_rules
from portal.rules.publicity import add_months
from portal.rules.workdays import workdays_between
from portal.services.core.workflow import publication_limit
from portal.services.publication import data_quality, project_gaps
from portal.services.statistics import aggregates
from portal.services.statistics.period import Period
from portal.visibility import public_filter

S = ApplicationStatus
RECORD_MODELS = {"license": License, "penalty": Penalty}
KIND_LABELS = {"license": "行政许可", "penalty": "行政处罚"}
NO_INDUSTRY, OTHER_DISTRICT, NO_DEPARTMENT = "未标注行业", "其他地区", "未归属部门"
ALL_SCOPES = ("department", "industry", "district")


@dataclass(frozen=True)
class Scope:
    department_id: int | None = None
    industry: str | None = None
    district: str | None = None  # six-digit region code of a district of the city

    @property
    def used(self) -> tuple[str, ...]:
        return tuple(
            name
            for name, value in (
                ("department", self.department_id),
                ("industry", self.industry),
                ("district", self.district),
            )
            if value
        )

    def params(self) -> dict[str, str]:
        """Query-string form, for links."""
        out = {}
        if self.department_id:
            out["department"] = str(self.department_id)
        if self.industry:
            out["industry"] = self.industry
        if self.district:
            out["district"] = self.district
        return out


@dataclass
class Part:
    """One line of a breakdown: its label, figure, and the drill-down filter of its rows."""

    label: str
    value: float | int | None
    numerator: int | None = None
    denominator: int | None = None
    drill: dict[str, str] = field(default_factory=dict)
    unit: str | None = None  # None: a share when the label names a rate (…率), else the indicator's unit


@dataclass
class Result:
    key: str
    label: str
    formula: str
    unit: str  # "条", "%", "个工作日", "件"...
    value: float | int | None
    numerator: int | None = None
    denominator: int | None = None
    parts: list[Part] = field(default_factory=list)
    applicable: bool = True
    drillable: bool = True
    counted_at: dt.datetime | None = None  # a snapshot's own time, when older than the page's as-of

    def shown(self) -> str:
        return show(self.value, self.unit)

    def part_unit(self, part: Part) -> str:
        if part.unit is not None:
            return part.unit
        return "%" if self.unit == "%" or part.label.endswith("率") else self.unit

    def part_shown(self, part: Part) -> str:
        return show(part.value, self.part_unit(part))


def show(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.1f}{unit}"
    return f"{value}{unit}"


@dataclass
class DrillRow:
    kind: str  # what the row is: 'license', 'penalty', 'list_entry', 'import_run', 'objection', ...
    id: int
    title: str
    subject: str
    day: dt.date | None
    note: str = ""
    department_id: int | None = None  # whose row it is: back-office pages open only their own


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    formula: str
    unit: str
    compute: Callable[[Period, Scope, dt.date], Result]
    drill: Callable[[Period, Scope, dt.date, dict], list[DrillRow]] | None
    scopes: tuple[str, ...] = ALL_SCOPES


INDICATORS: dict[str, Indicator] = {}


def indicator(key: str, label: str, formula: str, unit: str, scopes: tuple[str, ...] = ALL_SCOPES):
    """Register a compute function; its drill function is attached with `@drills(key)`."""

    def register(fn):
        INDICATORS[key] = Indicator(key, label, formula, unit, fn, None, scopes)
        return fn

    return register


def drills(key: str):
    def register(fn):
        found = INDICATORS[key]
        INDICATORS[key] = Indicator(found.key, found.label, found.formula, found.unit, found.compute, fn, found.scopes)
        return fn

    return register


def compute(key: str, period: Period, scope: Scope = Scope(), today: dt.date | None = None) -> Result:
    spec = INDICATORS[key]
    today = today or clock.today()
    if set(scope.used) - set(spec.scopes):
        return Result(key, spec.label, spec.formula, spec.unit, None, applicable=False, drillable=False)
    result = spec.compute(period, scope, today)
    result.drillable = spec.drill is not None
    return result


# Drill-down lists read rows, newest first, capped here (each query stops at the cap too).
DRILL_LIMIT = 500


def drill(key: str, period: Period, scope: Scope, params: dict, today: dt.date | None = None, limit: int = DRILL_LIMIT):
    """The rows behind a figure of indicator `key` (`params`: a part's drill filter), at most `limit`."""
    spec = INDICATORS[key]
    if spec.drill is None or set(scope.used) - set(spec.scopes):
        return []
    return spec.drill(period, scope, today or clock.today(), params)[:limit]


def _result(key: str, value, numerator=None, denominator=None, parts=None) -> Result:
    spec = INDICATORS[key]
    return Result(key, spec.label, spec.formula, spec.unit, value, numerator, denominator, parts or [])


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _utc_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """Instants of the period's first and after-last day in China, as UTC (stored timestamps are UTC)."""
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=clock.CHINA)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=clock.CHINA)
    return start.astimezone(dt.timezone.utc), end.astimezone(dt.timezone.utc)


def _at_within(column, period: Period):
    start, end = _utc_bounds(period)
    return and_(column >= start, column < end)


def _day_within(column, period: Period):
    return and_(column >= period.start, column <= period.end)


def _record_scope(model, scope: Scope) -> list:
    conditions = []
    if scope.department_id:
        conditions.append(model.department_id == scope.department_id)
    if scope.industry:
        conditions.append(model.industry == scope.industry)
    if scope.district:
        conditions.append(Subject.region_code == scope.district)
    return conditions


def _subject_scope(scope: Scope, department_column=None) -> list:
    conditions = []
    if scope.department_id and department_column is not None:
        conditions.append(department_column == scope.department_id)
    if scope.industry:
        conditions.append(Subject.industry == scope.industry)
    if scope.district:
        conditions.append(Subject.region_code == scope.district)
    return conditions


def district_label(code: str | None) -> str:
    names = {d.code: d.name for d in city.current().districts}
    return names.get(code or "", OTHER_DISTRICT)


def _district_parts(counts: dict[str | None, int]) -> list[Part]:
    """Counts per region code folded onto the city's districts (others together), in the city's order."""
    folded: dict[str, int] = {}
    for code, n in counts.items():
        key = code if code in {d.code for d in city.current().districts} else ""
        folded[key] = folded.get(key, 0) + n
    parts = [Part(d.name, folded.get(d.code, 0), drill={"district": d.code}) for d in city.current().districts]
    if folded.get(""):
        parts.append(Part(OTHER_DISTRICT, folded[""], drill={"district": "other"}))
    return parts


def _district_condition(value: str):
    if value == "other":
        return or_(
            Subject.region_code.is_(None), Subject.region_code.not_in([d.code for d in city.current().districts])
        )
    return Subject.region_code == value


def _industry_parts(counts: dict[str | None, int]) -> list[Part]:
    parts = [Part(name, counts.get(name, 0), drill={"industry": name}) for name in reference.industries().names]
    if counts.get(None):
        parts.append(Part(NO_INDUSTRY, counts[None], drill={"industry": "none"}))
    return parts


def _industry_condition(column, value: str):
    return column.is_(None) if value == "none" else column == value


# Records published (public) ------------------------------------------------------------------------


def _public_records(model, period: Period, scope: Scope, today: dt.date):
    """Records the public sees today (portal/visibility.py) that were decided in the period."""
    return [public_filter(model, today), _day_within(model.decided_on, period), *_record_scope(model, scope)]


def _public_days(period: Period, scope: Scope, today: dt.date) -> list:
    """The aggregate rows of records the public sees today (the rule of portal/visibility.py on the
    aggregate's columns: published, decided by today, a penalty inside its publicity window) that
    were decided in the period."""
    day = StatRecordDay
    conditions = [
        _day_within(day.decided_on, period),
        day.decided_on <= today,
        or_(day.kind == "license", day.display_until >= today),
    ]
    if scope.department_id:
        conditions.append(day.department_id == scope.department_id)
    if scope.industry:
        conditions.append(day.industry == scope.industry)
    if scope.district:
        conditions.append(day.region_code == scope.district)
    return conditions


def _count_public(period, scope, today, *group) -> dict:
    """Public record counts from the daily aggregate, keyed by the `group` columns (a 1-tuple key is
    unwrapped; no group: keyed by kind)."""
    aggregates.ensure_fresh()
    columns = group or (StatRecordDay.kind,)
    stmt = (
        select(*columns, func.sum(StatRecordDay.records)).where(*_public_days(period, scope, today)).group_by(*columns)
    )
    totals: dict = {} if group else dict.fromkeys(RECORD_MODELS, 0)
    for *key, n in db.session.execute(stmt):
        totals[key[0] if len(key) == 1 else tuple(key)] = int(n)
    return totals


PUBLIC_FORMULA = "今日向社会公示中（公示规则见visibility）且决定日期在统计期内的行政许可和行政处罚条数"


@indicator("records_by_kind", "公示信息（按类别）", PUBLIC_FORMULA, "条")
def records_by_kind(period: Period, scope: Scope, today: dt.date) -> Result:
    counts = _count_public(period, scope, today)
    parts = [Part(KIND_LABELS[k], counts[k], drill={"kind": k}) for k in RECORD_MODELS]
    return _result("records_by_kind", sum(counts.values()), parts=parts)


@indicator("records_by_industry", "公示信息（按行业）", PUBLIC_FORMULA + "，按所属行业", "条")
def records_by_industry(period: Period, scope: Scope, today: dt.date) -> Result:
    counts = _count_public(period, scope, today, StatRecordDay.industry)
    return _result("records_by_industry", sum(counts.values()), parts=_industry_parts(counts))


@indicator("records_by_district", "公示信息（按区县）", PUBLIC_FORMULA + "，按行政相对人所在区县（代码第3-8位）", "条")
def records_by_district(period: Period, scope: Scope, today: dt.date) -> Result:
    counts = _count_public(period, scope, today, StatRecordDay.region_code)
    return _result("records_by_district", sum(counts.values()), parts=_district_parts(counts))


@indicator("records_by_month", "公示信息（按月）", PUBLIC_FORMULA + "，按决定月份", "条")
def records_by_month(period: Period, scope: Scope, today: dt.date) -> Result:
    totals: dict[str, int] = {}
    for day, n in _count_public(period, scope, today, StatRecordDay.decided_on).items():
        key = f"{_as_date(day):%Y-%m}"
        totals[key] = totals.get(key, 0) + n
    parts = [Part(m, totals.get(m, 0), drill={"month": m}) for m in period.months()]
    return _result("records_by_month", sum(totals.values()), parts=parts)


@indicator(
    "records_by_category",
    "公示信息（按数据类别）",
    PUBLIC_FORMULA + "，按八类数据分类（许可类别“登记”为登记类，其余许可为资质类，处罚为监管类；见categories.toml）",
    "条",
)
def records_by_category(period: Period, scope: Scope, today: dt.date) -> Result:
    categories = reference.categories()
    totals = dict.fromkeys(categories.names, 0)
    for (kind, category), n in _count_public(period, scope, today, StatRecordDay.kind, StatRecordDay.category).items():
        if kind == "penalty":
            totals[categories.of_record("penalty")] += n
        else:
            totals[categories.of_record("license", category)] += n
    parts = [Part(name, n, drill={"category": name}) for name, n in totals.items()]
    return _result("records_by_category", sum(totals.values()), parts=parts)


def _month_condition(column, month: str):
    year, number = (int(x) for x in month.split("-"))
    start = dt.date(year, number, 1)
    return and_(column >= start, column < add_months(start, 1))


def _record_rows(stmt_for: Callable, params: dict, note: Callable | None = None) -> list[DrillRow]:
    rows = []
    kinds = [params["kind"]] if params.get("kind") in RECORD_MODELS else list(RECORD_MODELS)
    for kind in kinds:
        model = RECORD_MODELS[kind]
        stmt = stmt_for(model)
        if stmt is None:
            continue
        if params.get("industry"):
            stmt = stmt.where(_industry_condition(model.industry, params["industry"]))
        if params.get("district"):
            stmt = stmt.where(_district_condition(params["district"]))
        if params.get("month"):
            stmt = stmt.where(_month_condition(model.decided_on, params["month"]))
        if params.get("department"):
            stmt = stmt.where(model.department_id == int(params["department"]))
        stmt = stmt.order_by(model.decided_on.desc(), model.id.desc()).limit(DRILL_LIMIT)
        for record in db.session.scalars(stmt):
            rows.append(
                DrillRow(
                    kind,
                    record.id,
                    f"{KIND_LABELS[kind]} {record.doc_no}",
                    record.subject_name,
                    record.decided_on,
                    note(record) if note else (record.industry or NO_INDUSTRY),
                    record.department_id,
                )
            )
    rows.sort(key=lambda r: (r.day, r.id), reverse=True)
    return rows


def _category_condition(model, category: str):
    """Records of `model` falling in data category `category` (categories.toml)."""
    categories = reference.categories()
    if model is Penalty:
        return true() if categories.of_record("penalty") == category else None
    special = [c for c, name in categories.license_categories.items() if name == category]
    others = list(categories.license_categories)
    conditions = [License.category.in_(special)] if special else []
    if categories.of_record("license") == category:
        conditions.append(License.category.not_in(others) if others else true())
    return or_(*conditions) if conditions else None


def _public_drill(period: Period, scope: Scope, today: dt.date, params: dict) -> list[DrillRow]:
    def stmt_for(model):
        stmt = (
            select(model)
            .join(Subject, Subject.id == model.subject_id)
            .where(*_public_records(model, period, scope, today))
        )
        if params.get("category"):
            condition = _category_condition(model, params["category"])
            if condition is None:
                return None
            stmt = stmt.where(condition)
        return stmt

    return _record_rows(stmt_for, params)


for _key in (
    "records_by_kind",
    "records_by_industry",
    "records_by_district",
    "records_by_month",
    "records_by_category",
):
    drills(_key)(_public_drill)


# Timeliness ---------------------------------------------------------------------------------------


def _published_in(model, period: Period, scope: Scope) -> list:
    return [
        _at_within(model.published_at, period),
        model.timeliness_workdays.is_not(None),
        *_record_scope(model, scope),
    ]


@indicator(
    "timeliness",
    "公示及时率",
    "统计期内公示的行政许可和行政处罚中，决定日期后N个工作日内公示的条数 / 统计期内公示的条数"
    "（工作日按国务院节假日和调休安排计算；N见PORTAL_PUBLICATION_LIMIT_WORKDAYS，默认7）",
    "%",
)
def timeliness(period: Period, scope: Scope, today: dt.date) -> Result:
    limit = publication_limit()
    by_industry: dict[str | None, list[int]] = {}
    by_district: dict[str | None, list[int]] = {}
    aggregates.ensure_fresh()
    day = StatTimelyDay
    on_time = func.coalesce(func.sum(case((day.workdays <= limit, day.records), else_=0)), 0)
    stmt = (
        select(day.industry, day.region_code, func.sum(day.records), on_time)
        .where(_day_within(day.published_on, period), *_timely_scope(scope))
        .group_by(day.industry, day.region_code)
    )
    for industry, region, total, ok in db.session.execute(stmt):
        for bucket, key in ((by_industry, industry), (by_district, region)):
            pair = bucket.setdefault(key, [0, 0])
            pair[0] += int(ok)
            pair[1] += int(total)
    in_time = sum(ok for ok, _ in by_industry.values())
    published = sum(total for _, total in by_industry.values())
    parts = []
    for prefix, bucket, layout in (
        ("行业", by_industry, _industry_parts),
        ("区县", _fold_districts(by_district), _district_parts),
    ):
        for part in layout({k: v[1] for k, v in bucket.items()}):
            ok, total = bucket.get(_part_key(part), (0, 0))
            if total:
                parts.append(Part(f"{prefix}：{part.label}", _share(ok, total), ok, total, part.drill))
    return _result("timeliness", _share(in_time, published), in_time, published, parts)


def _timely_scope(scope: Scope) -> list:
    conditions = []
    if scope.department_id:
        conditions.append(StatTimelyDay.department_id == scope.department_id)
    if scope.industry:
        conditions.append(StatTimelyDay.industry == scope.industry)
    if scope.district:
        conditions.append(StatTimelyDay.region_code == scope.district)
    return conditions


def _as_date(value) -> dt.date:
    """A day from an aggregate query (SQLite hands back a string from date())."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _fold_districts(by_region: dict[str | None, list[int]]) -> dict[str | None, list[int]]:
    """Pairs per region code, with codes outside the city's districts together under None."""
    codes = {d.code for d in city.current().districts}
    folded: dict[str | None, list[int]] = {}
    for region, (ok, total) in by_region.items():
        pair = folded.setdefault(region if region in codes else None, [0, 0])
        pair[0] += ok
        pair[1] += total
    return folded


def _part_key(part: Part) -> str | None:
    """The raw key a part was built from (None for 'no industry' and 'other districts')."""
    value = part.drill.get("industry", part.drill.get("district"))
    return None if value in ("none", "other") else value


@drills("timeliness")
def timeliness_rows(period: Period, scope: Scope, today: dt.date, params: dict) -> list[DrillRow]:
    """Records published in the period (only the late ones with late=1)."""
    limit = publication_limit()

    def stmt_for(model):
        stmt = select(model).join(Subject, Subject.id == model.subject_id).where(*_published_in(model, period, scope))
        return stmt.where(model.timeliness_workdays > limit) if params.get("late") else stmt

    def note(record):
        late = "（逾期）" if record.timeliness_workdays > limit else ""
        return f"决定后第{record.timeliness_workdays}个工作日公示{late}"

    return _record_rows(stmt_for, params, note)


# Accuracy -----------------------------------------------------------------------------------------


def _runs(period: Period, scope: Scope):
    stmt = select(ImportRun).where(_at_within(ImportRun.finished_at, period), ImportRun.rows_total > 0)
    if scope.department_id:
        stmt = stmt.where(ImportRun.department_id == scope.department_id)
    return stmt


@indicator(
    "accuracy",
    "双公示报送准确率",
    "统计期内完成的导入中，校验通过的行数 / 报送的行数（每次导入和每个部门分别计算）",
    "%",
    scopes=("department",),
)
def accuracy(period: Period, scope: Scope, today: dt.date) -> Result:
    per_department: dict[int | None, list[int]] = {}
    for run in db.session.scalars(_runs(period, scope)):
        pair = per_department.setdefault(run.department_id, [0, 0])
        pair[0] += run.rows_valid
        pair[1] += run.rows_total
    names = dict(db.session.execute(select(Department.id, Department.name)).all())
    parts = [
        Part(names.get(dept, NO_DEPARTMENT), _share(ok, total), ok, total, {"department": str(dept or 0)})
        for dept, (ok, total) in sorted(per_department.items(), key=lambda item: names.get(item[0], ""))
    ]
    ok = sum(p.numerator for p in parts)
    total = sum(p.denominator for p in parts)
    return _result("accuracy", _share(ok, total), ok, total, parts)


@drills("accuracy")
def accuracy_rows(period: Period, scope: Scope, today: dt.date, params: dict) -> list[DrillRow]:
    stmt = _runs(period, scope)
    if "department" in params:
        dept = int(params["department"])
        stmt = stmt.where(ImportRun.department_id == dept if dept else ImportRun.department_id.is_(None))
    return [
        DrillRow(
            "import_run",
            run.id,
            f"导入 {run.file_name}",
            "",
            _local_day(run.finished_at),
            f"报送{run.rows_total}行，通过{run.rows_valid}行，退回{run.rows_rejected}行",
            run.department_id,
        )
        for run in db.session.scalars(stmt.order_by(ImportRun.finished_at.desc()).limit(DRILL_LIMIT))
    ]


# 重错码 ---------------------------------------------------------------------------------------------


@indicator(
    "code_quality",
    "重错码",
    "当前存储的代码中：一码多名的代码数 + 校验位错误的代码数（内部校验位不符另计为提示）；"
    "已处理率 = 已核实（确认更名或认定名称有误）的一码多名案件 / 全部一码多名案件",
    "个",
    scopes=(),
)
def code_quality(period: Period, scope: Scope, today: dt.date) -> Result:
    counts, counted_at = aggregates.snapshot("code_quality")
    parts = [
        Part("一码多名", counts["conflicts"], drill={"type": "conflict"}),
        Part("校验位错误", counts["invalid"], drill={"type": "invalid"}),
        Part("内部校验位不符（提示）", counts["warnings"], drill={"type": "warning"}),
        Part(
            "一码多名案件已处理率",
            _share(counts["decided"], counts["cases"]),
            counts["decided"],
            counts["cases"],
            {"type": "cases"},
        ),
    ]
    result = _result("code_quality", counts["conflicts"] + counts["invalid"], parts=parts)
    result.counted_at = counted_at
    return result


def code_quality_counts() -> dict:
    """The 重错码 figures over every stored code: a whole-database scan, kept as a snapshot."""
    report = data_quality.code_report()
    statuses = dict(db.session.execute(select(SubjectName.status, func.count()).group_by(SubjectName.status)).all())
    # A confirmed rename deletes its case and keeps the old name as 'former': both count as decided.
    cases = sum(statuses.values())
    found = {"conflict": report.conflicts, "invalid": report.invalid, "warning": report.warnings}
    return {
        "conflicts": len(report.conflicts),
        "invalid": len(report.invalid),
        "warnings": len(report.warnings),
        "cases": cases,
        "decided": cases - statuses.get(data_quality.CONFLICT, 0),
        # The drill-down's rows: the first codes of each kind, with their names or reasons.
        "rows": {
            kind: [[code, sorted(detail)] for code, detail in sorted(codes.items())[:DRILL_LIMIT]]
            for kind, codes in found.items()
        },
    }


aggregates.SNAPSHOTS["code_quality"] = code_quality_counts


@drills("code_quality")
def code_rows(period: Period, scope: Scope, today: dt.date, params: dict) -> list[DrillRow]:
    """The codes behind the 重错码 figures, from the snapshot (its first DRILL_LIMIT of each kind)."""
    kind = params.get("type", "conflict")
    if kind == "cases":
        return [
            DrillRow("subject", s.id, s.uscc or s.name, f"{s.name} / {c.name}", c.first_seen_on, _CASE[c.status])
            for c, s in db.session.execute(
                select(SubjectName, Subject)
                .join(Subject, Subject.id == SubjectName.subject_id)
                .order_by(SubjectName.id)
                .limit(DRILL_LIMIT)
            )
        ]
    counts, _ = aggregates.snapshot("code_quality")
    source = dict(counts["rows"].get(kind, []))
    subjects = dict(db.session.execute(select(Subject.uscc, Subject.id).where(Subject.uscc.in_(list(source)))).all())
    return [
        DrillRow("subject" if code in subjects else "code", subjects.get(code, 0), code, "、".join(detail), None)
        for code, detail in sorted(source.items())
    ]


_CASE = {"conflict": "待核实", "former": "已确认更名", "rejected": "已认定名称有误"}


# Lists --------------------------------------------------------------------------------------------


def _list_scope(scope: Scope) -> list:
    return [ListEntry.state == PublicationState.PUBLISHED, *_subject_scope(scope, ListEntry.department_id)]


@indicator(
    "list_changes",
    "名单列入和移出",
    "统计期内列入日期在期内的已公示名单条目数（列入）和移出日期在期内的条目数（移出），按名单和名单类型",
    "条",
)
def list_changes(period: Period, scope: Scope, today: dt.date) -> Result:
    parts = []
    total = 0
    for kind in ListKind:
        for change, column in (("列入", ListEntry.listed_on), ("移出", ListEntry.removed_on)):
            stmt = (
                select(ListEntry.list_type, func.count())
                .join(Subject, Subject.id == ListEntry.subject_id)
                .where(ListEntry.kind == kind, _day_within(column, period), *_list_scope(scope))
                .group_by(ListEntry.list_type)
            )
            counts = dict(db.session.execute(stmt).all())
            n = sum(counts.values())
            total += n if change == "列入" else 0
            parts.append(Part(f"{kind.label}{change}", n, drill={"kind": kind.value, "change": change}))
    return _result("list_changes", total, parts=parts)


@drills("list_changes")
def list_rows(period: Period, scope: Scope, today: dt.date, params: dict) -> list[DrillRow]:
    column = ListEntry.removed_on if params.get("change") == "移出" else ListEntry.listed_on
    stmt = (
        select(ListEntry, Subject.name)
        .join(Subject, Subject.id == ListEntry.subject_id)
        .where(_day_within(column, period), *_list_scope(scope))
    )
    return _list_drill(stmt, params, column)


def _list_drill(stmt, params: dict, column) -> list[DrillRow]:
    if params.get("kind"):
        stmt = stmt.where(ListEntry.kind == ListKind(params["kind"]))
    return [
        DrillRow(
            "list_entry",
            entry.id,
            f"{entry.kind.label}：{entry.list_type}",
            name,
            getattr(entry, column.key),
            f"{entry.authority}；列入{entry.listed_on}" + (f"，移出{entry.removed_on}" if entry.removed_on else ""),
            entry.department_id,
        )
        for entry, name in db.session.execute(stmt.order_by(column.desc(), ListEntry.id.desc()).limit(DRILL_LIMIT))
    ]


def _exit_window(period: Period) -> tuple[dt.date, dt.date]:
    return add_months(period.end, -12) + dt.timedelta(days=1), period.end


@indicator(
    "black_list_exit_ratio",
    "严重失信名单近12个月退出率",
    "统计期末前12个月内移出的严重失信主体名单条目 / 该12个月内任一时刻在名单上的条目"
    "（列入日期不晚于期末，且未移出或移出日期不早于12个月窗口首日）",
    "%",
)
def black_list_exit_ratio(period: Period, scope: Scope, today: dt.date) -> Result:
    start, end = _exit_window(period)
    base = (
        select(func.count())
        .select_from(ListEntry)
        .join(Subject, Subject.id == ListEntry.subject_id)
        .where(ListEntry.kind == ListKind.BLACK, ListEntry.listed_on <= end, *_list_scope(scope))
    )
    listed = db.session.scalar(base.where(or_(ListEntry.removed_on.is_(None), ListEntry.removed_on >= start)))
    exited = db.session.scalar(base.where(ListEntry.removed_on >= start, ListEntry.removed_on <= end))
    parts = [Part("近12个月移出", exited, drill={"exited": "1"}), Part("近12个月在名单上", listed, drill={})]
    return _result("black_list_exit_ratio", _share(exited, listed), exited, listed, parts)


@drills("black_list_exit_ratio")
def black_list_rows(period: Period, scope: Scope, today: dt.date, params: dict) -> list[DrillRow]:
    start, end = _exit_window(period)
    stmt = (
        select(ListEntry, Subject.name)
        .join(Subject, Subject.id == ListEntry.subject_id)
        .where(ListEntry.kind == ListKind.BLACK, ListEntry.listed_on <= end, *_list_scope(scope))
    )
    if params.get("exited"):
        stmt = stmt.where(ListEntry.removed_on >= start, ListEntry.removed_on <= end)
    else:
        stmt = stmt.where(or_(ListEntry.removed_on.is_(None), ListEntry.removed_on >= start))
    return _list_drill(stmt, {}, ListEntry.listed_on)


# Objections and repairs ---------------------------------------------------------------------------


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    """The China calendar day of a stored instant (SQLite hands back naive UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(clock.CHINA).date()


def handling_workdays(application) -> int | None:
    """Working days from submission to decision (None while undecided)."""
    if application.decided_at is None:
        return None
    return workdays_between(_local_day(application.created_at), _local_day(application.decided_at))


def _objections(period: Period, scope: Scope):
    stmt = select(Objection).where(_at_within(Objection.created_at, period))
    if scope.department_id:
        stmt = stmt.where(Objection.department_id == scope.department_id)
    return stmt


VALID_OBJECTION = (S.APPROVED, S.VERIFIED)


def _valid(objection: Objection) -> bool:
    return objection.outcome is not None and objection.status in VALID_OBJECTION


@indicator(
    "objections",
    "异议处理",
    "统计期内提交的异议件数；成立率 = 核实成立的异议 / 已办结的异议（不予受理、不成立、成立）；"
    "平均处理工作日 = 成立异议从提交到办结的工作日之和 / 成立异议件数；最长处理工作日取其最大值",
    "件",
    scopes=("department",),
)
def objections(period: Period, scope: Scope, today: dt.date) -> Result:
    found = list(db.session.scalars(_objections(period, scope)))
    closed = [o for o in found if o.status in (S.REFUSED, S.REJECTED) or _valid(o)]
    valid = [o for o in found if _valid(o)]
    days = [d for d in (handling_workdays(o) for o in valid) if d is not None]
    parts = [
        Part("成立率", _share(len(valid), len(closed)), len(valid), len(closed), {"valid": "1"}),
        Part(
            "平均处理工作日", sum(days) / len(days) if days else None, sum(days), len(days), {"valid": "1"}, "个工作日"
        ),
        Part("最长处理工作日", max(days) if days else None, drill={"valid": "1"}, unit="个工作日"),
    ]
    return _result("objections", len(found), parts=parts)


@drills("objections")
def objection_rows(period: Period, scope: Scope, today: dt.date, params: dict) -> list[DrillRow]:
    stmt = _objections(period, scope)
    if params.get("valid"):  # _valid, in SQL
        stmt = stmt.where(Objection.outcome.is_not(None), Objection.status.in_(VALID_OBJECTION))
    rows = []
    for o in db.session.scalars(stmt.order_by(Objection.created_at.desc(), Objection.id.desc()).limit(DRILL_LIMIT)):
        days = handling_workdays(o)
        note = o.status.label + (f"，处理{days}个工作日" if days is not None else "")
        rows.append(
            DrillRow(
                "objection", o.id, f"异议 {o.number}（{o.ground}）", o.applicant_name, _local_day(o.created_at), note
            )
        )
    return rows


def _repairs(period: Period, scope: Scope):
    stmt = (
        select(RepairApplication)
        .join(Subject, Subject.id == RepairApplication.subject_id)
        .where(
            _at_within(RepairApplication.created_at, period), *_subject_scope(scope, RepairApplication.department_id)
        )
    )
    return stmt


OPEN = (S.SUBMITTED, S.ACCEPTED, S.MORE_MATERIAL, S.VERIFIED)


def _steps(kind: ApplicationKind, ids: list[int]) -> dict[int, list[ApplicationEvent]]:
    events: dict[int, list[ApplicationEvent]] = {}
    if ids:
        stmt = (
            select(ApplicationEvent)
            .where(ApplicationEvent.kind == kind, ApplicationEvent.application_id.in_(ids))
            .order_by(ApplicationEvent.at, ApplicationEvent.id)
        )
        for event in db.session.scalars(stmt):
            events.setdefault(event.application_id, []).append(event)
    return events


def overdue_ever(events: list[ApplicationEvent], still_open: bool, today: dt.date) -> bool:
    """Some step ran past its deadline: the next step came after it, or none came and today is past it.
    A step waiting for the applicant's material has no deadline (the clock stops)."""
    for step, following in zip(events, events[1:] + [None], strict=True):
        if step.deadline is None:
            continue
        ended = _local_day(following.at) if following is not None else (today if still_open else None)
        if ended is not None and ended > step.deadline:
            return True
    return False


@indicator(
    "repairs",
    "信用修复",
    "统计期内提交的修复申请件数；通过率 = 通过的申请 / 已办结的申请（不予受理、未通过、通过）；"
    "当前超期 = 未办结且今日已过当前办理时限的申请；曾经超期 = 任一环节在时限之后才办理（或至今未办理）的申请",
    "件",
)
def repairs(period: Period, scope: Scope, today: dt.date) -> Result:
    found = list(db.session.scalars(_repairs(period, scope)))
    events = _steps(ApplicationKind.REPAIR, [r.id for r in found])
    approved = [r for r in found if r.status == S.APPROVED]
    closed = [r for r in found if r.status in (S.APPROVED, S.REJECTED, S.REFUSED)]
    now = [r for r in found if r.status in OPEN and r.deadline is not None and today > r.deadline]
    ever = [r for r in found if overdue_ever(events.get(r.id, []), r.status in OPEN, today)]
    parts = [
        Part("通过率", _share(len(approved), len(closed)), len(approved), len(closed), {"status": "approved"}),
        Part("当前超期", len(now), drill={"overdue": "now"}),
        Part("曾经超期", len(ever), drill={"overdue": "ever"}),
    ]
    return _result("repairs", len(found), parts=parts)


@drills("repairs")
def repair_rows(period: Period, scope: Scope, today: dt.date, params: dict) -> list[DrillRow]:
    found = list(db.session.scalars(_repairs(period, scope).order_by(RepairApplication.created_at.desc())))
    events = _steps(ApplicationKind.REPAIR, [r.id for r in found])
    rows = []
    for r in found:
        late_now = r.status in OPEN and r.deadline is not None and today > r.deadline
        late_ever = overdue_ever(events.get(r.id, []), r.status in OPEN, today)
        if params.get("status") == "approved" and r.status != S.APPROVED:
            continue
        if params.get("overdue") == "now" and not late_now:
            continue
        if params.get("overdue") == "ever" and not late_ever:
            continue
        note = r.status.label + ("，当前超期" if late_now else "") + ("，曾超期" if late_ever else "")
        rows.append(
            DrillRow(
                "repair",
                r.id,
                f"修复申请 {r.number}",
                r.applicant_name,
                _local_day(r.created_at),
                note,
                r.department_id,
            )
        )
    return rows


# Commitments --------------------------------------------------------------------------------------

ENTERPRISES = (SubjectKind.ORGANISATION, SubjectKind.INDIVIDUAL_BUSINESS)
NO_FULFILMENT = "未登记履行状态"


def _commitments(period: Period, scope: Scope):
    return (
        select(Commitment)
        .outerjoin(Subject, Subject.id == Commitment.subject_id)
        .where(
            Commitment.status.in_((S.ACCEPTED, S.APPROVED)),
            _day_within(Commitment.made_on, period),
            *_subject_scope(scope, Commitment.department_id),
        )
    )


def enterprise_count(scope: Scope) -> int:
    """Enterprises in the database (in the scope's industry and district), from the refreshed totals."""
    return aggregates.totals("subjects", ENTERPRISES, scope.industry, scope.district)


@indicator(
    "commitments",
    "信用承诺",
    "统计期内作出并已受理的信用承诺件数，按承诺类型和履行状态；每百户企业承诺数 = 承诺件数 / "
    "库内企业（法人及非法人组织、个体工商户）数 × 100",
    "件",
)
def commitments(period: Period, scope: Scope, today: dt.date) -> Result:
    found = list(db.session.scalars(_commitments(period, scope)))
    by_type: dict[str, int] = {}
    by_state: dict[str, int] = {}
    for c in found:
        by_type[c.type.value] = by_type.get(c.type.value, 0) + 1
        state = c.fulfilment or NO_FULFILMENT
        by_state[state] = by_state.get(state, 0) + 1
    enterprises = enterprise_count(scope)
    parts = [Part(f"类型：{t}", n, drill={"type": t}) for t, n in sorted(by_type.items())]
    parts += [Part(f"履行：{s}", n, drill={"fulfilment": s}) for s, n in sorted(by_state.items())]
    per_100 = len(found) * 100 / enterprises if enterprises else None
    parts.append(Part("每百户企业承诺数", per_100, len(found), enterprises, {}, "件"))
    return _result("commitments", len(found), parts=parts)


@drills("commitments")
def commitment_rows(period: Period, scope: Scope, today: dt.date, params: dict) -> list[DrillRow]:
    stmt = _commitments(period, scope)
    if params.get("type"):
        stmt = stmt.where(Commitment.type == CommitmentType(params["type"]))
    if params.get("fulfilment"):
        wanted = params["fulfilment"]
        stmt = stmt.where(
            Commitment.fulfilment.is_(None) if wanted == NO_FULFILMENT else Commitment.fulfilment == wanted
        )
    rows = []
    for c in db.session.scalars(stmt.order_by(Commitment.made_on.desc(), Commitment.id.desc()).limit(DRILL_LIMIT)):
        state = c.fulfilment or NO_FULFILMENT
        rows.append(
            DrillRow(
                "commitment",
                c.id,
                f"{c.type.value} {c.code or c.number}",
                c.committer_name,
                c.made_on,
                state,
                c.department_id,
            )
        )
    return rows


# Records per subject ------------------------------------------------------------------------------


@indicator(
    "records_per_subject",
    "主体平均信用记录数",
    "企业：企业（法人及非法人组织、个体工商户）的已公示行政许可和行政处罚条数 / 库内企业数；"
    "自然人：自然人的记录条数 / 库内自然人数（常住人口数不在库内，以库内自然人数代替）",
    "条",
    scopes=("industry", "district"),
)
def records_per_subject(period: Period, scope: Scope, today: dt.date) -> Result:
    parts = []
    for label, kinds in (("企业", ENTERPRISES), ("自然人", (SubjectKind.PERSON,))):
        subjects = aggregates.totals("subjects", kinds, scope.industry, scope.district)
        records = aggregates.totals("records", kinds, scope.industry, scope.district)
        parts.append(Part(label, records / subjects if subjects else None, records, subjects, {}))
    return _result("records_per_subject", parts[0].value, parts[0].numerator, parts[0].denominator, parts)


# 应录未录 -------------------------------------------------------------------------------------------


def _gap_where(period: Period, scope: Scope, params: dict | None = None) -> project_gaps.Where:
    params = params or {}
    industry = params.get("industry") or scope.industry
    district = params.get("district") or scope.district
    return project_gaps.Where(period.start, period.end, industry, district)


@indicator(
    "entry_gaps",
    "应录未录",
    "应录入而未录入的条目数：(1) 在须录入项目的行业（project_kinds.toml）持有今日公示中的行政许可、"
    "却没有该行业已审核项目/设施的企业（每家企业每个行业计1个）；(2) 统计期内在建或运营、"
    "却没有决定日期在统计期内的已审核信用记录的已审核项目/设施。按行业、按区县（企业或项目所在区县）统计",
    "个",
    scopes=("industry", "district"),
)
def entry_gaps(period: Period, scope: Scope, today: dt.date) -> Result:
    cells, counted_at = _gap_cells(period, today)
    wanted = [
        (kind, industry, district, n)
        for kind, industry, district, n in cells
        if (not scope.industry or industry == scope.industry) and project_gaps.in_district(district, scope.district)
    ]

    def by(index: int) -> dict[str | None, int]:
        counts: dict[str | None, int] = {}
        for cell in wanted:
            counts[cell[index]] = counts.get(cell[index], 0) + cell[3]
        return counts

    kinds = by(0)
    parts = [Part(label, kinds.get(kind, 0), drill={"gap": kind}) for kind, label in project_rules.GAP_LABELS.items()]
    for prefix, counts, layout in (("行业", by(1), _industry_parts), ("区县", by(2), _district_parts)):
        parts += [Part(f"{prefix}：{p.label}", p.value, drill=p.drill) for p in layout(counts) if p.value]
    result = _result("entry_gaps", sum(kinds.values()), parts=parts)
    result.counted_at = counted_at
    return result


def _gap_cells(period: Period, today: dt.date) -> tuple[list[list], dt.datetime]:
    """The period's gaps counted per kind × industry × district: a whole-database check (every
    licensed enterprise, every project), so kept as a snapshot per period like 重错码."""

    def count() -> dict:
        gaps = project_gaps.find(project_gaps.Where(period.start, period.end), today)
        cells: dict[tuple, int] = {}
        for g in gaps:
            cells[(g.kind, g.industry, g.district)] = cells.get((g.kind, g.industry, g.district), 0) + 1
        return {"cells": [[*key, n] for key, n in sorted(cells.items(), key=str)]}

    counts, counted_at = aggregates.snapshot(f"gaps:{period.start}:{period.end}", count=count)
    return counts["cells"], counted_at


@drills("entry_gaps")
def entry_gap_rows(period: Period, scope: Scope, today: dt.date, params: dict) -> list[DrillRow]:
    gaps = project_gaps.find(_gap_where(period, scope, params), today)
    if params.get("gap"):
        gaps = [g for g in gaps if g.kind == params["gap"]]
    gaps = gaps[:DRILL_LIMIT]
    owners = project_gaps.departments(gaps)
    return [
        DrillRow(
            "project" if g.project_id else "subject",
            g.project_id or g.subject_id,
            f"{g.label}：{g.project_name}" if g.project_name else f"{g.label}：{g.industry}",
            g.subject_name,
            None,
            f"{g.industry}；{district_label(g.district)}",
            owners.get(g.project_id) if g.project_id else None,
        )
        for g in gaps
    ]
