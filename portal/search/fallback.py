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

from functools import lru_cache

from sqlalchemy import select

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


class DatabaseSearch:
    def _by_name(self, query: SearchQuery, limit: int) -> list[int]:
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
        found = self._by_name(query, limit)
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
        today = clock.today()
        subject_ids = self._by_name(query, 50)
        hits: list[Hit] = []
        for type_ in types:
            model = _MODELS[type_]
            hits += [
                Hit(type_, i)
                for i in db.session.scalars(
                    select(model.id).where(model.doc_no.in_({query.raw, query.raw.replace(" ", "")})).order_by(model.id)
                )
            ]
        dated: list[tuple] = []
        for type_ in types if subject_ids else ():
            model = _MODELS[type_]
            dated += [
                (decided_on, record_id, type_)
                for record_id, decided_on in db.session.execute(
                    select(model.id, model.decided_on)
                    .where(model.subject_id.in_(subject_ids), public_filter(model, today))
                    .order_by(model.decided_on.desc(), model.id.desc())
                    .limit(cap)
                )
            ]
        dated.sort(reverse=True)
        return hits + [h for h in (Hit(t, i) for _, i, t in dated[:cap]) if h not in hits]
