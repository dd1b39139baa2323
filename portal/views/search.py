"""Search page (rate-limited per client: portal.limits; its JSON twin is in portal.views.api)."""

from flask import render_template, request

from portal.search.query import QueryError
from portal.services.public_search.search import search as run_search
from portal.views.blueprint import bp


def _args():
    page = request.args.get("page", "1")
    return request.args.get("q", ""), request.args.get("type", "all"), int(page) if page.isdigit() else 1


@bp.get("/search")
def search():
    q, type_, page = _args()
    if not q.strip():
        return render_template("search.html", q="", type=type_, results=None, error=None)
    try:
        results = run_search(q, type_, page)
    except QueryError as e:
        return render_template("search.html", q=q, type=type_, results=None, error=str(e)), 400
    return render_template("search.html", q=q, type=type_, results=results, error=None)
