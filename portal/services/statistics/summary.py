"""The figures each audience sees, from the indicators: the admin dashboard (all of them, any scope,
with drill-down), the public page (public counts and the portal's service indicators, city-wide),
the command line and the bulletin. Request filters are checked here, with Chinese messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from portal import charts, city, clock, reference
from portal.extensions import db
from portal.models import Department, Role
from portal.services.staff import access
from portal.services.statistics import aggregates, grading
from portal.services.statistics import indicators as ind
from portal.services.statistics.period import Period, PeriodError, parse, previous_quarter

ADMIN_KEYS = tuple(ind.INDICATORS)
DRILL_LIMIT = ind.DRILL_LIMIT
PUBLIC_KEYS = (
    "records_by_kind",
    "records_by_month",
    "records_by_industry",
    "records_by_district",
    "records_by_category",
    "list_changes",
    "timeliness",
    "objections",
    "repairs",
)


class FilterError(ValueError):
    """A filter value is not understood; the message is Chinese."""


class ScopeRefused(FilterError):
    """The filters ask for more than the user may see (another department, the whole city)."""


@dataclass
class Filters:
    period: Period
    scope: ind.Scope

    def params(self) -> dict[str, str]:
        return {"period": self.period.code, **self.scope.params()}

    def drill_params(self, drill: dict[str, str]) -> dict[str, str]:
        """Query of a drill-down link: these filters, narrowed by a part's own filter."""
        return {**self.params(), **drill}


def default_period(today: dt.date | None = None) -> Period:
    """The last complete quarter: the bulletin's period."""
    return previous_quarter(today or clock.today())


def bound_department(user) -> int | None:
    """The department a signed-in user's statistics are confined to (None: the whole city)."""
    return access.statistics_department(user) if user is not None else None


def filters(args, today: dt.date | None = None, *, public: bool = False, user=None) -> Filters:
    """Period and scope from query arguments; the public page is city-wide only, and a user confined to
    a department (access.statistics_department) gets it by default and cannot ask for another."""
    today = today or clock.today()
    text = (args.get("period") or "").strip()
    try:
        period = parse(text, today) if text else default_period(today)
    except PeriodError as exc:
        raise FilterError(str(exc)) from exc
    if public:
        return Filters(period, ind.Scope())
    industry = (args.get("industry") or "").strip() or None
    if industry and not reference.industries().known(industry):
        raise FilterError(f"行业“{industry}”不在行业目录中")
    district_text = (args.get("district") or "").strip()
    district = city.current().district_code(district_text) if district_text else None
    if district_text and district is None:
        raise FilterError(f"区县“{district_text}”不是本市的区县")
    department_text = (args.get("department") or "").strip()
    department = None
    if department_text:
        known = department_text.isdigit() and len(department_text) <= 9
        if not known or db.session.get(Department, int(department_text)) is None:
            raise FilterError("所选部门不存在")
        department = int(department_text)
    own = bound_department(user)
    if own is not None:
        if department is not None and department != own:
            raise ScopeRefused("只能查看本部门的统计，已按本部门显示")
        department = own
    return Filters(period, ind.Scope(department_id=department, industry=industry, district=district))


def figures(selected: Filters, keys=ADMIN_KEYS, today: dt.date | None = None) -> list[ind.Result]:
    return [ind.compute(key, selected.period, selected.scope, today) for key in keys]


def as_of() -> dt.datetime:
    """Up to when the figures hold every change ("数据更新于"): the aggregates' last refresh."""
    return aggregates.ensure_fresh() or clock.now()


SNAPSHOT_EVERY = dt.timedelta(hours=1)


def refresh(full: bool = False) -> dt.datetime:
    """Recount the aggregates (every day with `full`) and the snapshots older than an hour (all of
    them with `full`); returns the as-of time."""
    if full:
        return aggregates.rebuild()
    updated = aggregates.refresh()
    for name in aggregates.SNAPSHOTS:
        aggregates.snapshot(name, max_age=SNAPSHOT_EVERY)
    return updated


def shown_time(moment: dt.datetime) -> str:
    return moment.astimezone(clock.CHINA).strftime("%Y-%m-%d %H:%M")


def departments() -> list[tuple[int, str]]:
    return [(i, n) for i, n in db.session.execute(select(Department.id, Department.name).order_by(Department.name))]


def options(user=None) -> dict:
    """Choices of the admin filter form (only their own department for a user confined to it)."""
    own = bound_department(user)
    return {
        "industries": reference.industries().names,
        "districts": [(d.code, d.name) for d in city.current().districts],
        "departments": [d for d in departments() if own is None or d[0] == own],
    }


def flat(results: list[ind.Result]) -> list[dict]:
    """One row per figure (headline and each part): the shape of the JSON output and the bulletin sheet."""
    rows = []
    for r in results:
        if not r.applicable:
            rows.append(_row(r, "合计", None, None, None, "不适用"))
            continue
        rows.append(_row(r, "合计", r.value, r.numerator, r.denominator, r.shown()))
        for p in r.parts:
            rows.append(_row(r, p.label, p.value, p.numerator, p.denominator, r.part_shown(p)))
    return rows


def _row(r: ind.Result, part: str, value, numerator, denominator, shown: str) -> dict:
    if isinstance(value, float):
        value = round(value, 6)
    return {
        "indicator": r.key,
        "label": r.label,
        "part": part,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "shown": shown,
        "formula": r.formula,
    }


def as_json(selected: Filters, results: list[ind.Result], computed_at: dt.datetime) -> dict:
    return {
        "period": selected.period.code,
        "period_label": selected.period.label,
        "start": selected.period.start.isoformat(),
        "end": selected.period.end.isoformat(),
        "scope": selected.scope.params(),
        "computed_at": computed_at.astimezone(clock.CHINA).isoformat(timespec="seconds"),
        "figures": flat(results),
    }


def drill_rows(key: str, selected: Filters, params: dict) -> tuple[ind.Indicator, list[ind.DrillRow]]:
    spec = ind.INDICATORS.get(key)
    if spec is None or spec.drill is None:
        raise FilterError("没有这项指标的明细")
    department = params.get("department", "0")
    if not (department.isdigit() and len(department) <= 9):
        raise FilterError("明细的筛选条件无效")
    try:
        return spec, ind.drill(key, selected.period, selected.scope, params)
    except (ValueError, KeyError) as exc:  # a hand-made link: a filter value the indicator does not know
        raise FilterError("明细的筛选条件无效") from exc


def recent_periods(today: dt.date | None = None, quarters: int = 8) -> list[Period]:
    """Choices of the period selector: the last complete quarters, newest first, and the last 12 months."""
    today = today or clock.today()
    out, period = [], default_period(today)
    for _ in range(quarters):
        out.append(period)
        period = previous_quarter(period.start)
    return [parse("12m", today), *out]


def _charts(results: dict[str, ind.Result]) -> list[charts.Chart]:
    wanted = [
        ("records_by_month", "各月公示的双公示信息（条）", "line", False),
        ("records_by_kind", "按类别的公示信息（条）", "bar", False),
        ("records_by_industry", "按行业的公示信息（条）", "bar", True),
        ("records_by_district", "按区县的公示信息（条）", "bar", False),
        ("records_by_category", "按数据类别的公示信息（条）", "bar", False),
        ("list_changes", "名单列入和移出（条）", "bar", False),
    ]
    out = []
    for key, title, kind, skip_zero in wanted:
        result = results.get(key)
        if result is None or not result.applicable:
            continue
        if kind == "line":
            values = [_numeric(p.value) for p in result.parts]
            shown = [result.part_shown(p) for p in result.parts]
            labels = [p.label for p in result.parts]
            out.append(charts.line_chart(key, title, labels, [("value", result.label, values, shown)]))
        else:
            parts = [p for p in result.parts if p.value is not None and not (skip_zero and not p.value)]
            rows = [(p.label, _numeric(p.value), result.part_shown(p)) for p in parts]
            out.append(charts.bar_chart(key, title, "数值", rows))
    return out


def _numeric(value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def public_json(selected: Filters) -> dict:
    updated = as_of()
    return as_json(selected, figures(selected, PUBLIC_KEYS), updated)


def page(args, *, public: bool, user=None) -> dict:
    """Everything the public statistics page or the admin dashboard shows; a bad filter falls back to
    the default period (within the user's department when confined to one) and is reported in
    `error`, a refused scope with `refused`."""
    error, refused = None, False
    try:
        selected = filters(args, public=public, user=user)
    except ScopeRefused as exc:  # the other filters stand; the department is the user's own
        error, refused = str(exc), True
        selected = filters({k: v for k, v in args.items() if k != "department"}, user=user)
    except FilterError as exc:
        error = str(exc)
        selected = Filters(default_period(), ind.Scope(department_id=bound_department(user)))
    updated = as_of()
    results = figures(selected, PUBLIC_KEYS if public else ADMIN_KEYS)
    by_key = {r.key: r for r in results}
    grader = user is not None and access.has_any_role(user, (Role.GRADER,))
    return {
        "error": error,
        "refused": refused,
        "selected": selected,
        "results": results,
        "by_key": by_key,
        "charts": _charts(by_key),
        "periods": recent_periods(),
        "as_of": shown_time(updated),
        "snapshots": {r.key: shown_time(r.counted_at) for r in results if r.counted_at is not None},
        "options": None if public else options(user),
        "bound_department": bound_department(user),
        "grading": _grading(selected) if grader else None,
    }


def _grading(selected: Filters) -> dict | None:
    """The A–E distribution of the period's latest evaluation (else the latest of any period), for graders."""
    evaluation = grading.latest_run(selected.period.code) or grading.latest_run()
    if evaluation is None:
        return {"evaluation": None, "rows": []}
    return {"evaluation": evaluation, "rows": grading.distribution(evaluation.id)}
