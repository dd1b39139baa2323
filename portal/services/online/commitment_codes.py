"""承诺编码: one rule for every commitment, filed online, generated with a repair or seeded.

The city's region code (city file), the day of acceptance and that day's next serial.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from portal import city, clock
from portal.extensions import db
from portal.models import Commitment
from portal.rules import commitment_letter
from portal.services.core import serials


def assign(commitment: Commitment, day: dt.date | None = None) -> None:
    """Give an accepted commitment its code (once)."""
    if commitment.code is not None:
        return
    region, day = city.current().region_code, day or clock.today()
    prefix = f"{region}{day:%Y%m%d}"
    # A day's sequence starts after any code already stored for it (imported or seeded rows).
    last = db.session.scalar(select(func.max(Commitment.code)).where(Commitment.code.startswith(prefix)))
    serial = serials.next_value(f"commitment-code:{prefix}", start=int(last[len(prefix) :]) + 1 if last else 1)
    commitment.code = commitment_letter.commitment_code(region, day, serial)
