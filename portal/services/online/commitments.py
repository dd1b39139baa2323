"""Public credit commitments (信用承诺)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import clock
from portal.models import Commitment, CommitmentType
from portal.presenters import commitment_view
from portal.services.core.paging import Page, paginate
from portal.visibility import public_filter

TYPES = tuple(t.value for t in CommitmentType)


def newest_public(*where):
    return (
        select(Commitment)
        .where(public_filter(Commitment, clock.today()), *where)
        .options(selectinload(Commitment.subject))
        .order_by(Commitment.made_on.desc(), Commitment.id.desc())
    )


def public_commitments(commitment_type: str = "", page: int = 1) -> Page:
    where = [Commitment.type == CommitmentType(commitment_type)] if commitment_type in TYPES else []
    return paginate(newest_public(*where), page, lambda rows: [commitment_view(c) for c in rows])
