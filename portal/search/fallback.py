"""Search straight from the database, for while the index cannot be trusted (missing, being rebuilt).

Slower than an index, but exact and bounded: subjects by USCC, exact name, name prefix and name
substring on the stored normalised name (at most `limit`), records by 文书号 as typed and the
newest public records of the subjects whose name contains the query (each of those records names
its subject, so it contains the query too). Full-text words inside record text are not searched
here: the page says that results may be incomplete.

A query written as pinyin initials (NBJG) finds, after the names, the subjects one of whose
initials keys it equals, as the index backends do; the database keeps no initials, so they are
worked out here for the newest INITIALS_SCAN organisations only (memoised per name).
"""

from __future__ import annotations

from functools import cache, lru_cache

from sqlalchemy import Date, bindparam, literal, select, union_all

from portal import city, clock
from portal.extensions import db
from portal.models import License, Penalty, Subject, SubjectKind
from portal.rules import company_names
from portal.search.backend import LICENSE, PENALTY, RECORD_CAP, Hit
from portal.search.query import SearchQuery
from portal.visibility import public_filter

_MODELS = {LICENSE: License, PENALTY: Penalty}
# Organisations whose initials a query is compared with: bounds the time (some 0.1 ms a name the
# first time) while an index is missing; older subjects are found by initials once it is back.
INITIALS_SCAN = 5000


@lru_cache(maxsize=INITIALS_SCAN)
def _initials_keys(name: str, regions: tuple[str, ...]) -> frozenset[str]:
    return frozenset(company_names.initials_keys(name, regions))


@cache
def _doc_no_statement(kinds: tuple[str, ...]):
    """Records whose 文书号 is one of `doc_nos`, every kind in one statement."""
    return union_all(
        *(
            select(literal(kind), _MODELS[kind].id).where(
                _MODELS[kind].doc_no.in_(bindparam("doc_nos", expanding=True))
            )
            for kind in kinds
        )
    )


@cache
def _newest_statement(kinds: tuple[str, ...]):
    """The newest `cap` public records of the subjects, every kind in one statement (each kind's
    own newest first, from its subject index, so no kind sorts more than `cap` rows)."""
    on, cap = bindparam("on", type_=Date), bindparam("cap")
    newest = []
    for kind in kinds:
        model = _MODELS[kind]
        newest.append(
            select(literal(kind).label("kind"), model.id.label("id"), model.decided_on.label("decided_on"))
            .where(model.subject_id.in_(bindparam("subject_ids", expanding=True)), public_filter(model, on))
            .order_by(model.decided_on.desc(), model.id.desc())
            .limit(cap)
            .subquery()
        )
    merged = union_all(*(select(*part.c) for part in newest)).subquery()
    return (
        select(merged.c.kind, merged.c.id)
        .order_by(merged.c.decided_on.desc(), merged.c.id.desc(), merged.c.kind.desc())
        .limit(cap)
    )


class DatabaseSearch:
    """One instance per search: `subjects()` and `records()` share the subjects found by name."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, int], list[int]] = {}

    def _by_name(self, query: SearchQuery, limit: int) -> list[int]:
        key = (query.name, limit)
        if key not in self._names:
            self._names[key] = self._find_by_name(query, limit)
        return self._names[key]

    def _find_by_name(self, query: SearchQuery, limit: int) -> list[int]:
        organisations = select(Subject.id).where(Subject.kind != SubjectKind.PERSON)
        found: list[int] = []
        for stmt in (
            organisations.where(Subject.name_norm == query.name).order_by(Subject.id),
            organisations.where(Subject.name_norm.startswith(query.name, autoescape=True)).order_by(Subject.name_norm),
            organisations.where(Subject.name_norm.contains(query.name, autoescape=True)).order_by(Subject.id),
        ):
            for subject_id in db.session.scalars(stmt.limit(limit)):
                if subject_id not in found:
                    found.append(subject_id)
            if len(found) >= limit:
                break
        return found[:limit]

    def subjects(self, query: SearchQuery, limit: int) -> list[int]:
        if query.code:
            by_code = db.session.scalars(
                select(Subject.id).where(Subject.uscc == query.code, Subject.kind != SubjectKind.PERSON)
            ).all()
            if by_code:
                return list(by_code)
        found = list(self._by_name(query, limit))
        if query.initials and len(found) < limit:
            found += [i for i in self._by_initials(query.initials) if i not in found]
        return found[:limit]

    @staticmethod
    def _by_initials(key: str) -> list[int]:
        """Ids, ascending as the indexes give them, of the newest organisations with this initials key."""
        regions = city.current().region_names
        newest = db.session.execute(
            select(Subject.id, Subject.name)
            .where(Subject.kind != SubjectKind.PERSON)
            .order_by(Subject.id.desc())
            .limit(INITIALS_SCAN)
        )
        return sorted(subject_id for subject_id, name in newest if key in _initials_keys(name, regions))

    def records(
        self, query: SearchQuery, types: tuple[str, ...], cap: int = RECORD_CAP, enough: int | None = None
    ) -> list[Hit]:
        subject_ids = self._by_name(query, 50)
        doc_nos = sorted({query.raw, query.raw.replace(" ", "")})
        order = {kind: n for n, kind in enumerate(types)}
        hits = [
            Hit(kind, record_id)
            for kind, record_id in sorted(
                db.session.execute(_doc_no_statement(types), {"doc_nos": doc_nos}), key=lambda r: (order[r[0]], r[1])
            )
        ]
        if not subject_ids:
            return hits
        newest = db.session.execute(
            _newest_statement(types), {"subject_ids": subject_ids, "on": clock.today(), "cap": cap}
        )
        return hits + [h for h in (Hit(kind, record_id) for kind, record_id in newest) if h not in hits]
