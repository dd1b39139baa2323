"""The back office, mounted at /admin: one blueprint (admin/blueprint.py), routes split by area."""

from admin import (  # noqa: F401  (registers the routes)
    accounts,
    applications,
    articles,
    audit_log,
    auth,
    counter,
    dashboard,
    grading,
    imports,
    lists,
    nav,
    platform,
    records,
    review,
    statistics,
)
from admin.blueprint import bp

__all__ = ["bp"]
