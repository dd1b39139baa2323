"""Home, publication pages, subject credit files, guides and their JSON twins."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, has_request_context, redirect, render_template, request, url_for

from portal.charts import line_chart
from portal.errors import page_number
from portal.models import ListKind
from portal.models.applications import OBJECTION_GROUNDS
from portal.rules import publicity
from portal.services.articles import content
from portal.services.core.paging import Position
from portal.services.credit_lists import lists
from portal.services.credit_reports import reports
from portal.services.online import applications, commitments
from portal.services.publication import records, stats, subjects
from portal.views.blueprint import bp

SEARCH_TYPES = (("all", "全部"), ("subject", "信用主体"), ("license", "行政许可"), ("penalty", "行政处罚"))
A11Y_COOKIE, A11Y_MAX_AGE = "a11y", 365 * 24 * 3600
POSITION_ARGS = ("page", "after", "before", "last")


def _page() -> int:
    return max(1, request.args.get("page", 1, type=page_number))


@bp.app_template_global()
def page_url(**position) -> str:
    """The current page's URL with its filters kept and another position (page, after, before, last)."""
    # url_for treats '_'-prefixed names as options (_external, _scheme...): never pass those through
    args = {k: v for k, v in request.args.items() if not k.startswith("_") and k not in POSITION_ARGS}
    return url_for(request.endpoint, **{**args, **(request.view_args or {}), **position})


@bp.app_context_processor
def _layout():
    if not has_request_context():  # templates rendered by commands or jobs
        return {}
    return {
        "search_action": url_for("public.search"),
        "search_types": SEARCH_TYPES,
        "elder_mode": request.cookies.get(A11Y_COOKIE) == "elder",
    }


@bp.get("/")
def home():
    figures = stats.home_page()
    trend = figures["trend"]
    chart = line_chart(
        "trend",
        f"近{len(trend['months'])}个月新增公示记录（按决定日期，条）",
        [f"{int(m[5:])}月" for m in trend["months"]],
        [("license", "行政许可", trend["license"], None), ("penalty", "行政处罚", trend["penalty"], None)],
    )
    return render_template("home.html", **figures, chart=chart)


# Double publicity -------------------------------------------------------------------------------


def _record_list(kind: str):
    filters = records.Filters.from_args(request.args)
    return render_template(
        "records.html",
        kind=kind,
        filters=filters,
        page=records.public_records(kind, filters, Position.from_args(request.args)),
        categories=records.CATEGORIES[kind],
        regions=records.regions(),
    )


def _record_detail(kind: str, record_id: int):
    record = records.public_record(kind, record_id)
    if record is None:
        abort(404)
    return render_template(f"{kind}.html", record=record)


@bp.get("/licenses")
def licenses():
    return _record_list("license")


@bp.get("/licenses/<int:record_id>")
def license_detail(record_id: int):
    return _record_detail("license", record_id)


@bp.get("/penalties")
def penalties():
    return _record_list("penalty")


@bp.get("/penalties/<int:record_id>")
def penalty_detail(record_id: int):
    return _record_detail("penalty", record_id)


# Subjects, lists, commitments -------------------------------------------------------------------


@bp.get("/subjects/<ref>")
def subject(ref: str):
    file = subjects.credit_file(ref)
    if file is None:
        abort(404)
    return render_template(
        "subject.html",
        file=file,
        report_kinds=reports.KIND_CHOICES,
        report_years=reports.SPECIAL_YEARS,
        report_purposes=reports.PURPOSES,
    )


@bp.get("/lists/<kind>")
def credit_list(kind: str):
    try:
        list_kind = ListKind(kind)
    except ValueError:
        abort(404)
    types = lists.list_types(list_kind)
    list_type = request.args.get("type", "") if request.args.get("type") in types else ""
    return render_template(
        "lists.html",
        kind=list_kind,
        types=types,
        list_type=list_type,
        page=lists.current_entries(list_kind, list_type, _page()),
    )


@bp.get("/commitments")
def commitment_list():
    chosen = request.args.get("type", "")
    return render_template(
        "commitments.html", types=commitments.TYPES, chosen=chosen, page=commitments.public_commitments(chosen, _page())
    )


# Guides -----------------------------------------------------------------------------------------


@bp.get("/repair")
def repair_guide():
    return render_template("repair.html", periods=publicity.PERIOD_MONTHS, limits=applications.time_limits())


@bp.get("/objection")
def objection_guide():
    return render_template("objection.html", grounds=OBJECTION_GROUNDS, limits=applications.time_limits())


# Articles ---------------------------------------------------------------------------------------


@bp.get("/articles")
def articles():
    columns = content.columns()
    chosen = request.args.get("column", "")
    if chosen not in {c["slug"] for c in columns}:
        chosen = ""
    return render_template("articles.html", columns=columns, chosen=chosen, page=content.articles(chosen, _page()))


@bp.get("/articles/<int:article_id>")
def article(article_id: int):
    found = content.article(article_id)
    if found is None:
        abort(404)
    return render_template("article.html", article=found)


# Large-type, high-contrast mode (适老化) ---------------------------------------------------------


def _local_path(target: str | None) -> str:
    """`target` when it is a path on this site, else '/': never redirect to another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        return "/"  # browsers drop tabs and newlines, turning '/\t/evil' into '//evil'
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


@bp.get("/accessibility")
def accessibility():
    response = redirect(_local_path(request.args.get("next")))
    mode = request.args.get("mode")
    if mode == "elder":
        response.set_cookie(
            A11Y_COOKIE, "elder", max_age=A11Y_MAX_AGE, samesite="Lax", httponly=True, secure=request.is_secure
        )
    elif mode == "standard":
        response.delete_cookie(A11Y_COOKIE, samesite="Lax", httponly=True, secure=request.is_secure)
    return response
