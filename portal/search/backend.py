"""The interface every search backend implements, and the document it indexes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from portal.search.query import SearchQuery

SUBJECT, LICENSE, PENALTY = "subject", "license", "penalty"
RECORD_TYPES = (LICENSE, PENALTY)
# Record candidates gathered per query before the database check; bounds the cost of common words.
RECORD_CAP = 1000


@dataclass(frozen=True)
class Doc:
    """What the index holds of one entity: normalised, and never unmasked personal data."""

    type: str
    entity_id: int
    subject_id: int
    name: str = ""  # normalised subject name (organisations only)
    code: str = ""  # USCC of a subject, normalised 文书号 of a record
    text: str = ""  # folded record text for full-text search
    decided_on: dt.date | None = None
    initials: tuple[str, ...] = ()  # pinyin initials keys of a subject's name (company_names.initials_keys)

    @property
    def key(self) -> str:
        return f"{self.type}:{self.entity_id}"


class Hit(NamedTuple):  # a tuple, not a dataclass: an engine makes up to RECORD_CAP per search
    type: str
    entity_id: int


class Truncated(list):
    """Record hits a backend stopped collecting early, as `records(..., enough=)` allows: the
    newest matches, in order, of more than the cap by the backend's estimate."""


class SearchBackend(Protocol):
    def subjects(self, query: SearchQuery, limit: int) -> list[int]:
        """Subject ids: exact code or name first, then name prefix, then substring, then (for a query
        written as pinyin initials) the subjects with that initials key; at most `limit`."""

    def records(
        self, query: SearchQuery, types: tuple[str, ...], cap: int = RECORD_CAP, enough: int | None = None
    ) -> list[Hit]:
        """Record hits, exact 文书号 first, then full-text matches newest first; at most `cap`.
        With `enough`, a backend may return only the newest `enough` or more, as Truncated, when it
        estimates that more than `cap` match."""

    def apply(self, upserts: list[Doc], deletes: list[str]) -> None:
        """Write documents and remove keys, as one commit."""

    def rebuild(self, docs, progress=None) -> int:
        """Replace the whole index with `docs` while searches go on; returns the count."""

    def count(self) -> int:
        """Documents in the index."""

    def has_documents(self) -> bool:
        """Whether the index holds any document (cheap)."""

    def problem(self) -> str | None:
        """Why the index cannot be searched now (missing, incomplete, unreadable), or None."""

    def index_id(self) -> str | None:
        """The id of the generation searched now; compared with the one the outbox is applied to."""
