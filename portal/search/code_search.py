"""Queries that are a USCC or its first characters (6 or more): answered from the database.

A code names subjects, not words of record text: the subjects whose code begins with the query,
and the public records of those subjects, counted the way their credit files count them. No index
is needed, so these answers are complete even while the index is rebuilt.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import Subject, SubjectKind
from portal.rules import uscc
from portal.search.fallback import DatabaseSearch
from portal.search.query import SearchQuery

MIN_PREFIX = 6
# Registration authority and kind (2 characters of the USCC alphabet), then the region code's digits.
_PREFIX = re.compile(rf"^[{uscc.CHARSET}]{{2}}\d{{4}}[{uscc.CHARSET}]{{0,12}}$")


def code_prefix(query: SearchQuery) -> str | None:
    """The query as a USCC prefix, or None when it reads as a name, 文书号 or words."""
    code = "".join(uscc.normalise(query.raw).split())
    return code if len(code) >= MIN_PREFIX and _PREFIX.match(code) else None


class CodeSearch(DatabaseSearch):
    """The database search, with subjects chosen by code prefix instead of by name."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def subjects(self, query: SearchQuery, limit: int) -> list[int]:
        return self._by_name(query, limit)  # a whole USCC is the prefix of its own subject only

    def _find_by_name(self, query: SearchQuery, limit: int) -> list[int]:
        # A range the index on uscc serves on both databases (SQLite's LIKE cannot use it): every
        # code beginning with the prefix lies between it and the prefix padded with "Z", which
        # sorts after every character of the USCC alphabet.
        last = self.prefix + "Z" * (18 - len(self.prefix))
        return list(
            db.session.scalars(
                select(Subject.id)
                .where(
                    Subject.uscc >= self.prefix,
                    Subject.uscc <= last,
                    Subject.uscc.startswith(self.prefix, autoescape=True),
                    Subject.kind != SubjectKind.PERSON,
                )
                .order_by(Subject.uscc, Subject.id)
                .limit(limit)
            )
        )
