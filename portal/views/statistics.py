"""信用统计: published counts and the portal's own service indicators, openly (JSON: portal/views/api.py)."""

from __future__ import annotations

from flask import render_template, request

from portal.services.statistics import summary
from portal.views.blueprint import bp


@bp.get("/statistics")
def statistics():
    context = summary.page(request.args, public=True)
    return render_template("statistics.html", **context), 400 if context["error"] else 200
