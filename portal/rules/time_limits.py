"""Handling time limits of online submissions, in working days of the Chinese calendar.

Objections: accepted or refused within 2 working days, verified within 10 after acceptance.
Repairs: accepted within 3, decided within 10 after acceptance. Commitments: accepted within 5
(no national figure; a department's own practice). While the applicant is asked for more material the
clock stops; it starts again from the day the material arrives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portal.rules import workdays


@dataclass(frozen=True)
class TimeLimits:
    objection_accept: int = workdays.OBJECTION_ACCEPT_WORKDAYS
    objection_verify: int = workdays.OBJECTION_VERIFY_WORKDAYS
    repair_accept: int = workdays.REPAIR_ACCEPT_WORKDAYS
    repair_decide: int = workdays.REPAIR_DECIDE_WORKDAYS
    commitment_accept: int = workdays.COMMITMENT_ACCEPT_WORKDAYS

    def accept(self, kind: str) -> int:
        return getattr(self, f"{kind}_accept")

    def handle(self, kind: str) -> int | None:
        """Working days from acceptance to the decision; None when acceptance is the decision."""
        return {"objection": self.objection_verify, "repair": self.repair_decide}.get(kind)


# Statuses whose clock runs, and which limit applies to them.
ACCEPT_STAGE = ("submitted",)
HANDLE_STAGE = ("accepted",)


def deadline(kind: str, status: str, started: dt.date, limits: TimeLimits = TimeLimits()) -> dt.date | None:
    """Last day for the step that begins on `started` in `status`; None when no clock runs."""
    if status in ACCEPT_STAGE:
        return workdays.add_workdays(started, limits.accept(kind))
    handle = limits.handle(kind)
    if status in HANDLE_STAGE and handle is not None:
        return workdays.add_workdays(started, handle)
    return None


def overdue(deadline_day: dt.date | None, today: dt.date) -> bool:
    return deadline_day is not None and today > deadline_day


def workdays_left(deadline_day: dt.date | None, today: dt.date) -> int | None:
    """Working days left until the deadline (negative: working days overdue)."""
    if deadline_day is None:
        return None
    if today <= deadline_day:
        return workdays.workdays_between(today, deadline_day)
    return -workdays.workdays_between(deadline_day, today)
