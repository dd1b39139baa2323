"""Every way information enters refuses what is not credit information, and says why (spec section 9)."""

from __future__ import annotations

import csv

from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import ApplicationStatus, Commitment, CommitmentType, Department, ListEntry, Penalty, Role
from tests.admin_helpers import staff
from tests.exchange_files import COMPANY_USCC, PERSON, license_row, penalty_row, write_csv
from tests.forms import page_form
from tests.publishing_helpers import add_subject, ctx, days_ago, new_record, set_up_departments, signed_in

LAWFUL = [
    ("价格违法", "当事人作为物业服务企业，超出政府指导价标准收取物业费"),
    ("销售未经检疫的犬只", "当事人在宠物店内销售无动物检疫合格证明的犬只"),
    ("超标排放水污染物", "经信访举报，执法人员检查发现当事人直接排放未经处理的生产废水"),
    ("未采取扬尘防治措施", "当事人在拆迁工地拆除作业中未采取洒水等防尘措施"),
]
FORBIDDEN = [
    ("扰乱公共秩序", "当事人多次到区政府反映诉求，在门口聚集并拉横幅", "信访"),
    ("其他", "当事人对征收补偿方案不满，拒不搬离被征收房屋", "征收拆迁纠纷"),
    ("违反交通信号", "当事人驾驶电动自行车在信号灯为红色时驶入路口", "闯红灯"),
    ("其他", "当事人在小区内遛狗时未牵引，犬只追咬路人", "不文明养犬"),
    ("合同违约", "当事人长期拒交小区物业费，经催缴仍未缴纳", "拖欠物业费"),
    ("其他", "居民将厨余垃圾与其他垃圾混合投放", "垃圾分类"),
]


def _read(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_import_refuses_paraphrases_and_keeps_lawful_cases(runner, app_ctx, tmp_path):
    rows = [
        penalty_row(**{"行政处罚决定书文号": f"甬罚〔2026〕{i}号", "违法行为类型": kind, "违法事实": facts})
        for i, (kind, facts) in enumerate(LAWFUL)
    ]
    rows += [
        penalty_row(**PERSON, **{"行政处罚决定书文号": f"甬罚〔2026〕{50 + i}号", "违法行为类型": k, "违法事实": f})
        for i, (k, f, _) in enumerate(FORBIDDEN)
    ]
    errors = tmp_path / "errors.csv"
    result = runner.invoke(
        args=[
            "portal",
            "import",
            "penalty",
            str(write_csv(tmp_path / "p.csv", "penalty", rows)),
            "--errors",
            str(errors),
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(f"imported={len(LAWFUL)} rejected={len(FORBIDDEN)}")
    problems = _read(errors)
    assert len(problems) == len(FORBIDDEN)
    for problem, (_, _, category) in zip(problems, FORBIDDEN, strict=True):
        assert problem["列名"] == "违法事实" and f"“{category}”" in problem["错误说明"]
        assert "触发词" in problem["错误说明"]
    assert db.session.scalar(select(func.count()).select_from(Penalty)) == len(LAWFUL)


def test_import_of_licences_is_guarded_too(runner, app_ctx, tmp_path):
    row = license_row(**{"许可内容": "准予当事人在拖欠物业费问题解决前暂缓办理"})
    errors = tmp_path / "errors.csv"
    path = write_csv(tmp_path / "l.csv", "license", [row])
    result = runner.invoke(args=["portal", "import", "license", str(path), "--errors", str(errors)])
    assert result.stdout.strip().endswith("imported=0 rejected=1")
    assert "“拖欠物业费”" in _read(errors)[0]["错误说明"]


def test_admin_record_form_shows_why(app):
    set_up_departments(app)
    clerk = signed_in(app, "clerk")
    response = new_record(clerk, "penalty", **{"违法行为类型": "其他", "违法事实": "当事人在信号灯为红色时驶入路口"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "“闯红灯”" in html and "信号灯为红色时驶入" in html
    with ctx(app):
        assert db.session.scalar(select(func.count()).select_from(Penalty)) == 0


def test_list_entry_with_petitions_demolition_and_property_fees_is_refused(app):
    set_up_departments(app)
    add_subject(app)
    clerk = signed_in(app, "clerk")
    form = page_form(clerk, "/admin/lists/new", action="/admin/lists/new")
    form.fill(
        subject_uscc=COMPANY_USCC,
        kind="black",
        list_type="其他",
        authority="某街道办事处",
        reason="缠访闹访、拒不配合拆迁、拖欠物业费",
        basis="街道会议决定",
        listed_on=days_ago(3),
    )
    response = form.submit(clerk)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "信访、征收拆迁纠纷、拖欠物业费" in html and "缠访" in html
    with ctx(app):
        assert db.session.scalar(select(func.count()).select_from(ListEntry)) == 0


def test_a_breach_record_of_a_commitment_is_guarded(app):
    depts = set_up_departments(app)
    with ctx(app):
        staff("handler", Role.HANDLER, dept=db.session.get(Department, depts["a"]))
        commitment = Commitment(
            number="CN-20260101-000001",
            query_code_hash="x",
            status=ApplicationStatus.ACCEPTED,
            department_id=depts["a"],
            contact_name="陈立",
            contact_phone="13800000000",
            committer_name="宁波市鄞州区恒达建筑工程有限公司",
            uscc=COMPANY_USCC,
            type=CommitmentType.VOLUNTARY,
            matter="主动承诺",
            content="守法经营",
            liability="依法承担责任",
            letter_text="承诺书",
            made_on=clock.today(),
            acceptor="宁波市市场监督管理局",
            signer="陈立",
        )
        db.session.add(commitment)
        db.session.commit()
        commitment_id = commitment.id
    handler = signed_in(app, "handler")
    path = f"/admin/applications/commitment/{commitment_id}"
    form = page_form(handler, path, action="/fulfilment")
    response = form.fill(fulfilment="部分履行", breach_action="承诺人未履行承诺，又到市政府上访").submit(handler)
    assert response.status_code == 400 and "“信访”" in response.get_data(as_text=True)
    with ctx(app):
        assert db.session.get(Commitment, commitment_id).fulfilment is None
