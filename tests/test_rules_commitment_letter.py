"""The standard commitment letter and the 承诺编码."""

import datetime as dt

import pytest

from portal.models import CommitmentType
from portal.rules import commitment_letter as cl


def test_every_type_has_a_letter_with_the_five_standard_undertakings():
    for ctype in CommitmentType:
        text = cl.letter_text(ctype.value, "宁波恒达建筑工程有限公司", "申请施工许可", "宁波市住房和城乡建设局")
        assert f"承诺类型：{ctype.value}" in text and "宁波恒达建筑工程有限公司" in text
        for undertaking in cl.STANDARD_UNDERTAKINGS:
            assert undertaking in text
        assert cl.TYPE_UNDERTAKINGS[ctype.value] in text


def test_repair_letter_states_the_maximum_period_on_breach():
    assert "按最长公示期限予以公示" in cl.letter_text("信用修复型", "甲公司", "修复", "乙局")
    with pytest.raises(ValueError):
        cl.letter_text("不存在的类型", "甲公司", "事由", "乙局")


def test_commitment_code_is_region_date_serial():
    assert cl.commitment_code("330200", dt.date(2026, 11, 22), 7) == "33020020261122000007"
    with pytest.raises(ValueError):
        cl.commitment_code("3302", dt.date(2026, 11, 22), 7)
