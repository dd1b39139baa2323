"""The back office's guard on roles; what a user may see or change is services.access."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from portal.models import Role
from portal.services.staff import access


def require_roles(*roles: Role):
    """403 unless the signed-in user holds one of `roles`."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not access.has_any_role(current_user, roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate
