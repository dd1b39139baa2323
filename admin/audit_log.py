"""The audit log (系统管理员): read, filter and export. Append-only: no route here or anywhere else
edits or deletes an entry (the ORM refuses, and the database refuses too; see migration 0005).
"""

from __future__ import annotations

from flask import Response, render_template, request, stream_with_context
from flask_login import current_user

from admin.access import require_roles
from admin.blueprint import bp
from portal import clock
from portal.errors import page_number
from portal.models import Role
from portal.services.core.paging import paginate
from portal.services.staff import audit_query


@bp.get("/audit")
@require_roles(Role.ADMIN)
def audit_log():
    filters = audit_query.Filters.from_args(request.args)
    page = paginate(
        audit_query.query(filters),
        max(1, request.args.get("page", 1, type=page_number)),
        lambda rows: [audit_query.entry_view(e) for e in rows],
        per_page=50,
    )
    return render_template(
        "admin/audit_log.html",
        page=page,
        filters=filters,
        actions=audit_query.known_actions(),
        entity_types=audit_query.known_entity_types(),
        action_label=audit_query.action_label,
        entity_label=audit_query.entity_label,
    )


@bp.get("/audit/export.csv")
@require_roles(Role.ADMIN)
def audit_export():
    filters = audit_query.Filters.from_args(request.args)
    audit_query.record_export(current_user, filters)
    name = f"audit-log-{clock.today().isoformat()}.csv"
    return Response(
        stream_with_context(audit_query.csv_rows(filters)),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f"attachment; filename={name}",
            "Cache-Control": "private, no-store",
        },
    )
