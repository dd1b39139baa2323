"""Departments, staff users and their roles."""

from __future__ import annotations

import datetime as dt
import enum

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import CODE, NAME, TimestampMixin, enum_column


class Department(TimestampMixin, db.Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    uscc: Mapped[str | None] = mapped_column(CODE, unique=True)
    region_code: Mapped[str | None] = mapped_column(String(6))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Role(str, enum.Enum):
    ADMIN = "admin"
    CLERK = "clerk"
    REVIEWER = "reviewer"
    EDITOR = "editor"
    HANDLER = "handler"
    COUNTER = "counter"
    GRADER = "grader"

    @property
    def label(self) -> str:
        return {
            "admin": "系统管理员",
            "clerk": "录入员",
            "reviewer": "审核员",
            "editor": "栏目编辑",
            "handler": "受理员",
            "counter": "信用窗口",
            "grader": "信用评价员",
        }[self.value]


class StaffUser(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    department: Mapped[Department | None] = relationship()
    roles: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    def has_role(self, role: Role) -> bool:
        return any(r.role == role for r in self.roles)

    @property
    def is_active(self) -> bool:  # Flask-Login: a disabled account cannot sign in
        return bool(self.active)

    @property
    def role_labels(self) -> list[str]:
        return [r.role.label for r in self.roles]


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    role: Mapped[Role] = mapped_column(enum_column(Role))


class StaffSession(db.Model):
    """A signed-in browser. The cookie holds a random token; only its digest is stored.

    Signing out, changing the password, a reset or disabling the account ends the rows, so a copied
    cookie stops working at once; 30 minutes without a request end one too (checked on the server).
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
