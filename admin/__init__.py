"""The back office, mounted at /admin: one blueprint (admin/blueprint.py), routes split by area."""

from admin import (  # noqa: F401  (registers the routes)
    accounts,
    api_keys,
    applications,
    article_editor,
    articles,
    audit_log,
    auth,
    counter,
    dashboard,
    exports,
    grading,
    imports,
    lists,
    nav,
    platform,
    projects,
    records,
    review,
    statistics,
)
from admin.blueprint import bp

__all__ = ["bp"]
