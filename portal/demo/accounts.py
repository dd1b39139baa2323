"""Demo staff accounts, one per role, with passwords printed for the demo (production creates its own)."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Department, License, Penalty, Role, StaffUser
from portal.services.staff import accounts

DEMO_ACCOUNTS = (
    ("admin", "系统管理员", [Role.ADMIN]),
    ("luru", "录入员", [Role.CLERK]),
    ("shenhe", "审核员", [Role.REVIEWER]),
    ("bianji", "栏目编辑", [Role.EDITOR]),
    ("shouli", "受理员", [Role.HANDLER]),
    ("chuangkou", "信用窗口", [Role.COUNTER]),
)


def demo_password(username: str) -> str:
    number = [u for u, _, _ in DEMO_ACCOUNTS].index(username) + 1
    return f"Demo#{number}-Credit-2026"


def busiest_department() -> Department | None:
    """The department with the most records: the demo accounts work there."""
    counts = {}
    for model in (License, Penalty):
        for dept_id, n in db.session.execute(
            select(model.department_id, func.count())
            .where(model.department_id.is_not(None))
            .group_by(model.department_id)
        ):
            counts[dept_id] = counts.get(dept_id, 0) + n
    return db.session.get(Department, max(counts, key=counts.get)) if counts else None


def ensure_demo_accounts() -> list[tuple[str, str, str]]:
    """(username, password, role label) of the demo accounts, created when missing."""
    department = busiest_department()
    shown = []
    for username, label, roles in DEMO_ACCOUNTS:
        if db.session.scalar(select(StaffUser.id).where(StaffUser.username == username)) is None:
            accounts.create_user(
                username,
                f"演示{label}",
                demo_password(username),
                roles,
                department.id if department else None,
                by=None,
                force_change=False,
                actor="seed",
            )
        shown.append((username, demo_password(username), label))
    db.session.commit()
    return shown
