"""Match API: which public subject is meant by a name (and perhaps a code, district, legal
representative), with a score in [0, 1] and the features that produced it.

Candidates come from the exact code and from the search index, never from a scan of subjects:
the name without its legal form and the name's core (exact, prefix and substring lookups on
B-trees and the phrase index), or the pinyin-initials keys for a query written as initials; only when those find nothing
(a typo, a shortened name) the core's first and last two characters. So a batch costs a few index
lookups and at most a few dozen candidates per query however many subjects there are; each
candidate is then scored on normalised names (portal.rules.company_names).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal import city
from portal.extensions import db
from portal.models import Subject, SubjectKind
from portal.rules import company_names, uscc
from portal.search import backend, indexer
from portal.search.fallback import DatabaseSearch
from portal.search.query import QueryError, parse
from portal.search.sqlite_backend import IndexUnavailable
from portal.services.publication import subjects

MAX_QUERIES = 100
CANDIDATES = 5
PER_LOOKUP = 30  # subjects read from the index per lookup
MIN_SCORE = 0.3


@dataclass(frozen=True)
class Query:
    name: str
    uscc: str | None = None
    district: str | None = None
    legal_rep: str | None = None


def _lookup(engine, text: str) -> list[int]:
    try:
        return engine.subjects(parse(text), PER_LOOKUP)
    except QueryError:
        return []


def _engine():
    return DatabaseSearch() if indexer.status().problem else backend()


def _candidate_ids(q: Query, name: company_names.CompanyName, engine) -> list[int]:
    if company_names.is_initials(q.name):
        rounds = [[q.name]]
    else:
        # Names are indexed as written: the core before abbreviations finds 中力国际贸易 when the
        # abbreviated core (中力国贸) does not.
        rounds = [[company_names.stem(q.name), name.written, name.core], [name.core[:2], name.core[-2:]]]
    found: list[int] = []
    for texts in rounds:
        for text in dict.fromkeys(t for t in texts if len(t) >= 2):
            try:
                found += _lookup(engine, text)
            except IndexUnavailable:
                found += _lookup(DatabaseSearch(), text)
        if found:  # the whole name or its core was found: two characters would only add noise
            break
    return list(dict.fromkeys(found))


def _district_code(value: str | None) -> str | None:
    return city.current().district_code(value.strip()) if value and value.strip() else None


def score(q: Query, name: company_names.CompanyName, subject: Subject, regions: tuple[str, ...]) -> dict:
    """The candidate's score and the features behind it (pure but for the city's districts)."""
    other = company_names.parse(subject.name, regions)
    cleaned = company_names.clean(subject.name)
    code = uscc.normalise(q.uscc) if q.uscc else None
    features: dict = {
        "exact_code": bool(code and subject.uscc == code),
        "code_conflict": bool(code and subject.uscc and subject.uscc != code),
        "name_similarity": round(company_names.similarity(name.core, other.core), 3),
        # Breaks ties between subjects of one core (宁波福创石化 and 宁波市镇海区福创石化): the one
        # written most like the query, region words and legal form included.
        "written_similarity": round(company_names.similarity(company_names.clean(q.name), cleaned), 3),
        "initials_match": company_names.is_initials(q.name)
        and company_names.clean(q.name).upper() in company_names.short_initials(other),
        "same_region": None,
        "same_legal_form": None if not (name.legal_form and other.legal_form) else name.legal_form == other.legal_form,
        "same_branch": name.branch == other.branch,
        "legal_rep_match": None
        if not (q.legal_rep and subject.legal_rep)
        else q.legal_rep.strip() == subject.legal_rep,
    }
    district = _district_code(q.district)
    if district and subject.region_code:
        features["same_region"] = district == subject.region_code
    elif name.regions and other.regions:
        features["same_region"] = bool(set(name.regions) & set(other.regions))
    if features["exact_code"]:
        return {"score": 1.0, "features": features}
    total = 0.75 * max(features["name_similarity"], 0.8 if features["initials_match"] else 0.0)
    total += 0.04 * features["written_similarity"]
    total += {True: 0.1, False: -0.05, None: 0.0}[features["same_region"]]
    total += {True: 0.05, False: -0.02, None: 0.0}[features["same_legal_form"]]
    total += {True: 0.1, False: -0.05, None: 0.0}[features["legal_rep_match"]]
    total -= 0.0 if features["same_branch"] else 0.1
    total -= 0.5 if features["code_conflict"] else 0.0
    return {"score": round(min(max(total, 0.0), 0.99), 3), "features": features}


def match(queries: list[Query]) -> list[list[dict]]:
    """Candidates per query, in query order, best first."""
    regions, engine = city.current().region_names, _engine()
    parsed = [company_names.parse(q.name, regions) for q in queries]
    wanted: list[list[int]] = []
    for q, name in zip(queries, parsed, strict=True):
        ids = _candidate_ids(q, name, engine)
        if q.uscc and uscc.is_valid(q.uscc):
            found = subjects.find(q.uscc)
            if found is not None:
                ids.insert(0, found.id)
        wanted.append(ids)
    every = {i for ids in wanted for i in ids}
    loaded = (
        {
            s.id: s
            for s in db.session.scalars(
                select(Subject).where(Subject.id.in_(every), Subject.kind != SubjectKind.PERSON)
            )
        }
        if every
        else {}
    )
    results = []
    for q, name, ids in zip(queries, parsed, wanted, strict=True):
        scored = []
        for subject in (loaded[i] for i in dict.fromkeys(ids) if i in loaded):
            found = score(q, name, subject, regions)
            if found["score"] >= MIN_SCORE:
                scored.append(
                    {"name": subject.name, "uscc": subject.uscc, "ref": subject.uscc or subject.public_id, **found}
                )
        scored.sort(key=lambda c: (-c["score"], c["name"]))
        results.append(scored[:CANDIDATES])
    return results
