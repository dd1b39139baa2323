"""Named counters for numbers issued in sequence (receipt numbers, 承诺编码)."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class SerialCounter(db.Model):
    __tablename__ = "serial_counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
