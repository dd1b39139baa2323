"""统计分析: the indicators for a period and scope, their drill-down rows, and the quarterly bulletin."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user

from admin.blueprint import bp
from portal.services.statistics import bulletin, summary

# Where a drill-down row's own page is in the back office, by row kind.
ROW_PAGES = {
    "license": ("admin.record_detail", lambda r: {"kind": "license", "record_id": r.id}),
    "penalty": ("admin.record_detail", lambda r: {"kind": "penalty", "record_id": r.id}),
    "list_entry": ("admin.list_entry_detail", lambda r: {"entry_id": r.id}),
    "import_run": ("admin.import_run", lambda r: {"run_id": r.id}),
    "objection": ("admin.application_detail", lambda r: {"kind": "objection", "app_id": r.id}),
    "repair": ("admin.application_detail", lambda r: {"kind": "repair", "app_id": r.id}),
    "commitment": ("admin.application_detail", lambda r: {"kind": "commitment", "app_id": r.id}),
    "project": ("admin.project_detail", lambda r: {"project_id": r.id}),
}


@bp.get("/statistics")
def statistics():
    context = summary.page(request.args, public=False, user=current_user)
    status = 403 if context["refused"] else 400 if context["error"] else 200
    return render_template("admin/statistics.html", **context), status


@bp.get("/statistics/<key>/rows")
def statistics_rows(key: str):
    try:
        selected = summary.filters(request.args, user=current_user)
        spec, rows = summary.drill_rows(key, selected, request.args.to_dict())
    except summary.FilterError as exc:
        status = 403 if isinstance(exc, summary.ScopeRefused) else 400
        return render_template("admin/statistics_rows.html", error=str(exc), rows=[], spec=None), status
    return render_template(
        "admin/statistics_rows.html",
        error=None,
        rows=rows,
        spec=spec,
        selected=selected,
        row_pages=ROW_PAGES,
        limit=summary.DRILL_LIMIT,
    )


@bp.get("/statistics/bulletin.xlsx")
def statistics_bulletin():
    try:
        selected = summary.filters(request.args, user=current_user)
    except summary.FilterError:
        return statistics()
    return Response(
        bulletin.workbook(selected),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename=bulletin-{selected.period.code}.xlsx"},
    )
