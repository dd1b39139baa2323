"""Public pages: one blueprint, routes split by area."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from portal.views import api, extracts, feeds, media, online, pages, reports, search  # noqa: E402,F401  (registers the routes)
