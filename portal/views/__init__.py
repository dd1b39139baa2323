"""Public pages: one blueprint (portal/views/blueprint.py), routes split by area."""

from portal.views import media, online, pages, reports, search, statistics, theme  # noqa: F401  (registers the routes)
from portal.views.blueprint import bp

__all__ = ["bp"]
