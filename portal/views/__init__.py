"""Public pages: one blueprint (portal/views/blueprint.py), routes split by area."""

from portal.views import (  # noqa: F401  (registers the routes)
    api,
    extracts,
    feeds,
    media,
    online,
    pages,
    reports,
    search,
    statistics,
    theme,
)
from portal.views.blueprint import bp

__all__ = ["bp"]
