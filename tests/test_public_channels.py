"""What every public channel shows of a record: markers, licence status from dates, no trace of a
repaired penalty. Driven as users do: imported files, the rendered online forms, pages and JSON."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Commitment, License, Penalty, PublicationState, RepairApplication, Role
from portal.search import indexer
from tests.admin_helpers import department, login, staff
from tests.exchange_files import import_rows, license_row
from tests.forms import page_form
from tests.online_helpers import OBJECTION, PDF, PNG, REPAIR, add_eligible_penalty
from tests.public_scenario import YINZHOU, build, days_ago

ELIGIBLE = "甬市监罚〔2026〕31号"


@pytest.fixture
def world(app_ctx, runner, tmp_path):
    dept = department()
    w = build(runner, tmp_path)
    w.eligible = add_eligible_penalty(runner, tmp_path)
    staff("handler", Role.HANDLER, dept=dept)
    return w


def _pdf(name):
    return (io.BytesIO(PDF), name)


def _file(client, path: str, values: dict, files: dict) -> None:
    form = page_form(client, path, action=path.split("?")[0])
    form.fill(**{k: v for k, v in values.items() if k in form.names}, **files)
    response = form.submit(client)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]


def _search(client, q: str, type_: str = "all") -> dict:
    indexer.sync(wait=True)
    return client.get(f"/api/v1/search?q={quote(q)}&type={type_}").get_json()


def test_markers_on_search_results_page_and_json(client, world):
    penalty_id = world.penalties["甬市监罚〔2026〕1号"]
    _file(
        client,
        f"/objections/new?record_type=penalty&record_id={penalty_id}",
        OBJECTION,
        {"attachments": [_pdf("决定书.pdf")]},
    )
    _file(
        client,
        f"/repair/apply?penalty_id={world.eligible}",
        REPAIR,
        {
            "licence": [_pdf("营业执照.pdf")],
            "proof": [_pdf("缴款凭证.pdf"), (io.BytesIO(PNG), "整改.png")],
            "identity": [_pdf("授权委托书.pdf")],
        },
    )
    found = {r["doc_no"]: r for r in _search(client, "恒达建筑", "penalty")["records"]}
    assert found["甬市监罚〔2026〕1号"]["markers"] == ["异议处理中"]
    assert found[ELIGIBLE]["markers"] == ["信用修复中"]
    page = client.get(f"/search?q={quote('恒达建筑')}&type=penalty").get_data(as_text=True)
    assert page.count("异议处理中") == 1 and page.count("信用修复中") == 1


def test_licence_status_is_derived_on_every_channel(client, runner, world, tmp_path):
    row = license_row(
        **YINZHOU,
        **{
            "行政许可决定文书号": "甬市监许〔2024〕77号",
            "许可决定日期": "2024-01-10",
            "有效期自": "2024-01-10",
            "有效期至": "2025-01-09",
            "当前状态": "有效",
            "许可证书名称": "食品经营许可证（已到期）",
        },
    )
    import_rows(runner, tmp_path / "expired.csv", "license", [row])
    record_id = db.session.scalar(select(License.id).where(License.doc_no == "甬市监许〔2024〕77号"))
    detail = client.get(f"/licenses/{record_id}").get_data(as_text=True)
    assert "已过期" in detail and "当前状态（报送单位填报）" in detail
    api = client.get(f"/api/v1/licenses/{record_id}").get_json()
    assert api["status_label"] == "已过期" and api["current_status"] == "有效"
    credit = client.get(f"/api/v1/subjects/{YINZHOU['统一社会信用代码']}").get_json()
    statuses = {r["doc_no"]: r["status_label"] for r in credit["licenses"]}
    assert statuses["甬市监许〔2024〕77号"] == "已过期" and statuses["甬市监许〔2026〕1号"] == "有效"
    subject_page = client.get(f"/subjects/{YINZHOU['统一社会信用代码']}").get_data(as_text=True)
    assert "已过期" in subject_page
    assert "已过期" in client.get("/licenses").get_data(as_text=True)
    hits = {r["doc_no"]: r for r in _search(client, "甬市监许〔2024〕77号", "license")["records"]}
    assert hits["甬市监许〔2024〕77号"]["status_label"] == "已过期"


def test_an_approved_repair_leaves_no_reference_on_any_channel(app, client, world):
    _file(
        client,
        f"/repair/apply?penalty_id={world.eligible}",
        REPAIR,
        {
            "licence": [_pdf("营业执照.pdf")],
            "proof": [_pdf("缴款凭证.pdf")],
            "identity": [_pdf("授权委托书.pdf")],
        },
    )
    repair = db.session.scalar(select(RepairApplication))
    handler = app.test_client()
    assert login(handler, "handler").status_code == 302
    path = f"/admin/applications/repair/{repair.id}"
    for action, labels, values in (
        ("/accept", {}, {}),
        ("/verify", {"决定机关核实情况": "经核实，罚款已缴清并完成整改"}, {}),
        ("/decide", {"决定理由": "已履行并整改"}, {"decision": "approve"}),
    ):
        response = page_form(handler, path, action=action).fill_labels(labels).fill(**values).submit(handler)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert db.session.get(Penalty, world.eligible).state == PublicationState.REPAIRED
    commitment = db.session.get(Commitment, repair.commitment_id)
    assert ELIGIBLE in commitment.matter  # stored as filed; never shown once repaired
    indexer.sync(wait=True)
    ref = YINZHOU["统一社会信用代码"]
    for url in (
        "/commitments",
        "/commitments?type=信用修复型",
        f"/subjects/{ref}",
        f"/api/v1/subjects/{ref}",
        "/",
        "/penalties",
    ):
        body = client.get(url)
        text = str(body.get_json()) if body.is_json else body.get_data(as_text=True)
        assert "2026〕31号" not in text, url
    assert not _search(client, ELIGIBLE)["records"] and not _search(client, "信用修复")["records"]
    assert "未找到相关的公示记录" in client.get(f"/search?q={quote(ELIGIBLE)}").get_data(as_text=True)
    credit = client.get(f"/api/v1/subjects/{ref}").get_json()
    shown = [c for c in credit["commitments"] if c["code"] == commitment.code]
    assert shown and "***" in shown[0]["matter"]


def test_a_deadline_past_the_maximum_only_warns_and_ends_at_the_maximum(runner, app_ctx, tmp_path):
    from tests.exchange_files import penalty_row, write_csv

    rows = [
        penalty_row(
            **{
                "行政处罚决定书文号": "甬罚〔2025〕8号",
                "处罚决定日期": "2025-01-10",
                "失信严重程度": "一般",
                "公示截止期": "2029-12-31",
            }
        ),
        penalty_row(
            **{"行政处罚决定书文号": "甬罚〔2025〕9号", "处罚决定日期": days_ago(40), "公示截止期": days_ago(1)}
        ),
    ]
    errors = tmp_path / "errors.csv"
    path = write_csv(tmp_path / "p.csv", "penalty", rows)
    result = runner.invoke(args=["portal", "import", "penalty", str(path), "--errors", str(errors)])
    assert result.stdout.strip().endswith("imported=2 rejected=0")
    assert "警告1条" in result.output
    text = errors.read_text("utf-8-sig")
    assert "公示截止期" in text and "警告" in text and "2026-01-10" in text
    until = dict(db.session.execute(select(Penalty.doc_no, Penalty.display_until)).all())
    assert until["甬罚〔2025〕8号"].isoformat() == "2026-01-10"  # 一般: at most one year
    assert until["甬罚〔2025〕9号"].isoformat() == days_ago(1)  # an earlier end stands
