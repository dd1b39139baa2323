"""Staff accounts: sign-in with lockout, passwords under the policy, roles and departments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from portal import clock
from portal.extensions import db
from portal.models import Department, Role, StaffUser, UserRole
from portal.models.base import utcnow
from portal.rules import passwords
from portal.services.core import audit, secret_hashes
from portal.services.core.unit_of_work import atomic, commit
from portal.services.staff import staff_sessions

MAX_FAILURES = 5
LOCK_MINUTES = 15
INACTIVE_DAYS = 90
INACTIVE_LABEL = f"超过{INACTIVE_DAYS}天未登录"
# The one answer to every failed sign-in, whatever the reason (the audit log keeps the reason).
FAILED = f"用户名或密码错误。连续{MAX_FAILURES}次输错后账户将锁定{LOCK_MINUTES}分钟；账户停用或无法登录请联系系统管理员"


class PasswordRejected(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass
class SignIn:
    user: StaffUser | None
    error: str | None = None


def authenticate(username: str, password: str) -> SignIn:
    """Check a sign-in; every attempt is audited. Five failures lock the account for 15 minutes.

    Unknown, locked, disabled and wrong-password attempts get one answer and cost one scrypt check
    each, so neither the message nor the time tells which usernames exist.
    """
    user = db.session.scalar(select(StaffUser).where(func.lower(StaffUser.username) == username.strip().lower()))
    now = utcnow()
    # An unknown username costs one check too.
    password_ok = secret_hashes.matches(user.password_hash if user else secret_hashes.stand_in_password(), password)
    if user is None:
        audit.record("login_failed", actor=username[:64], after={"reason": "unknown user"})
        commit()
        return SignIn(None, FAILED)
    if clock.as_utc(user.locked_until) and clock.as_utc(user.locked_until) > now:
        audit.record("login_failed", user=user, entity_type="staff_user", entity_id=user.id, after={"reason": "locked"})
        commit()
        return SignIn(None, FAILED)
    if not password_ok or not user.active:
        user.failed_logins = (user.failed_logins or 0) + 1
        reason = "disabled" if user.active is False else "wrong password"
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until, user.failed_logins = now + dt.timedelta(minutes=LOCK_MINUTES), 0
            reason += ", locked"
        audit.record("login_failed", user=user, entity_type="staff_user", entity_id=user.id, after={"reason": reason})
        commit()
        return SignIn(None, FAILED)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    audit.record("login", user=user, entity_type="staff_user", entity_id=user.id)
    commit()
    return SignIn(user)


def set_password(user: StaffUser, password: str, *, by: StaffUser | None, force_change: bool) -> None:
    found = passwords.problems(password, user.username)
    if found:
        raise PasswordRejected(found)
    user.password_hash = secret_hashes.hash_password(password)
    user.must_change_password = force_change
    staff_sessions.end_all(user)  # a copied cookie must not outlive the old password
    audit.record(
        "password_reset" if force_change else "password_changed",
        user=by or user,
        entity_type="staff_user",
        entity_id=user.id,
    )


@atomic
def create_user(
    username: str,
    display_name: str,
    password: str,
    roles: list[Role],
    department_id: int | None,
    *,
    by: StaffUser | None,
    force_change: bool = True,
    actor: str | None = None,
) -> StaffUser:
    if db.session.scalar(select(StaffUser.id).where(func.lower(StaffUser.username) == username.lower())):
        raise ValueError(f"用户名“{username}”已存在")
    found = passwords.problems(password, username)
    if found:  # before anything is added to the session
        raise PasswordRejected(found)
    user = StaffUser(
        username=username, display_name=display_name, department_id=department_id, password_hash="", active=True
    )
    user.roles = [UserRole(role=r) for r in dict.fromkeys(roles)]
    db.session.add(user)
    db.session.flush()
    set_password(user, password, by=by, force_change=force_change)
    audit.record(
        "account_created",
        user=by,
        actor=actor,
        entity_type="staff_user",
        entity_id=user.id,
        after={"username": username, "roles": [r.value for r in roles], "department_id": department_id},
    )
    commit()
    return user


@atomic
def change_own_password(user: StaffUser, password: str) -> str:
    """The signed-in user's new password: every session ends, a fresh one starts; returns its token."""
    set_password(user, password, by=user, force_change=False)
    token = staff_sessions.start(user)
    commit()
    return token


def open_session(user: StaffUser) -> str:
    """A server-side session after a successful sign-in; returns the token for the cookie."""
    token = staff_sessions.start(user)
    commit()
    return token


def sign_out(user: StaffUser, token: str | None) -> None:
    audit.record("logout", user=user, entity_type="staff_user", entity_id=user.id)
    staff_sessions.end(token)
    commit()


def user(user_id: int) -> StaffUser | None:
    return db.session.get(StaffUser, user_id)


def users() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.username)))


def display_names(ids) -> dict[int, str]:
    """Staff names by id, for pages that show who did what."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = db.session.execute(select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(wanted)))
    return {row.id: row.display_name for row in rows}


def departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(Department.name)))


def active_departments() -> list[Department]:
    """The departments submissions can be addressed to and unrouted ones handed to."""
    return list(db.session.scalars(select(Department).where(Department.active.is_(True)).order_by(Department.name)))


def department(dept_id: int) -> Department | None:
    return db.session.get(Department, dept_id)


def members(dept: Department) -> list[StaffUser]:
    return list(
        db.session.scalars(select(StaffUser).where(StaffUser.department_id == dept.id).order_by(StaffUser.username))
    )


def inactive(now: dt.datetime | None = None):
    """SQL condition: an active account without a sign-in for 90 days (never signed in counts from
    creation). The one rule for the inactive accounts' page and the accounts list's filter."""
    cutoff = (now or utcnow()) - dt.timedelta(days=INACTIVE_DAYS)
    return and_(
        StaffUser.active.is_(True),
        or_(StaffUser.last_login_at < cutoff, (StaffUser.last_login_at.is_(None)) & (StaffUser.created_at < cutoff)),
    )


def inactive_accounts(now: dt.datetime | None = None) -> Sequence[StaffUser]:
    return db.session.scalars(select(StaffUser).where(inactive(now)).order_by(StaffUser.username)).all()


# Administration of accounts and departments (系统管理员). Accounts are never deleted: the audit log
# refers to them. Every change is audited with the values before and after.

ACCOUNT_FIELDS = ("display_name", "department_id", "active", "must_change_password")


def account_snapshot(user: StaffUser) -> dict:
    values = audit.snapshot(user, ACCOUNT_FIELDS)
    values["roles"] = sorted(r.role.value for r in user.roles)
    return values


@atomic
def update_user(
    user: StaffUser, *, display_name: str, roles: list[Role], department_id: int | None, by: StaffUser
) -> bool:
    """Name, roles and department; True when something changed (and was audited)."""
    if user.id == by.id and Role.ADMIN in {r.role for r in user.roles} and Role.ADMIN not in roles:
        raise ValueError("不能取消自己的系统管理员角色")
    before = account_snapshot(user)
    user.display_name = display_name.strip()
    user.department_id = department_id
    wanted = list(dict.fromkeys(roles))
    kept = [r for r in user.roles if r.role in wanted]
    user.roles = kept + [UserRole(role=r) for r in wanted if r not in {k.role for k in kept}]
    old, new = audit.changes(before, account_snapshot(user))
    if not new:
        commit()
        return False
    audit.record("account_updated", user=by, entity_type="staff_user", entity_id=user.id, before=old, after=new)
    commit()
    return True


@atomic
def set_active(user: StaffUser, active: bool, *, by: StaffUser) -> bool:
    """Disable (or enable again) an account; a disabled account cannot sign in."""
    if not active and user.id == by.id:
        raise ValueError("不能停用自己的账号")
    if bool(user.active) == active:
        return False
    before = account_snapshot(user)
    user.active = active
    if not active:
        staff_sessions.end_all(user)
    if active:
        user.failed_logins, user.locked_until = 0, None
    old, new = audit.changes(before, account_snapshot(user))
    audit.record(
        "account_enabled" if active else "account_disabled",
        user=by,
        entity_type="staff_user",
        entity_id=user.id,
        before=old,
        after=new,
    )
    commit()
    return True


@atomic
def reset_password(user: StaffUser, temporary_password: str, *, by: StaffUser) -> None:
    """A temporary password chosen by the administrator; the user must change it at the next sign-in."""
    before = account_snapshot(user)
    set_password(user, temporary_password, by=by, force_change=True)  # audits 'password_reset'
    user.failed_logins, user.locked_until = 0, None
    old, new = audit.changes(before, account_snapshot(user))
    if new:
        audit.record("account_updated", user=by, entity_type="staff_user", entity_id=user.id, before=old, after=new)
    commit()


DEPARTMENT_FIELDS = ("name", "uscc", "region_code", "active")


def _department_values(name: str, uscc: str | None, region_code: str | None) -> dict:
    return {
        "name": name.strip(),
        "uscc": (uscc or "").strip().upper() or None,
        "region_code": (region_code or "").strip() or None,
    }


def _check_department_unique(values: dict, exclude_id: int | None = None) -> None:
    for field, label in (("name", "部门名称"), ("uscc", "统一社会信用代码")):
        if values[field] is None:
            continue
        found = db.session.scalar(select(Department.id).where(getattr(Department, field) == values[field]))
        if found is not None and found != exclude_id:
            raise ValueError(f"{label}“{values[field]}”已被其他部门使用")


@atomic
def create_department(name: str, uscc: str | None, region_code: str | None, *, by: StaffUser) -> Department:
    values = _department_values(name, uscc, region_code)
    _check_department_unique(values)
    dept = Department(**values, active=True)
    db.session.add(dept)
    db.session.flush()
    audit.record(
        "department_created",
        user=by,
        entity_type="department",
        entity_id=dept.id,
        after=audit.snapshot(dept, DEPARTMENT_FIELDS),
    )
    commit()
    return dept


@atomic
def update_department(
    dept: Department, name: str, uscc: str | None, region_code: str | None, active: bool, *, by: StaffUser
) -> bool:
    values = _department_values(name, uscc, region_code)
    _check_department_unique(values, exclude_id=dept.id)
    before = audit.snapshot(dept, DEPARTMENT_FIELDS)
    for field, value in {**values, "active": active}.items():
        setattr(dept, field, value)
    old, new = audit.changes(before, audit.snapshot(dept, DEPARTMENT_FIELDS))
    if not new:
        commit()
        return False
    audit.record("department_updated", user=by, entity_type="department", entity_id=dept.id, before=old, after=new)
    commit()
    return True
