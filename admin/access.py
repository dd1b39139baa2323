"""Who may do what in the back office: roles, and department scoping in the queries."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user
from sqlalchemy import Select

from portal.models import Role


def require_roles(*roles: Role):
    """403 unless the signed-in user holds one of `roles`."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not any(current_user.has_role(r) for r in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def own_department(stmt: Select, model) -> Select:
    """Restrict a query to the signed-in user's department: other departments' rows do not exist."""
    return stmt.where(model.department_id == current_user.department_id)
