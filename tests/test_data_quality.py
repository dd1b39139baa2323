"""重错码 over stored records: one USCC under two names is reported; renamed-looking variants are not."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import Subject
from tests.exchange_files import penalty_row, write_csv


def test_code_with_two_names_is_reported(runner, app_ctx, tmp_path):
    rows = [
        penalty_row(**{"行政处罚决定书文号": "罚1", "行政相对人名称": "宁波恒达建筑工程有限公司"}),
        penalty_row(**{"行政处罚决定书文号": "罚2", "行政相对人名称": "宁波恒达建筑工程有限公司 "}),
        penalty_row(**{"行政处罚决定书文号": "罚3", "行政相对人名称": "宁波永盛贸易有限公司"}),
        penalty_row(
            **{
                "行政处罚决定书文号": "罚4",
                "行政相对人名称": "宁波华联电子有限公司",
                "统一社会信用代码": "91350200776049653A",
            }
        ),
    ]
    runner.invoke(args=["portal", "import", "penalty", str(write_csv(tmp_path / "p.csv", "penalty", rows))])
    # A code stored before check digits were enforced.
    db.session.add(
        Subject(
            subject_key="OLD:x",
            kind="法人及非法人组织",
            name="旧数据有限公司",
            name_norm="旧数据有限公司",
            uscc="ARBG48543289076GFE",
        )
    )
    db.session.commit()
    result = runner.invoke(args=["portal", "data-quality"])
    assert result.exit_code == 0
    assert "一码多名：1 个" in result.output
    assert "91110108551385082Q：宁波恒达建筑工程有限公司、宁波永盛贸易有限公司" in result.output
    assert "校验不通过的代码：1 个" in result.output and "ARBG48543289076GFE" in result.output
    assert db.session.scalar(select(Subject.name).where(Subject.uscc == "91350200776049653A")) == "宁波华联电子有限公司"
