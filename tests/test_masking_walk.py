"""Walk every public endpoint over seeded data with natural persons: no unmasked personal data.

The walk enumerates the app's URL map, so a new public route is walked too; a route whose URL
argument has no value provider below fails the test instead of being skipped.
"""

from __future__ import annotations

import itertools
import json
import re
from urllib.parse import quote, unquote

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    Article,
    Attachment,
    Commitment,
    Department,
    License,
    Objection,
    Penalty,
    PublicationState,
    RecordRevision,
    Role,
    Subject,
    SubjectKind,
)
from portal.rules import idcard
from portal.rules.text import fold
from portal.search import indexer
from tests import pdf_tools
from tests.admin_helpers import staff
from tests.exchange_files import COMPANY_USCC, PERSON, import_rows, license_row, penalty_row
from tests.forms import page_form
from tests.publishing_helpers import ctx, days_ago, decide, set_up_departments, signed_in

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
        "name": ["licenses", "penalties", "list_entries", "commitments", "articles"],  # feeds and extracts
        "fmt": ["csv", "jsonl"],
        "filename": ["penalties-2026-01-01.csv"],  # daily extracts: none written in this test
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
        args = sorted(rule.arguments)
        for values in itertools.product(*(providers[a] for a in args)):
            path = rule.rule
            for arg, value in zip(args, values, strict=True):
                path = re.sub(rf"<(?:\w+:)?{arg}>", value, path)
            urls.append(path)
    return urls


def test_no_unmasked_personal_data_on_any_public_endpoint(seeded):
    app = seeded
    # Plain values: the walk's requests share this session and may commit or clear it.
    people = db.session.execute(select(Subject.name, Subject.id_no).where(Subject.kind == SubjectKind.PERSON)).all()
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


# --- Personal data typed into every free-text field, through the real import and forms ------------------

ID_NO = "330204199001010029"
MOBILE, MOBILE2, LANDLINE = "13857124680", "13924681357", "0574-87651234"
DRIVER, EMPLOYEE, PERSON_NAME = "郑浩然", "褚晓峰", "钱多多"
# What must never appear, compared on page text folded and stripped of separators.
SECRETS = {
    ID_NO: "an ID number",
    "1990010100": "the middle of the ID number",
    MOBILE[:7]: "a mobile number",
    MOBILE2[:7]: "a mobile number",
    "05748765": "a landline",
    "浩然": "a driver's given name",
    "晓峰": "an employee's given name",
    "多多": "a person subject's given name",
}


def _id_with_check(first17: str) -> str:
    return first17 + idcard.check_char(first17)


def _texts() -> dict[str, str]:
    """Personal data in the forms that were seen leaking: spaces, full width, glued, prefixes, traditional."""
    return {
        "id_spaced": "330204 19900101 0029",
        "id_wide": "３３０２０４１９９００１０１００２９",
        "id_glued": f"ID{ID_NO}",
        "mobile_dots": "+86 138.5712.4680",
        "mobile_dashes": "139-2468-1357",
        "mobile_wide": "１３８５７１２４６８０",
        "landline": "0574-87651234转806",
    }


def _licence_rows(person_id: str) -> list[dict]:
    t = _texts()
    base = {
        "行政许可决定文书名称": f"关于准予驾驶员{DRIVER}道路运输从业资格的决定",
        "许可证书名称": f"道路运输从业资格证（驾驶员{DRIVER}）",
        "许可编号": ID_NO,
        "许可内容": f"员工{EMPLOYEE}（身份证{t['id_spaced']}，电话{t['mobile_dots']}）从事道路货物运输",
        "当前状态": f"有效（联系人{DRIVER} {t['mobile_dashes']}）",
        "备注": f"联系电话{t['landline']}，经办人鄭浩然",
    }
    return [
        license_row(**{**base, "行政许可决定文书号": "甬运许〔2026〕9001号"}),
        license_row(
            **{
                **base,
                **PERSON,
                "行政相对人名称": PERSON_NAME,
                "证件号码": person_id,
                "行政许可决定文书号": "甬运许〔2026〕9002号",
                "许可内容": f"当事人{PERSON_NAME}从事个体道路运输",
            }
        ),
    ]


def _penalty_rows(person_id: str) -> list[dict]:
    t = _texts()
    base = {
        "违法行为类型": f"驾驶员{DRIVER}超限运输",
        "违法事实": f"经查，当事人雇用的驾驶员褚 晓峰（{t['id_glued']}）驾驶货车超限运输，联系电话{t['mobile_wide']}。",
        "处罚依据": f"《公路安全保护条例》第六十四条；驾驶员{DRIVER}身份证号{t['id_wide']}",
        "处罚类别": "罚款;暂扣许可证件",
        "处罚内容": f"罚款5000元，由驾驶员{DRIVER}（电话{t['mobile_dashes']}）缴纳",
        "暂扣或吊销证照名称及编号": f"机动车驾驶证{ID_NO}（驾驶员{DRIVER}）",
        "备注": f"经办人{EMPLOYEE}，电话{t['landline']}",
    }
    return [
        penalty_row(**{**base, "行政处罚决定书文号": "甬运罚〔2026〕9001号"}),
        penalty_row(
            **{
                **base,
                **PERSON,
                "行政相对人名称": PERSON_NAME,
                "证件号码": person_id,
                "行政处罚决定书文号": "甬运罚〔2026〕9002号",
                "违法事实": f"当事人{PERSON_NAME}无证经营，{base['违法事实']}",
            }
        ),
    ]


def _fill_and_submit(client, path: str, values: dict, **kwargs):
    form = page_form(client, path, **kwargs)
    form.fill(**values)
    return form.submit(client)


def _handle(client, kind: str, app_id: int, step: str, **values):
    path = f"/admin/applications/{kind}/{app_id}"
    response = _fill_and_submit(client, path, values, action=f"/{step}")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]


@pytest.fixture
def everything(app, runner, tmp_path):
    """One record of every kind with personal data in every free-text field, entered the way staff and the
    public enter it: exchange files through the import command, lists and applications through the forms."""
    t = _texts()
    person_id = _id_with_check("33020419851212001")
    with ctx(app):
        set_up_departments(app)
        staff("handler", Role.HANDLER, dept=db.session.scalar(select(Department).order_by(Department.id)))
        import_rows(runner, tmp_path / "l.csv", "license", _licence_rows(person_id))
        import_rows(runner, tmp_path / "p.csv", "penalty", _penalty_rows(person_id))
    clerk, reviewer, handler = (signed_in(app, n) for n in ("clerk", "reviewer", "handler"))
    entries = []
    for list_type in ("失信被执行人", "严重失信债务人"):
        response = _fill_and_submit(
            clerk,
            "/admin/lists/new",
            action="/admin/lists/new",
            values={
                "subject_uscc": COMPANY_USCC,
                "kind": "black",
                "list_type": list_type,
                "authority": "宁波市中级人民法院",
                "reason": f"法定代表人{DRIVER}（身份证{t['id_spaced']}）有履行能力而拒不履行，电话{t['mobile_dots']}",
                "basis": f"《最高人民法院关于公布失信被执行人名单信息的若干规定》；联系人{EMPLOYEE} {MOBILE}",
                "listed_on": days_ago(5),
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        entries.append(int(response.headers["Location"].rsplit("/", 1)[1]))
        assert decide(reviewer, "list_entry", entries[-1], "approve").status_code == 302
    removal = _fill_and_submit(
        clerk,
        f"/admin/lists/{entries[1]}/remove",
        action=f"/admin/lists/{entries[1]}/remove",
        values={
            "removed_on": days_ago(1),
            "removal_reason": f"经办人{DRIVER}电话{t['mobile_dashes']}申请移出，{t['landline']}",
        },
    )
    assert removal.status_code == 302
    with ctx(app):
        revision = db.session.scalar(select(RecordRevision.id).where(RecordRevision.entity_id == entries[1]))
    approve = page_form(reviewer, f"/admin/lists/{entries[1]}", action=f"/admin/review/revisions/{revision}/approve")
    assert approve.submit(reviewer).status_code == 302

    public = app.test_client()
    with ctx(app):
        dept_id = db.session.scalar(select(Department.id).order_by(Department.id))
    form = page_form(public, "/commitments/new", action="/commitments/new")
    form.fill(
        type="证明事项告知承诺",
        committer_name="宁波市鄞州区恒达建筑工程有限公司",
        uscc=COMPANY_USCC,
        department_id=str(dept_id),
        matter=f"申请办理许可，联系人{DRIVER}（电话{t['mobile_dashes']}，身份证{t['id_glued']}）",
        content=f"员工{EMPLOYEE}负责落实，电话{t['landline']}",
        disclosure="可向社会公开",
        signer=DRIVER,
        contact_name=DRIVER,
        contact_phone=MOBILE,
        consent=True,
    )
    filed = form.submit(public)
    assert filed.status_code == 303, filed.get_data(as_text=True)[:3000]
    with ctx(app):
        commitment_id = db.session.scalar(select(Commitment.id))
    _handle(handler, "commitment", commitment_id, "accept")
    _handle(
        handler,
        "commitment",
        commitment_id,
        "fulfilment",
        fulfilment="部分履行",
        breach_action=f"约谈法定代表人{DRIVER}（电话{MOBILE}）",
    )
    with ctx(app):
        indexer.sync(wait=True)
    return app


def _public_text(response) -> str:
    if response.is_json:
        body = json.dumps(response.get_json(), ensure_ascii=False)
    elif response.mimetype == "application/pdf":
        body = pdf_tools.text(response.data)
    else:
        body = response.get_data(as_text=True)
    return re.sub(r"[\s\-.·_]", "", fold(body))


def test_personal_data_typed_into_every_field_never_leaks(everything):
    app = everything
    with ctx(app):
        providers = _providers()
        providers["record_id"] = [str(i) for m in (Penalty, License) for i in db.session.scalars(select(m.id))]
        providers["ref"] += [COMPANY_USCC]
        urls = _urls(app, providers)
    queries = [ID_NO, "330204 19900101 0029", MOBILE, "13857124680", MOBILE2, "87651234", DRIVER, "鄭浩然", EMPLOYEE]
    queries += [PERSON_NAME, "浩然", "晓峰"]
    urls += [f"/search?q={quote(q)}" for q in queries] + [f"/api/v1/search?q={quote(q)}" for q in queries]
    urls += ["/penalties", "/licenses", "/lists/black", "/commitments", "/", "/search?q=超限运输"]
    urls += ["/api/v1/search?q=超限运输", "/api/v1/search?q=道路运输从业资格&type=license"]
    client = app.test_client()
    seen = ""
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 404), url
        text = _public_text(response)
        if "q=" in url:  # the visitor's own query, echoed back to them, is not a leak
            typed = re.sub(r"[\s\-.·_]", "", fold(unquote(url.split("q=", 1)[1].split("&")[0])))
            text = text.replace(typed, "")
        leaked = [what for secret, what in SECRETS.items() if secret in text]
        assert not leaked, f"{url} shows {leaked}"
        seen += text
    # The records, entries and commitment were on show, masked.
    for shown in ("郑**", "褚**", "钱**", "330***********0029", "138****4680", "0574****1234", "超限运输"):
        assert shown.replace("-", "") in seen, shown
    # Searching the raw values finds nothing.
    for q in queries:
        found = client.get(f"/api/v1/search?q={quote(q)}").get_json()
        assert not found.get("records") and not found.get("subjects"), q
    assert client.get("/api/v1/search?q=超限运输").get_json()["record_total"] == 2
    assert client.get("/api/v1/search?q=道路运输从业资格&type=license").get_json()["record_total"] == 2
