"""Tests of resident identity card number checks (portal/rules/idcard.py, GB 11643-1999)."""

import datetime as dt
import random

import pytest

from portal.rules import idcard


def ref_check_char(first17):
    # GB 11643: weights 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11, 10 written as X.
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def with_check(first17):
    return first17 + idcard.check_char(first17)


def first_with_check_x(prefix14):
    for seq in range(1000):
        first17 = f"{prefix14}{seq:03d}"
        if idcard.check_char(first17) == "X":
            return first17 + "X"
    raise AssertionError("no sequence number gives X")


def test_standard_example_is_valid():
    # The worked example of GB 11643-1999.
    assert idcard.check_char("11010519491231002") == "X"
    assert idcard.validate("11010519491231002X") == []


def test_check_char_agrees_with_reference():
    rng = random.Random(1234)
    for _ in range(500):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        assert idcard.check_char(first17) == ref_check_char(first17)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("region", ["330212", "110105", "440305"])
def test_generated_numbers_validate(seed, region):
    number = idcard.generate(random.Random(seed), region=region)
    assert len(number) == 18
    assert number.startswith(region)
    assert number[:17].isdigit()
    assert idcard.validate(number) == []
    birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert dt.date(1950, 1, 1) <= birth < dt.date(2006, 1, 1)
    assert number[17] == ref_check_char(number[:17])


def test_generate_is_deterministic_per_seed():
    assert idcard.generate(random.Random(9)) == idcard.generate(random.Random(9))
    assert idcard.generate(random.Random(9)).startswith("330212")


def test_every_wrong_check_digit_is_an_error():
    number = "11010519491231002X"
    for c in "0123456789":
        errors = idcard.validate(number[:17] + c)
        assert errors == ["身份证号码校验位错误"], c


def test_wrong_check_digit_on_generated_number():
    number = idcard.generate(random.Random(77))
    wrong = next(c for c in "0123456789X" if c != number[17])
    assert idcard.validate(number[:17] + wrong) == ["身份证号码校验位错误"]


@pytest.mark.parametrize("birth", ["19990230", "19991301", "19990001", "19990100", "20230229", "19000431"])
def test_bad_birth_date(birth):
    number = with_check(f"110105{birth}123")  # correct check digit, so only the date is wrong
    assert idcard.validate(number) == ["身份证号码中的出生日期无效"]


def test_leap_day_birth_date_is_valid():
    assert idcard.validate(with_check("11010520000229123")) == []
    assert idcard.validate(with_check("11010519000229123")) == ["身份证号码中的出生日期无效"]


@pytest.mark.parametrize("number", ["110105491231002", "330212800101123", "000000000000000"])
def test_fifteen_digit_numbers_accepted(number):
    assert idcard.validate(number) == []


@pytest.mark.parametrize("number", ["11010549123100X", "11010549123100", "1101054912310021"])
def test_fifteen_like_but_malformed_numbers_rejected(number):
    assert idcard.validate(number) != []


def test_lower_case_x_handled():
    number = first_with_check_x("33021219800101")
    assert number.endswith("X")
    assert idcard.validate(number) == []
    assert idcard.validate(number[:-1] + "x") == []
    assert idcard.validate("11010519491231002x") == []


def test_x_where_a_digit_is_expected_is_an_error():
    number = with_check("11010519800101123")
    assert number[17] != "X"
    assert idcard.validate(number[:17] + "X") == ["身份证号码校验位错误"]
    assert idcard.validate(number[:17] + "x") == ["身份证号码校验位错误"]


def test_surrounding_whitespace_is_ignored():
    assert idcard.validate("  11010519491231002X\n") == []


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "1101051949123100",
        "11010519491231002X1",
        "1101051949123100X2",
        "X1010519491231002X",
        "11010519491231002Y",
        "110105-9491231002X",
    ],
)
def test_wrong_format_is_an_error(bad):
    errors = idcard.validate(bad)
    assert errors
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e) for e in errors)


def test_format_error_message():
    assert idcard.validate("123") == ["身份证号码应为18位（前17位为数字）"]
