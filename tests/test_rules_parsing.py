"""Tests of parsing of dates, amounts and enumerations (portal/rules/parsing.py, spec sections 2, 12)."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from portal.rules.parsing import (
    LONG_TERM,
    ParseError,
    parse_amount_wan,
    parse_date,
    parse_date_or_long_term,
    split_multi,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
JUNE_30 = dt.date(2018, 6, 30)


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2018-06-30",
        "2018-6-30",
        "2018/06/30",
        "2018/6/30",
        "2018.06.30",
        "2018年6月30日",
        "2018年06月30日",
        "06/30/2018",
        "6/30/2018",
        "20180630",
        " 2018-06-30 ",
        "2018-06-30\n",
    ],
)
def test_parse_date_forms(text):
    assert parse_date(text) == JUNE_30


def test_parse_date_us_order_from_excel():
    assert parse_date("03/29/2018") == dt.date(2018, 3, 29)
    assert parse_date("3/9/2018") == dt.date(2018, 3, 9)


@pytest.mark.parametrize(
    "text",
    [
        "2018-06-30 00:00:00",
        "2018-06-30 12:30",
        "2018-06-30 9:05:07",
        "2018-06-30T12:30:00",
        "2018-06-30 12:30:00.000",
        "2018/6/30 0:00",
        "2018年6月30日 08:00",
        "06/30/2018 00:00:00",
    ],
)
def test_parse_date_with_time_suffix(text):
    assert parse_date(text) == JUNE_30


def test_parse_date_datetime_object_becomes_date():
    result = parse_date(dt.datetime(2018, 6, 30, 23, 59, 59))
    assert result == JUNE_30
    assert type(result) is dt.date


def test_parse_date_date_object_is_returned():
    assert parse_date(JUNE_30) is JUNE_30


def test_parse_date_leap_day():
    assert parse_date("2024-02-29") == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "2018-02-30",
        "2023-02-29",
        "2018-13-01",
        "2018-00-10",
        "2018/6/31",
        "2018年6月31日",
        "20181301",
        "13/29/2018",
        "abc",
        "",
        "   ",
        "2018-06",
        "18-06-30",
        "2018-06-30 abc",
        "2018_06_30",
        "2018-06-30-01",
        None,
    ],
)
def test_parse_date_invalid_raises_parse_error_in_chinese(text):
    with pytest.raises(ParseError) as info:
        parse_date(text)
    message = str(info.value)
    assert CJK.search(message)
    assert "日期" in message


def test_parse_error_message_names_the_value_and_format():
    with pytest.raises(ParseError) as info:
        parse_date("2018-02-30")
    assert "2018-02-30" in str(info.value)
    assert "YYYY-MM-DD" in str(info.value)


def test_parse_error_is_a_value_error():
    assert issubclass(ParseError, ValueError)
    with pytest.raises(ValueError):
        parse_date("abc")


def test_long_term():
    assert LONG_TERM == "长期"
    assert parse_date_or_long_term("长期") == (None, True)
    assert parse_date_or_long_term(" 长期 ") == (None, True)


def test_long_term_with_a_date():
    assert parse_date_or_long_term("2018年6月30日") == (JUNE_30, False)
    assert parse_date_or_long_term(JUNE_30) == (JUNE_30, False)


def test_long_term_invalid():
    with pytest.raises(ParseError):
        parse_date_or_long_term("永久有效")
    with pytest.raises(ParseError):
        parse_date_or_long_term("2018-02-30")


# --- amounts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0.2", "0.2"),
        ("2000元", "0.2"),
        ("0.2万元", "0.2"),
        ("1,000.5", "1000.5"),
        ("1，000.5", "1000.5"),
        ("10,000元", "1"),
        (" 0.2 ", "0.2"),
        ("0", "0"),
        ("100", "100"),
        ("3", "3"),
        ("0.123456", "0.123456"),
        ("1元", "0.0001"),
        ("0.01元", "0.000001"),
        ("12345.67元", "1.234567"),
        ("50000元", "5"),
        (0.2, "0.2"),
        (2000, "2000"),
        (Decimal("0.35"), "0.35"),
    ],
)
def test_parse_amount_wan(value, expected):
    result = parse_amount_wan(value)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)


@pytest.mark.parametrize(
    "value", ["-0.2", "-2000元", "abc", "", "罚款", "0.2美元", "1.2.3", "二千元", "0x10", "1e3", None]
)
def test_parse_amount_rejects_negative_and_garbage(value):
    with pytest.raises(ParseError) as info:
        parse_amount_wan(value)
    assert CJK.search(str(info.value))
    assert "金额" in str(info.value)


@pytest.mark.parametrize("value", ["0.1234567", "1.0000001", "0.001元", "12345.678元", "0.0000001万元"])
def test_parse_amount_rejects_more_than_six_decimals(value):
    with pytest.raises(ParseError) as info:
        parse_amount_wan(value)
    assert "6位小数" in str(info.value)


# --- several values in one cell ------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "警告&罚款",
        "警告;罚款",
        "警告；罚款",
        "警告、罚款",
        "警告,罚款",
        "警告，罚款",
        "警告/罚款",
        "警告|罚款",
        " 警告 & 罚款 ",
        "警告&&罚款",
        "警告;罚款;",
        "&警告、、罚款",
    ],
)
def test_split_multi(cell):
    assert split_multi(cell) == ["警告", "罚款"]


def test_split_multi_single_value_and_order():
    assert split_multi("罚款") == ["罚款"]
    assert split_multi("没收违法所得&警告;罚款") == ["没收违法所得", "警告", "罚款"]


def test_split_multi_keeps_values_with_inner_spaces():
    assert split_multi("责令停产停业&吊销许可证件") == ["责令停产停业", "吊销许可证件"]


@pytest.mark.parametrize("cell", ["", "   ", "&", ";；、"])
def test_split_multi_empty(cell):
    assert split_multi(cell) == []
