"""信用统计: published counts and the portal's own service indicators, openly, with its JSON twin."""

from __future__ import annotations

from flask import jsonify, render_template, request

from portal.services.statistics import summary
from portal.views.blueprint import bp


@bp.get("/statistics")
def statistics():
    context = summary.page(request.args, public=True)
    return render_template("statistics.html", **context), 400 if context["error"] else 200


@bp.get("/api/v1/statistics")
def api_statistics():
    try:
        selected = summary.filters(request.args, public=True)
    except summary.FilterError as exc:
        return jsonify({"error": str(exc)}), 400
    return jsonify(summary.public_json(selected))
