"""Nothing filed is orphaned: objections and repairs about records of no known department reach the
platform's (信用办) queue, overdue flag included, and the dashboard counts them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import select

from portal import clock
from portal.extensions import db
from portal.models import Objection, Penalty, RepairApplication, Role
from tests.admin_helpers import department, login, staff
from tests.exchange_files import import_rows, penalty_row
from tests.forms import page_form
from tests.online_helpers import OBJECTION, PDF, REPAIR
from tests.public_scenario import YINZHOU, days_ago

# A deciding authority that is no department of the portal.
NOBODY = {
    "处罚机关": "某省交通运输厅",
    "处罚机关统一社会信用代码": "11330000EKB845UM99",
    "数据来源单位": "某省交通运输厅",
    "数据来源单位统一社会信用代码": "11330000EKB845UM99",
}


@pytest.fixture
def orphans(app_ctx, runner, tmp_path):
    department()  # 宁波市市场监督管理局, not the authority of these records
    rows = [
        penalty_row(
            **YINZHOU, **NOBODY, **{"行政处罚决定书文号": f"浙交罚〔2026〕{i}号", "处罚决定日期": days_ago(120)}
        )
        for i in (1, 2)
    ]
    import_rows(runner, tmp_path / "p.csv", "penalty", rows)
    staff("admin", Role.ADMIN)
    return dict(db.session.execute(select(Penalty.doc_no, Penalty.id)).all())


def _file(client, path: str, values: dict, files: dict) -> None:
    form = page_form(client, path, action=path.split("?")[0])
    form.fill(**{k: v for k, v in values.items() if k in form.names}, **files)
    response = form.submit(client)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]


def _pdf(name):
    return (io.BytesIO(PDF), name)


def test_filings_about_records_of_no_department_reach_the_platform_queue(app, client, orphans, monkeypatch):
    _file(
        client,
        f"/objections/new?record_type=penalty&record_id={orphans['浙交罚〔2026〕1号']}",
        OBJECTION,
        {"attachments": [_pdf("决定书.pdf")]},
    )
    _file(
        client,
        f"/repair/apply?penalty_id={orphans['浙交罚〔2026〕2号']}",
        REPAIR,
        {"licence": [_pdf("执照.pdf")], "proof": [_pdf("凭证.pdf")], "identity": [_pdf("授权.pdf")]},
    )
    objection, repair = db.session.scalar(select(Objection)), db.session.scalar(select(RepairApplication))
    assert objection.department_id is None and repair.department_id is None

    admin = app.test_client()
    assert login(admin, "admin").status_code == 302
    dashboard = admin.get("/admin/").get_data(as_text=True)
    assert "未分派事项（信用办）：2 件" in dashboard and "已超期" not in dashboard
    queue = admin.get("/admin/unrouted").get_data(as_text=True)
    assert objection.number in queue and repair.number in queue

    # Past their deadlines they are flagged overdue and come first.
    later = max(objection.deadline, repair.deadline) + dt.timedelta(days=1)
    monkeypatch.setattr(clock, "today", lambda: later)
    assert "未分派事项（信用办）：2 件，已超期 2 件" in admin.get("/admin/").get_data(as_text=True)
    assert admin.get("/admin/unrouted").get_data(as_text=True).count('<span class="overdue">已超期</span>') == 2
    monkeypatch.undo()

    # The administrator hands the objection to a department, whose handler then has it.
    dept = department("宁波市交通运输局", "11330200J1DFJ06E6T")
    staff("handler", Role.HANDLER, dept=dept)
    form = page_form(admin, "/admin/unrouted", action=f"/admin/unrouted/objection/{objection.id}")
    assert form.fill(department_id="宁波市交通运输局").submit(admin).status_code == 302
    db.session.expire_all()
    assert db.session.get(Objection, objection.id).department_id == dept.id
    handler = app.test_client()
    assert login(handler, "handler").status_code == 302
    assert objection.number in handler.get("/admin/queues").get_data(as_text=True)
    assert "未分派事项（信用办）：1 件" in admin.get("/admin/").get_data(as_text=True)


def test_the_platform_queue_is_for_administrators(app, client, orphans):
    department_b = department("宁波市交通运输局", "11330200J1DFJ06E6T")
    staff("handler", Role.HANDLER, dept=department_b)
    handler = app.test_client()
    assert login(handler, "handler").status_code == 302
    assert handler.get("/admin/unrouted").status_code == 403


def test_the_dashboard_counts_every_overdue_unrouted_item_not_only_those_it_lists(
    app_ctx, client, runner, tmp_path, monkeypatch
):
    department()
    staff("admin", Role.ADMIN)
    rows = [
        penalty_row(
            **YINZHOU, **NOBODY, **{"行政处罚决定书文号": f"浙交罚〔2026〕{i}号", "处罚决定日期": days_ago(120)}
        )
        for i in range(100, 112)
    ]
    import_rows(runner, tmp_path / "p.csv", "penalty", rows)
    for penalty_id in db.session.scalars(select(Penalty.id)):
        _file(
            client,
            f"/objections/new?record_type=penalty&record_id={penalty_id}",
            OBJECTION,
            {"attachments": [_pdf("决定书.pdf")]},
        )
    deadline = max(db.session.scalars(select(Objection.deadline)))
    monkeypatch.setattr(clock, "today", lambda: deadline + dt.timedelta(days=1))
    admin = app_ctx.test_client()
    assert login(admin, "admin").status_code == 302
    assert "未分派事项（信用办）：12 件，已超期 12 件" in admin.get("/admin/").get_data(as_text=True)
