"""The dashboard shows what waits for each role in its own department; /admin/queues lists applications."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from portal import clock
from portal.extensions import db
from portal.models import Objection, Penalty, PublicationState, Role
from tests.admin_helpers import department, login, staff
from tests.exchange_files import OTHER_AUTHORITY, authority_columns, penalty_row, write_csv


def import_penalties(runner, tmp_path, name: str, rows: list[dict], pending: bool) -> None:
    args = ["portal", "import", "penalty", str(write_csv(tmp_path / name, "penalty", rows))]
    result = runner.invoke(args=args + (["--pending"] if pending else []))
    assert result.exit_code == 0 and result.stdout.strip().endswith(f"imported={len(rows)} rejected=0"), result.output


def test_reviewer_sees_pending_records_oldest_first_with_overdue(client, runner, app_ctx, tmp_path):
    dept = department()
    department(*OTHER_AUTHORITY)
    staff("shenhe", Role.REVIEWER, dept=dept)
    today = clock.today()
    old, recent = (today - dt.timedelta(days=40)).isoformat(), today.isoformat()
    import_penalties(
        runner,
        tmp_path,
        "pending.csv",
        [
            penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕901号", "处罚决定日期": recent}),
            penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕900号", "处罚决定日期": old}),
            penalty_row(
                **{
                    "行政处罚决定书文号": "甬环罚〔2026〕5号",
                    "处罚决定日期": old,
                    **authority_columns("penalty", OTHER_AUTHORITY),
                }
            ),
        ],
        pending=True,
    )
    import_penalties(
        runner,
        tmp_path,
        "published.csv",
        [
            penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕800号", "处罚决定日期": old}),
            penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕801号", "处罚决定日期": recent}),
        ],
        pending=False,
    )
    login(client, "shenhe")
    page = client.get("/admin/").get_data(as_text=True)
    assert "待审核：2 条" in page
    assert page.index("900号") < page.index("901号")  # oldest first
    assert "甬环罚" not in page  # another department's record
    assert page.count("已超期") == 1
    assert "50.0%" in page  # this quarter: one of two published within 7 working days


def test_clerk_sees_returned_entries(client, runner, app_ctx, tmp_path):
    dept = department()
    staff("luru", Role.CLERK, dept=dept)
    import_penalties(
        runner, tmp_path, "p.csv", [penalty_row(**{"处罚决定日期": clock.today().isoformat()})], pending=True
    )
    db.session.execute(update(Penalty).values(state=PublicationState.DRAFT, returned_reason="违法事实描述不完整"))
    db.session.commit()
    login(client, "luru")
    page = client.get("/admin/").get_data(as_text=True)
    assert "被退回待修改：1 条" in page and "违法事实描述不完整" in page
    assert "待审核" not in page  # not a reviewer


def _objection(number: str, dept_id: int, deadline: dt.date | None) -> Objection:
    return Objection(
        number=number,
        query_code_hash="x",
        department_id=dept_id,
        contact_name="王先生",
        contact_phone="13800000000",
        deadline=deadline,
        record_type="penalty",
        record_id=1,
        ground="错误",
        description="处罚金额有误",
        applicant_name="宁波某某有限公司",
    )


def test_handler_queue_lists_overdue_first(client, app_ctx):
    dept = department()
    other = department(*OTHER_AUTHORITY)
    staff("shouli", Role.HANDLER, dept=dept)
    today = clock.today()
    db.session.add_all(
        [
            _objection("YY20260001", dept.id, today + dt.timedelta(days=5)),
            _objection("YY20260002", dept.id, today - dt.timedelta(days=1)),
            _objection("YY20260003", other.id, today - dt.timedelta(days=3)),
        ]
    )
    db.session.commit()
    login(client, "shouli")
    page = client.get("/admin/queues").get_data(as_text=True)
    assert page.index("YY20260002") < page.index("YY20260001")
    assert "YY20260003" not in page and page.count("已超期") == 1
    assert "受理事项：2 件" in client.get("/admin/").get_data(as_text=True)
    assert client.get("/admin/accounts").status_code == 403


def test_queues_are_for_handlers_only(client, app_ctx):
    staff("bianji", Role.EDITOR)
    login(client, "bianji")
    assert client.get("/admin/queues").status_code == 403
    assert "尚未分配部门" in client.get("/admin/").get_data(as_text=True)
    assert db.session.scalar(select(Objection.id)) is None
