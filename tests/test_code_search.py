"""Searching by USCC or its beginning: answered from the database on every backend, counted as the
credit file counts, and said to be a code match."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Subject, SubjectKind
from portal.search.code_search import code_prefix
from portal.search.query import parse
from portal.services.public_search.search import search
from portal.services.publication import subjects


@pytest.fixture
def seeded(search_app):
    with search_app.app_context():
        runner = search_app.test_cli_runner()
        result = runner.invoke(args=["portal", "seed", "--subjects", "200", "--seed", "3"])
        assert result.exit_code == 0, result.output
        yield search_app


def test_what_reads_as_a_code_prefix():
    assert code_prefix(parse("913302")) == "913302"
    assert code_prefix(parse(" 91330212mA2 ")) == "91330212MA2"
    for words in ("恒达建筑", "91330", "ABCDEF", "甬市监罚〔2024〕12号", "2024年12月"):
        assert code_prefix(parse(words)) is None, words


def test_a_uscc_search_counts_what_the_credit_file_shows(seeded):
    organisations = db.session.scalars(
        select(Subject).where(Subject.kind == SubjectKind.ORGANISATION, Subject.uscc.is_not(None)).order_by(Subject.id)
    ).all()
    checked = 0
    for subject in organisations[:40]:
        counts = subjects.file_for(subject)["counts"]
        results = search(subject.uscc)
        assert [s["ref"] for s in results.subjects] == [subject.uscc]
        assert results.record_total == counts["licenses"] + counts["penalties"], subject.uscc
        assert results.code_prefix == subject.uscc
        checked += bool(results.record_total)
    assert checked > 5


def test_the_first_characters_of_a_code_find_every_subject_they_begin(seeded):
    codes = db.session.scalars(
        select(Subject.uscc).where(Subject.kind != SubjectKind.PERSON, Subject.uscc.is_not(None))
    ).all()
    for length in (6, 10, 14):
        prefix = codes[0][:length]
        expected = sorted(c for c in codes if c.startswith(prefix))
        found = sorted(s["ref"] for s in search(prefix, "subject").subjects)
        assert found == expected[:50], prefix


def test_a_uscc_search_lists_its_records_newest_first_across_both_kinds(seeded):
    from portal import clock
    from portal.models import License, Penalty
    from portal.visibility import public_filter

    today = clock.today()
    newest: dict[int, list] = {}
    for model, kind in ((License, "license"), (Penalty, "penalty")):
        for subject_id, record_id, decided_on in db.session.execute(
            select(model.subject_id, model.id, model.decided_on).where(public_filter(model, today))
        ):
            newest.setdefault(subject_id, []).append((decided_on, record_id, kind))
    organisations = select(Subject.id, Subject.uscc).where(Subject.kind != SubjectKind.PERSON)
    codes = {subject_id: code for subject_id, code in db.session.execute(organisations)}
    both = [i for i, rows in newest.items() if codes.get(i) and len({kind for *_, kind in rows}) == 2]
    assert len(both) > 3
    for subject_id in both[:15]:
        expected = [(kind, record_id) for _, record_id, kind in sorted(newest[subject_id], reverse=True)]
        code = codes[subject_id]
        first = search(code, "all")
        pages = [first] + ([search(code, "all", 2)] if first.pages > 1 else [])
        shown = [(r["type"], r["id"]) for results in pages for r in results.records]
        assert shown == expected[:40], code
