"""Web import: upload, preview with per-row problems, confirm, progress, error report download."""

from __future__ import annotations

from pathlib import Path

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from admin.blueprint import bp
from admin.record_forms import ImportForm
from admin.scope import desk, me, run_or_404
from portal import errors
from portal.errors import page_number
from portal.importer.headers import KIND_LABELS, HeaderError
from portal.models import Role
from portal.services.core.paging import paginate
from portal.services.imports import web_import
from portal.services.staff import desk_lists, office_lists

_UPLOAD_MARGIN = 64 * 1024  # room for the other form fields around the file


@bp.record_once
def _limit_upload_size(state) -> None:
    """Cap the upload before anything reads the body (CSRF checking parses the form first)."""

    def limit():
        if request.endpoint == "admin.imports" and request.method == "POST":
            request.max_content_length = web_import.max_bytes() + _UPLOAD_MARGIN

    state.app.before_request_funcs.setdefault(None, []).insert(0, limit)


def _upload_page(form, status: int = 200, error: str | None = None):
    web_import.sweep_stale()
    listing = desk_lists.Listing.from_args("import", request.args)
    page = paginate(office_lists.imports(me(), listing), request.args.get("page", 1, type=page_number), list)
    return render_template(
        "admin/imports.html",
        form=form,
        page=page,
        listing=listing,
        sorts=desk_lists.SORTS["import"],
        states=list(desk_lists.IMPORT_STATES.items()),
        error=error,
        kinds=KIND_LABELS,
        status_of=web_import.status,
        max_mb=web_import.max_bytes() // (1024 * 1024),
    ), status


@bp.errorhandler(413)
def _too_large(error):
    mb = web_import.max_bytes() // (1024 * 1024)
    if request.endpoint != "admin.imports":
        return errors.answer(413)
    if not current_user.is_authenticated or current_user.department_id is None:
        return f"文件超过{mb}MB", 413
    return _upload_page(ImportForm(formdata=None), 413, f"文件超过{mb}MB，请拆分后分批导入")


@bp.route("/imports", methods=["GET", "POST"])
@desk(Role.CLERK)
def imports():
    form = ImportForm()
    if request.method == "GET":
        return _upload_page(form)
    if not form.validate_on_submit():
        return _upload_page(form, 400)
    try:
        upload = web_import.receive(form.file.data, form.kind.data, me())
    except HeaderError as e:
        return _upload_page(form, 400, f"文件被拒绝，未导入任何数据：{e}")
    return redirect(url_for("admin.import_preview", token=upload.token))


def _upload_or_404(token: str) -> web_import.Upload:
    upload = web_import.find(token, me())
    if upload is None:
        abort(404)
    return upload


@bp.get("/imports/uploads/<token>")
@desk(Role.CLERK)
def import_preview(token: str):
    return render_template("admin/import_preview.html", upload=_upload_or_404(token), form=ImportForm(formdata=None))


@bp.post("/imports/uploads/<token>/confirm")
@desk(Role.CLERK)
def import_confirm(token: str):
    upload = _upload_or_404(token)
    if upload.state != "ready" or upload.valid == 0:
        abort(400)
    run = web_import.start(upload, me())
    return redirect(url_for("admin.import_run", run_id=run.id))


@bp.get("/imports/uploads/<token>/errors.csv")
@desk(Role.CLERK)
def import_preview_errors(token: str):
    upload = _upload_or_404(token)
    return _error_file(upload.token, f"预检问题-{upload.token[:8]}.csv")


@bp.get("/imports/runs/<int:run_id>")
@desk(Role.CLERK)
def import_run(run_id: int):
    web_import.sweep_stale()
    run = run_or_404(run_id)
    return render_template(
        "admin/import_run.html",
        run=run,
        status=web_import.status(run),
        kinds=KIND_LABELS,
        can_retry=bool(run.stored_name) and web_import.source_path(run.stored_name).is_file(),
    )


@bp.post("/imports/runs/<int:run_id>/retry")
@desk(Role.CLERK)
def import_retry(run_id: int):
    run = run_or_404(run_id)  # the app-wide CSRF check has already run
    web_import.retry(run, me())
    return redirect(url_for("admin.import_run", run_id=run.id))


@bp.get("/imports/runs/<int:run_id>/errors.csv")
@desk(Role.CLERK)
def import_run_errors(run_id: int):
    run = run_or_404(run_id)
    if not run.finished_at or not run.stored_name:
        abort(404)
    return _error_file(Path(run.stored_name).stem, f"导入错误报告-{run.id}.csv")


def _error_file(token: str, download_name: str):
    path = web_import.errors_path(token)
    if not path.is_file():
        abort(404)
    return send_file(
        path, mimetype="text/csv; charset=utf-8", as_attachment=True, download_name=download_name, max_age=0
    )
