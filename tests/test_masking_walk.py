"""Walk every public endpoint over seeded data with natural persons: no unmasked personal data.

The walk enumerates the app's URL map, so a new public route is walked too; a route whose URL
argument has no value provider below fails the test instead of being skipped.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Article, Attachment, License, Objection, Penalty, PublicationState, Subject, SubjectKind
from portal.rules import idcard
from portal.search import indexer
from tests import pdf_tools

SKIP_PREFIXES = ("/admin", "/static")
ID_LIKE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


@pytest.fixture
def seeded(app_ctx):
    runner = app_ctx.test_cli_runner()
    assert runner.invoke(args=["portal", "seed", "--subjects", "250", "--seed", "21"]).exit_code == 0
    assert indexer.sync(wait=True) > 0
    return app_ctx


def _providers() -> dict[str, list[str]]:
    people = db.session.scalars(select(Subject).where(Subject.kind == SubjectKind.PERSON)).all()
    orgs = db.session.scalars(select(Subject).where(Subject.kind != SubjectKind.PERSON).limit(5)).all()
    person_ids = [p.id for p in people]
    record_ids = []
    for model in (Penalty, License):
        record_ids += db.session.scalars(
            select(model.id).where(model.subject_id.in_(person_ids), model.state == PublicationState.PUBLISHED)
        ).all()
    return {
        "ref": [p.public_id for p in people] + [o.uscc for o in orgs],
        "record_id": [str(i) for i in record_ids],
        "kind": ["red", "black", "abnormal"],
        "article_id": [str(i) for i in db.session.scalars(select(Article.id).limit(3))],
        # Article images (binary); the seed has none, so a well-formed name that does not exist.
        "stored_name": [a for a in db.session.scalars(select(Attachment.stored_name).limit(3))] or ["0" * 32 + ".png"],
        # Receipts exist only for the browser that filed; the seed's submissions give real numbers.
        "number": [n for n in db.session.scalars(select(Objection.number).limit(2))] + ["YY-20261122-000001"],
    }


def _urls(app, providers) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(SKIP_PREFIXES):
            continue
        missing = [a for a in rule.arguments if a not in providers]
        assert not missing, f"no test values for {rule.rule} arguments {missing}: add a provider"
        if not rule.arguments:
            urls.append(rule.rule)
            continue
        for arg in rule.arguments:
            for value in providers[arg]:
                urls.append(rule.rule.replace(f"<{arg}>", value).replace(f"<int:{arg}>", value))
    return urls


def test_no_unmasked_personal_data_on_any_public_endpoint(seeded):
    app = seeded
    people = db.session.scalars(select(Subject).where(Subject.kind == SubjectKind.PERSON)).all()
    assert people, "the seed must contain natural persons"
    # A person's name may also be an organisation's (public) legal representative or part of a
    # shop's name; those coincidences are not leaks.
    public_text = " ".join(
        [n for (n,) in db.session.execute(select(Subject.name).where(Subject.kind != SubjectKind.PERSON))]
        + [r for (r,) in db.session.execute(select(Subject.legal_rep)) if r]
        + [b for (b,) in db.session.execute(select(Article.body_html))]
    )
    secrets = {p.name for p in people if len(p.name) >= 2 and p.name not in public_text}
    secrets |= {p.id_no for p in people}
    secrets |= set(db.session.scalars(select(Subject.legal_rep_id_no).where(Subject.legal_rep_id_no.is_not(None))))
    facts = db.session.scalar(select(Penalty.facts).join(Subject).where(Subject.kind == SubjectKind.PERSON))
    providers = _providers()
    urls = _urls(app, providers)
    words = [w for w in re.split(r"[，。；、\s]", facts or "") if len(w) >= 4][:2]
    urls += [f"/search?q={w}" for w in words] + [f"/api/v1/search?q={w}&type=penalty" for w in words]
    urls += ["/penalties?page=1", "/licenses?page=1", "/search?q=有限公司", "/api/v1/search?q=个体"]
    # The online-service forms about a person's records show the record concerned.
    for record_id in providers["record_id"][:3]:
        urls += [f"/objections/new?record_type=penalty&record_id={record_id}", f"/repair/apply?penalty_id={record_id}"]
    client = app.test_client()
    seen_masked = False
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 404), url
        # Credit reports: the text a PDF reader shows (the file's streams are compressed).
        pdf = response.mimetype == "application/pdf"
        body = pdf_tools.text(response.data) if pdf else response.get_data(as_text=True)
        leaked = [s for s in secrets if s and s in body]
        assert not leaked, f"{url} shows {leaked[:3]}"
        for candidate in ID_LIKE.findall(body):
            assert idcard.validate(candidate), f"{url} shows an ID number {candidate}"
        seen_masked |= "*" in body and any(p.name[0] + "*" in body for p in people)
    assert seen_masked, "the walk should have shown masked person data somewhere"
