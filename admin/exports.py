"""CSV exports of the back office's listings, with the listing's own search, filters and order:
UTF-8 with a BOM, Chinese headers, formula cells neutralised (portal.services.staff.desk_lists)."""

from __future__ import annotations

from flask import Response, abort, request, stream_with_context

from admin.access import require_roles
from admin.blueprint import bp
from admin.scope import RECORD_KINDS, desk, me
from portal.models import Role
from portal.services.staff import desk_lists, office_lists


def csv_response(name: str, lines) -> Response:
    return Response(
        stream_with_context(lines),
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f"attachment; filename={name}",
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/records/export.csv")
@desk(Role.CLERK, Role.REVIEWER)
def records_export():
    kind = request.args.get("kind")
    if kind not in RECORD_KINDS:
        abort(404)
    listing = desk_lists.Listing.from_args("record", request.args)
    return csv_response(*desk_lists.export("record", kind, me(), listing))


@bp.get("/lists/export.csv")
@desk(Role.CLERK, Role.REVIEWER)
def list_entries_export():
    listing = desk_lists.Listing.from_args("list_entry", request.args)
    return csv_response(*desk_lists.export("list_entry", None, me(), listing))


def _office(table: str) -> Response:
    return csv_response(*office_lists.export(table, me(), desk_lists.Listing.from_args(table, request.args)))


@bp.get("/accounts/export.csv")
@require_roles(Role.ADMIN)
def accounts_export():
    return _office("account")


@bp.get("/queues/export.csv")
@desk(Role.HANDLER)
def queues_export():
    return _office("application")


@bp.get("/imports/export.csv")
@desk(Role.CLERK)
def imports_export():
    return _office("import")


@bp.get("/api-keys/export.csv")
@require_roles(Role.ADMIN)
def api_keys_export():
    return _office("api_key")


@bp.get("/articles/export.csv")
@require_roles(Role.EDITOR)
def articles_export():
    return _office("article")
