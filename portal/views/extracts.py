"""Bulk downloads of the public columns: streamed CSV and JSON Lines filtered like the listings,
and the daily full files with their SHA-256."""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, current_app, render_template, request, send_from_directory, stream_with_context
from pydantic import ValidationError

from portal.services.opendata import columns, extracts
from portal.services.opendata import schemas as s
from portal.views.blueprint import bp

QUERIES = {
    "licenses": s.DecisionQuery,
    "penalties": s.DecisionQuery,
    "list_entries": s.ListQuery,
    "commitments": s.CommitmentQuery,
    "articles": s.ArticleQuery,
}


def _folder() -> Path:
    return Path(current_app.config["PORTAL_EXTRACT_DIR"])


@bp.get("/extracts/<name>.<fmt>")
def extract(name: str, fmt: str):
    if name not in QUERIES or fmt not in extracts.FORMATS:
        abort(404)
    try:
        parsed = QUERIES[name].model_validate(request.args.to_dict())
    except ValidationError:
        abort(400, "筛选条件有误：日期请按 YYYY-MM-DD 填写，名单种类、承诺类型请从页面选项中选择")
    q = columns.Query(**{k: v for k, v in parsed.model_dump().items() if k not in ("cursor", "limit") and v})
    lines = stream_with_context(extracts.LINES[fmt](name, q))
    response = Response(lines, mimetype=extracts.FORMATS[fmt])
    response.headers["Content-Disposition"] = f"attachment; filename={extracts.file_name(name, fmt)}"
    return response


@bp.get("/extracts/")
def extract_index():
    folder = _folder()
    files = extracts.daily_files(folder) if folder.is_dir() else []
    return render_template("extracts.html", files=files, columns=columns.COLUMNS, formats=extracts.FORMATS)


@bp.get("/extracts/daily/<path:filename>")
def daily_extract(filename: str):
    return send_from_directory(_folder(), filename, as_attachment=not filename.endswith(".sha256"))
