"""Tests of cell cleaning and name normalisation (portal/rules/text.py, spec section 12)."""

import pytest

from portal.rules.text import clean_cell, normalise_name


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("销售过期食品_x000D_", "销售过期食品"),
        ("第一行_x000D_第二行", "第一行\n第二行"),
        ("第一行_x000D_\n第二行", "第一行\n第二行"),
        ("第一行_x000d_第二行", "第一行\n第二行"),
        ("第一行_x000A_第二行", "第一行\n第二行"),
        ("张\u00a0三", "张 三"),
        ("\u00a0张三\u00a0", "张三"),
        ("\u3000北京某某有限公司\u3000", "北京某某有限公司"),
        ("北京\u3000某某", "北京 某某"),
        ("罚款\n\n", "罚款"),
        ("罚款\r\n", "罚款"),
        ("\n\n罚款", "罚款"),
        ("  警告  ", "警告"),
        ("a  \t b", "a b"),
        ("a\u00a0\u3000 b", "a b"),
        ("\ufeff行政相对人名称", "行政相对人名称"),
        ("第一行\n\n\n第二行", "第一行\n第二行"),
        ("第一行\r\n第二行", "第一行\n第二行"),
        ("", ""),
        ("   ", ""),
        ("_x000D_", ""),
    ],
)
def test_clean_cell(raw, expected):
    assert clean_cell(raw) == expected


def test_clean_cell_none():
    assert clean_cell(None) == ""


def test_clean_cell_non_strings():
    assert clean_cell(0.2) == "0.2"
    assert clean_cell(2000) == "2000"


def test_clean_cell_is_idempotent():
    raw = "\u3000第一行_x000D_\n\u00a0第二行  \n\n"
    once = clean_cell(raw)
    assert once == "第一行\n第二行"
    assert clean_cell(once) == once


def test_clean_cell_keeps_other_underscores():
    assert clean_cell("file_x0001_name") == "file_x0001_name"


@pytest.mark.parametrize(
    "a, b",
    [
        ("北京某某科技有限公司（分公司）", "北京某某科技有限公司(分公司)"),
        ("厦门某某（集团）有限公司", "厦门某某 ( 集团 ) 有限公司"),
        ("北京某某有限公司", "北京 某某 有限公司"),
        ("北京某某有限公司", "北京\u3000某某\u00a0有限公司"),
        ("ABC贸易有限公司", "abc贸易有限公司"),
        ("ＡＢＣ贸易有限公司", "abc贸易有限公司"),
        ("某某餐饮店", "某某餐饮店。"),
        ("某某·餐饮店", "某某餐饮店"),
    ],
)
def test_normalise_name_folds_variants(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_normalise_name_values():
    assert normalise_name("北京某某（集团）有限公司") == "北京某某集团有限公司"
    assert normalise_name(" ABC Trading (Beijing) Co., Ltd. ") == "abctradingbeijingcoltd"
    assert normalise_name("ＡＢＣ１２３") == "abc123"


def test_normalise_name_keeps_different_names_apart():
    assert normalise_name("北京甲有限公司") != normalise_name("北京乙有限公司")
    assert normalise_name("某某一分公司") != normalise_name("某某二分公司")
    assert normalise_name("ABC1") != normalise_name("ABC2")


@pytest.mark.parametrize("value", [None, ""])
def test_normalise_name_empty(value):
    assert normalise_name(value) == ""


def test_normalise_name_folds_traditional_characters():
    assert normalise_name("寧波市鄞州區恆達建築工程有限公司") == normalise_name("宁波市鄞州区恒达建筑工程有限公司")
    assert normalise_name("ＡＢＣ（寧波）科技 有限公司") == "abc宁波科技有限公司"
