"""Company-name normalisation: the written forms of one company share a core."""

from __future__ import annotations

import pytest

from portal.rules import company_names as cn

REGIONS = ("浙江省", "宁波市", "海曙区", "鄞州区", "北仑区", "慈溪市")


@pytest.mark.parametrize(
    "written",
    [
        "宁波建工股份有限公司",
        "寧波建工（股份）有限公司",
        "浙江省宁波市建工股份公司",
        "建工（宁波）股份有限公司",
        "ＮＢ宁波建工股份有限公司".replace("ＮＢ", ""),
        "宁波 建工 股份有限公司",
        "【宁波】建工股份有限公司",
    ],
)
def test_forms_of_one_name_share_a_core(written):
    name = cn.parse(written, REGIONS)
    assert name.core == "建工" and "宁波" in name.regions and name.legal_form == "股份有限公司"


def test_parts_of_a_name():
    branch = cn.parse("宁波建工股份有限公司鄞州分公司", REGIONS)
    assert (branch.core, branch.branch, branch.regions) == ("建工", "分公司", ("宁波", "鄞州"))
    group = cn.parse("宁波富邦（集团）有限责任公司", REGIONS)
    assert group.group and group.core == "富邦" and group.legal_form == "有限责任公司"
    assert cn.parse("宁波恒达建筑工程有限公司", REGIONS).core == cn.parse("恒达建工（宁波）有限公司", REGIONS).core
    assert cn.parse("宁波海曙绿源环保科学技术有限公司", REGIONS).core == "绿源环保科技"
    assert cn.parse("有限公司", REGIONS).core  # nothing but a form: never emptied


def test_legal_forms_group_their_spellings():
    assert cn.parse("甲乙有限公司").legal_form == cn.parse("甲乙有限责任公司").legal_form == "有限责任公司"
    assert cn.parse("甲乙股份公司").legal_form == "股份有限公司"
    assert cn.parse("鄞州甲乙五金店", REGIONS).legal_form == "店"


def test_pinyin_initials():
    assert cn.initials("宁波建工") == "NBJG"
    assert "NBJG" in cn.short_initials(cn.parse("宁波建工股份有限公司", REGIONS))
    assert cn.initials("ABC（宁波）") == "ABCNB"
    assert cn.is_initials("nbjg") and not cn.is_initials("宁波建工") and not cn.is_initials("x")


def test_written_core_keeps_the_words_abbreviations_replace():
    name = cn.parse("浙江省宁波中力国际贸易有限公司", REGIONS)
    assert (name.core, name.written) == ("中力国贸", "中力国际贸易")


def test_stem():
    assert cn.stem("寧波遠創汽車服務（股份）有限公司") == "宁波远创汽车服务"
    assert cn.stem("宁波远创汽车服务股份有限公司") == "宁波远创汽车服务"
    assert cn.stem("远创（宁波）") == "远创宁波"


def test_initials_keys_and_queries():
    keys = cn.initials_keys("宁波建工工程集团有限公司", REGIONS)
    assert keys == ("JGG", "JGGC", "NBJ", "NBJG", "NBJGG", "NBJGGC")
    # A 2-letter form is a key; 2-letter beginnings of longer forms are not.
    assert cn.initials_keys("恒达有限公司") == ("HD",)
    assert cn.query_initials(" nbjg ") == cn.query_initials("ＮＢＪＧ") == "NBJG"
    assert cn.query_initials("宁波") is None and cn.query_initials("NB2") is None


def test_similarity():
    assert cn.similarity("建工", "建工") == 1.0
    assert cn.similarity("远创汽车服务", "远创汽车服物") > cn.similarity("远创汽车服务", "远达广告") == 0.0
    assert 0.5 <= cn.similarity("恒达建工", "恒达") < 1.0
    # An abbreviation that keeps characters in order is closer than a name sharing as many bigrams.
    assert cn.similarity("远创汽服", "远创汽车服务") > cn.similarity("远创汽服", "远创汽车销售")
    assert cn.similarity("", "建工") == 0.0
