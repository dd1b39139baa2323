"""May the public see this record on a given day? Answered here and nowhere else.

`is_public` answers for one loaded record; `public_filter` is the same rule as a SQL condition for
queries. tests/test_visibility.py checks that the two agree on every seeded record.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BindParameter, and_, or_

from portal.models import Commitment, License, ListEntry, Penalty, PublicationState
from portal.models.applications import ApplicationStatus

PUBLISHED = PublicationState.PUBLISHED
PUBLIC_DISCLOSURE = "可向社会公开"
ACCEPTED_COMMITMENT = (ApplicationStatus.ACCEPTED, ApplicationStatus.APPROVED)


def _as_date(on: dt.date | dt.datetime) -> dt.date:
    return on.date() if isinstance(on, dt.datetime) else on


def is_public(record, on: dt.date) -> bool:
    on = _as_date(on)
    if isinstance(record, Penalty):
        return record.state == PUBLISHED and record.decided_on <= on <= record.display_until
    if isinstance(record, License):
        return record.state == PUBLISHED and record.decided_on <= on
    if isinstance(record, ListEntry):
        return (
            record.state == PUBLISHED
            and record.listed_on <= on
            and (record.removed_on is None or on < record.removed_on)
        )
    if isinstance(record, Commitment):
        return record.status in ACCEPTED_COMMITMENT and record.disclosure == PUBLIC_DISCLOSURE
    raise TypeError(f"no publicity rule for {type(record).__name__}")


def public_filter(model, on: dt.date | BindParameter[dt.date]):
    """SQL condition selecting the rows of `model` that `is_public` accepts on day `on` (a date, or
    a bound parameter for a statement built once and run with many days)."""
    on = _as_date(on) if isinstance(on, dt.date) else on
    if model is Penalty:
        return and_(Penalty.state == PUBLISHED, Penalty.decided_on <= on, Penalty.display_until >= on)
    if model is License:
        return and_(License.state == PUBLISHED, License.decided_on <= on)
    if model is ListEntry:
        return and_(
            ListEntry.state == PUBLISHED,
            ListEntry.listed_on <= on,
            or_(ListEntry.removed_on.is_(None), ListEntry.removed_on > on),
        )
    if model is Commitment:
        return and_(Commitment.status.in_(ACCEPTED_COMMITMENT), Commitment.disclosure == PUBLIC_DISCLOSURE)
    raise TypeError(f"no publicity rule for {model.__name__}")


def removal_notice_filter(on: dt.date):
    """Published list entries removed by day `on`: the fact of their removal (移出) may be announced."""
    on = _as_date(on)
    return and_(ListEntry.state == PUBLISHED, ListEntry.removed_on.is_not(None), ListEntry.removed_on <= on)


def effective_state(record, on: dt.date) -> PublicationState:
    """The stored state, or EXPIRED for a published penalty past its display window."""
    if isinstance(record, Penalty) and record.state == PUBLISHED and _as_date(on) > record.display_until:
        return PublicationState.EXPIRED
    return record.state
