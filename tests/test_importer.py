"""The importer, driven through the operators' command line."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.models import ImportRun, License, Penalty, PublicationState, SearchOutbox, Subject
from tests.exchange_files import AUTHORITY, license_row, penalty_row, write_csv, write_xlsx


def run_import(runner, kind, path, *extra):
    return runner.invoke(args=["portal", "import", kind, str(path), *extra])


def last_line(result) -> str:
    return result.stdout.strip().splitlines()[-1]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def read_errors(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_valid_penalty_is_stored_and_published_with_its_window(runner, app_ctx, tmp_path):
    path = write_csv(tmp_path / "p.csv", "penalty", [penalty_row()])
    result = run_import(runner, "penalty", path)
    assert result.exit_code == 0, result.output
    assert last_line(result) == "imported=1 rejected=0"
    p = db.session.scalar(select(Penalty))
    assert p.state == PublicationState.PUBLISHED
    assert p.subject.uscc == "91110108551385082Q"
    assert p.subject.region_code == "110108"
    assert p.categories == "警告;罚款"
    assert p.fine_wan == Decimal("0.5")
    assert p.decided_on == dt.date(2026, 5, 6)
    assert p.repair_from == dt.date(2026, 8, 7)
    assert p.display_until == dt.date(2027, 5, 6)
    assert p.timeliness_workdays is not None
    outbox = db.session.execute(select(SearchOutbox.entity_type, SearchOutbox.entity_id)).all()
    assert sorted(outbox) == [("penalty", p.id), ("subject", p.subject_id)]
    run = db.session.scalar(select(ImportRun))
    assert (run.rows_valid, run.rows_rejected, run.rows_new) == (1, 0, 1)


def test_pending_option_waits_for_review(runner, app_ctx, tmp_path):
    path = write_csv(tmp_path / "p.csv", "penalty", [penalty_row()])
    assert last_line(run_import(runner, "penalty", path, "--pending")) == "imported=1 rejected=0"
    assert db.session.scalar(select(Penalty.state)) == PublicationState.PENDING


def test_gbk_and_bom_files_and_xlsx(runner, app_ctx, tmp_path):
    gbk = write_csv(tmp_path / "gbk.csv", "penalty", [penalty_row()], encoding="gbk")
    bom = write_csv(tmp_path / "bom.csv", "license", [license_row()], encoding="utf-8-sig")
    xlsx = write_xlsx(tmp_path / "l.xlsx", "license", [license_row(**{"行政许可决定文书号": "甬市监许〔2026〕89号"})])
    assert last_line(run_import(runner, "penalty", gbk)) == "imported=1 rejected=0"
    assert last_line(run_import(runner, "license", bom)) == "imported=1 rejected=0"
    assert last_line(run_import(runner, "license", xlsx)) == "imported=1 rejected=0"
    assert db.session.scalar(select(Penalty.subject_name)) == "宁波市鄞州区恒达建筑工程有限公司"
    licences = db.session.scalars(select(License).order_by(License.id)).all()
    assert [lic.decided_on for lic in licences] == [dt.date(2026, 3, 2)] * 2
    assert licences[0].valid_to == dt.date(2031, 3, 1)


@pytest.mark.parametrize(
    ("headers_change", "message"),
    [
        (lambda h: h + ["联系电话"], "未知列：联系电话"),
        (lambda h: [x for x in h if x != "处罚机关"], "缺少必填列：处罚机关"),
        (lambda h: h + ["备注"], "重复列：备注"),
    ],
)
def test_bad_headers_refuse_the_whole_file(runner, app_ctx, tmp_path, headers_change, message):
    from portal.importer.headers import PENALTY_HEADERS

    write_csv(tmp_path / "ok.csv", "penalty", [penalty_row(**{"行政处罚决定书文号": "甬市监罚〔2026〕1号"})])
    assert run_import(runner, "penalty", tmp_path / "ok.csv").exit_code == 0
    before = (count(Penalty), count(Subject), count(SearchOutbox), count(ImportRun))
    path = write_csv(tmp_path / "bad.csv", "penalty", [penalty_row()], headers=headers_change(list(PENALTY_HEADERS)))
    result = run_import(runner, "penalty", path)
    assert result.exit_code == 2
    assert message in result.stderr
    assert (count(Penalty), count(Subject), count(SearchOutbox), count(ImportRun)) == before


def test_unreadable_files_are_refused(runner, app_ctx, tmp_path):
    garbage = tmp_path / "g.csv"
    garbage.write_bytes(bytes(range(256)) * 50)
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    broken_xlsx = tmp_path / "b.xlsx"
    broken_xlsx.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    for path in (garbage, empty, broken_xlsx, tmp_path / "missing.csv"):
        result = run_import(runner, "penalty", path)
        assert result.exit_code == 2, path
        assert "文件被拒绝" in result.stderr
    assert count(Penalty) == 0


def test_invalid_rows_are_reported_by_row_and_column(runner, app_ctx, tmp_path):
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    rows = [
        penalty_row(**{"行政处罚决定书文号": "罚1"}),  # line 2: valid
        penalty_row(**{"行政处罚决定书文号": "罚2", "统一社会信用代码": "91110108551385082A"}),
        penalty_row(**{"行政处罚决定书文号": "罚3", "处罚决定日期": tomorrow}),
        penalty_row(
            **{
                "行政处罚决定书文号": "罚4",
                "行政相对人名称": "张三",
                "行政相对人类别": "自然人",
                "统一社会信用代码": "",
                "法定代表人": "",
            }
        ),
        penalty_row(**{"行政处罚决定书文号": "罚5", "违法行为类型": "闯红灯", "违法事实": "驾驶机动车闯红灯"}),
        penalty_row(**{"行政处罚决定书文号": "罚6", "违法事实": "拖欠物业服务费用达两年"}),
        penalty_row(**{"行政处罚决定书文号": "罚7", "处罚类别": "警告&拘役"}),
        penalty_row(**{"行政处罚决定书文号": "罚8", "罚款金额(万元)": ""}),
        penalty_row(**{"行政处罚决定书文号": "罚9", "处罚决定日期": "2026-02-30"}),
        penalty_row(**{"行政处罚决定书文号": "罚10", "法定代表人": ""}),
        penalty_row(**{"行政处罚决定书文号": "罚1"}),  # line 12: duplicate of line 2
        penalty_row(**{"行政处罚决定书文号": "罚12", "失信严重程度": "特别严重"}),
        penalty_row(**{"行政处罚决定书文号": "罚13", "处罚机关统一社会信用代码": "ARBG48543289076GFE"}),
    ]
    path = write_csv(tmp_path / "p.csv", "penalty", rows)
    errors = tmp_path / "errors.csv"
    result = run_import(runner, "penalty", path, "--errors", str(errors))
    assert result.exit_code == 0
    assert last_line(result) == "imported=1 rejected=12"
    reported = {(int(e["行号"]), e["列名"]): e["错误说明"] for e in read_errors(errors) if e["级别"] == "错误"}
    assert reported[(3, "统一社会信用代码")] == "统一社会信用代码校验位错误"
    assert "将来" in reported[(4, "处罚决定日期")]
    assert reported[(5, "证件类型")] == "“证件类型”为必填项"
    assert reported[(5, "证件号码")] == "“证件号码”为必填项"
    assert "闯红灯" in reported[(6, "违法行为类型")]
    assert "物业费" in reported[(7, "违法事实")]
    assert "拘役" in reported[(8, "处罚类别")]
    assert "罚款金额为必填项" in reported[(9, "罚款金额(万元)")]
    assert "无效" in reported[(10, "处罚决定日期")]
    assert reported[(11, "法定代表人")] == "“法定代表人”为必填项"
    assert "与第2行" in reported[(12, "行政处罚决定书文号")]
    assert "特别严重" in reported[(13, "失信严重程度")]
    assert reported[(14, "处罚机关统一社会信用代码")]
    assert db.session.scalars(select(Penalty.doc_no)).all() == ["罚1"]


def test_natural_person_rows(runner, app_ctx, tmp_path):
    person = {
        "行政相对人名称": "张三",
        "行政相对人类别": "自然人",
        "统一社会信用代码": "",
        "法定代表人": "",
        "证件类型": "身份证",
        "证件号码": "330212198001010016",
    }
    rows = [
        penalty_row(**person, **{"行政处罚决定书文号": "罚1"}),
        penalty_row(**{**person, "证件号码": "330212198001010015"}, **{"行政处罚决定书文号": "罚2"}),
        penalty_row(**{**person, "统一社会信用代码": "91110108551385082Q"}, **{"行政处罚决定书文号": "罚3"}),
        penalty_row(**{"行政处罚决定书文号": "罚4", "证件类型": "身份证", "证件号码": "330212198001010016"}),
    ]
    errors = tmp_path / "e.csv"
    result = run_import(runner, "penalty", write_csv(tmp_path / "p.csv", "penalty", rows), "--errors", str(errors))
    assert last_line(result) == "imported=1 rejected=3"
    reported = {(int(e["行号"]), e["列名"]) for e in read_errors(errors)}
    assert {(3, "证件号码"), (4, "统一社会信用代码"), (5, "证件类型"), (5, "证件号码")} <= reported
    subject = db.session.scalar(select(Subject))
    assert subject.is_person and subject.id_no == "330212198001010016" and subject.uscc is None


def test_messy_but_harmless_values_are_accepted(runner, app_ctx, tmp_path):
    row = penalty_row(
        **{
            "统一社会信用代码": "91110108551385082q",
            "行政相对人名称": "宁波市鄞州区恒达建筑工程有限公司_x000D_\n",
            "违法事实": "经查，当事人\u00a0未取得许可从事经营。_x000D_",
            "处罚类别": "警告&罚款",
            "罚款金额(万元)": "2000元",
            "处罚决定日期": "2026年5月6日",
            "失信严重程度": "",
            "公示截止期": "2026/11/6",
        }
    )
    result = run_import(runner, "penalty", write_csv(tmp_path / "p.csv", "penalty", [row]))
    assert last_line(result) == "imported=1 rejected=0"
    p = db.session.scalar(select(Penalty))
    assert p.subject_name == "宁波市鄞州区恒达建筑工程有限公司"
    assert p.subject.uscc == "91110108551385082Q"
    assert p.facts == "经查，当事人 未取得许可从事经营。"
    assert p.fine_wan == Decimal("0.2")
    assert p.severity == "一般"
    assert p.display_until == dt.date(2026, 11, 6)


def test_reimport_changes_nothing_and_a_changed_row_updates(runner, app_ctx, tmp_path):
    rows = [penalty_row(**{"行政处罚决定书文号": f"罚{i}"}) for i in range(5)] + [license_row()]
    path = write_csv(tmp_path / "p.csv", "penalty", rows[:5])
    assert last_line(run_import(runner, "penalty", path)) == "imported=5 rejected=0"
    snapshot = db.session.execute(select(Penalty.id, Penalty.updated_at, Penalty.source_hash)).all()
    outbox = count(SearchOutbox)

    assert last_line(run_import(runner, "penalty", path)) == "imported=5 rejected=0"
    db.session.expire_all()
    assert db.session.execute(select(Penalty.id, Penalty.updated_at, Penalty.source_hash)).all() == snapshot
    assert count(SearchOutbox) == outbox
    assert count(Subject) == 1

    rows[2] = penalty_row(
        **{"行政处罚决定书文号": "罚2", "处罚内容": "警告，罚款人民币8000元", "罚款金额(万元)": "0.8"}
    )
    path = write_csv(tmp_path / "p2.csv", "penalty", rows[:5])
    assert last_line(run_import(runner, "penalty", path)) == "imported=5 rejected=0"
    db.session.expire_all()
    assert count(Penalty) == 5
    changed = db.session.scalar(select(Penalty).where(Penalty.doc_no == "罚2"))
    assert changed.fine_wan == Decimal("0.8")
    assert count(SearchOutbox) == outbox + 1
    run = db.session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
    assert (run.rows_new, run.rows_updated) == (0, 1)


def test_subject_details_follow_the_newest_decision(runner, app_ctx, tmp_path):
    rows = [
        penalty_row(
            **{
                "行政处罚决定书文号": "新",
                "处罚决定日期": "2026-05-06",
                "行政相对人名称": "宁波恒达建设集团有限公司",
                "法定代表人": "王新",
            }
        ),
        penalty_row(**{"行政处罚决定书文号": "旧", "处罚决定日期": "2024-05-06", "法定代表人": "王旧"}),
    ]
    run_import(runner, "penalty", write_csv(tmp_path / "p.csv", "penalty", rows))
    subject = db.session.scalar(select(Subject))
    assert (subject.name, subject.legal_rep) == ("宁波恒达建设集团有限公司", "王新")
    names = set(db.session.scalars(select(Penalty.subject_name)))
    assert names == {"宁波恒达建设集团有限公司", "宁波市鄞州区恒达建筑工程有限公司"}


def test_department_is_resolved_from_the_authority(runner, app_ctx, tmp_path):
    from portal.models import Department

    db.session.add(Department(name=AUTHORITY[0], uscc=AUTHORITY[1]))
    db.session.commit()
    run_import(runner, "penalty", write_csv(tmp_path / "p.csv", "penalty", [penalty_row()]))
    assert db.session.scalar(select(Penalty.department_id)) is not None


def test_sqlite_page_cache_is_large_only_while_an_import_writes(runner, app_ctx, tmp_path):
    from flask import current_app

    from portal import db_events

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's page cache")

    def cache_kib() -> int:
        value = db.session.connection().exec_driver_sql("PRAGMA cache_size").scalar()
        db.session.commit()
        return -value

    default = current_app.config["PORTAL_SQLITE_CACHE_MB"] * 1024
    assert cache_kib() == default
    db_events.bulk_cache(db.session)
    assert -db.session.connection().exec_driver_sql("PRAGMA cache_size").scalar() == db_events.BULK_CACHE_KIB
    db.session.commit()
    assert cache_kib() == default
    path = write_csv(tmp_path / "p.csv", "penalty", [penalty_row()])
    assert last_line(run_import(runner, "penalty", path)) == "imported=1 rejected=0"
    assert cache_kib() == default
