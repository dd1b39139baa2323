"""Tests of the unified social credit code rules (portal/rules/uscc.py, spec section 1)."""

import random

import pytest

from portal.rules import uscc

REAL_CODES = (
    "91110108551385082Q",
    "91110000600037341L",
    "91350200776049653A",
    "91230500MA1B3N1N2M",
    "9135021359498494XQ",
)

SPEC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
SPEC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


# Independent reference implementations written from the spec text, not from the module.
def ref_check_char(first17):
    total = sum(SPEC_CHARSET.index(c) * w for c, w in zip(first17, SPEC_WEIGHTS, strict=False))
    return SPEC_CHARSET[(31 - total % 31) % 31]


def ref_org_check_char(first8):
    def value(c):
        return int(c) if c.isdigit() else 10 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ".index(c)

    c = 11 - sum(value(ch) * w for ch, w in zip(first8, (3, 7, 9, 10, 5, 8, 4, 2), strict=False)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def with_inner_check_broken(code):
    """Change position 17 (the organisation code's check) and recompute the 18th character."""
    pos17 = code[16]
    replacement = next(c for c in "0123456789X" if c != pos17)
    first17 = code[:16] + replacement
    return first17 + uscc.check_char(first17)


# --- constants and check characters -------------------------------------------------------------


def test_charset_and_weights_match_spec():
    assert uscc.CHARSET == SPEC_CHARSET
    assert len(uscc.CHARSET) == 31
    for letter in "IOSVZ":
        assert letter not in uscc.CHARSET
    assert list(uscc.WEIGHTS) == SPEC_WEIGHTS


@pytest.mark.parametrize("code", REAL_CODES)
def test_check_char_of_real_codes(code):
    assert uscc.check_char(code[:17]) == code[17]
    assert ref_check_char(code[:17]) == code[17]


@pytest.mark.parametrize("code", REAL_CODES)
def test_org_check_char_of_real_codes(code):
    assert uscc.org_check_char(code[8:16]) == code[16]


def test_org_check_char_maps_10_to_x():
    # 9135021359498494XQ: its organisation code 59498494X has the check value 10.
    assert uscc.org_check_char("59498494") == "X"


def test_org_check_char_maps_11_to_zero():
    # Weighted sum 0 (mod 11) gives c = 11, written as 0.
    assert uscc.org_check_char("00000000") == "0"
    assert ref_org_check_char("00000000") == "0"


def test_org_check_char_uses_organisation_values_for_letters():
    # 'M' is 22 in the organisation-code alphabet but 21 in the USCC alphabet; the spec wants the former.
    assert uscc.org_check_char("MA1B3N1N") == "2"
    assert ref_org_check_char("MA1B3N1N") == "2"


def test_check_chars_agree_with_reference_on_random_input():
    rng = random.Random(20240601)
    for _ in range(500):
        first17 = "".join(rng.choice(SPEC_CHARSET) for _ in range(17))
        assert uscc.check_char(first17) == ref_check_char(first17)
        body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        assert uscc.org_check_char(body) == ref_org_check_char(body)


# --- validate ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass_both_checks(code):
    result = uscc.validate(code)
    assert result.ok
    assert result.errors == []
    assert result.warnings == []
    assert result.code == code
    assert uscc.is_valid(code)


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_wrong_18th_character_is_an_error(code):
    for c in SPEC_CHARSET:
        if c == code[17]:
            continue
        result = uscc.validate(code[:17] + c)
        assert not result.ok, code[:17] + c
        assert any("校验位" in e for e in result.errors)
        assert not uscc.is_valid(code[:17] + c)


@pytest.mark.parametrize("code", REAL_CODES)
def test_failing_inner_check_is_only_a_warning(code):
    broken = with_inner_check_broken(code)
    assert broken != code
    assert uscc.org_check_char(broken[8:16]) != broken[16]  # inner check really fails
    assert uscc.check_char(broken[:17]) == broken[17]  # outer check really passes
    result = uscc.validate(broken)
    assert result.ok
    assert result.errors == []
    assert len(result.warnings) == 1
    assert "组织机构代码" in result.warnings[0]
    assert uscc.is_valid(broken)


@pytest.mark.parametrize("code", REAL_CODES)
def test_lower_case_input_is_upper_cased(code):
    result = uscc.validate(code.lower())
    assert result.code == code
    assert result.ok
    assert result.warnings == []


def test_lower_case_check_letter_only():
    # Spec section 12: a USCC with a lower-case check letter.
    assert uscc.validate("91110108551385082q").ok
    assert uscc.validate("91110108551385082q").code == "91110108551385082Q"


def test_surrounding_whitespace_is_trimmed():
    result = uscc.validate("  91350200776049653A \n")
    assert result.ok
    assert result.code == "91350200776049653A"


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_illegal_letters_are_errors(letter):
    code = "91110108551385082Q"
    bad = code[:10] + letter + code[11:]
    result = uscc.validate(bad)
    assert not result.ok
    assert any("非法字符" in e and letter in e for e in result.errors)


def test_illegal_check_letter_is_an_error():
    result = uscc.validate("91110108551385082O")
    assert not result.ok
    assert any("非法字符" in e for e in result.errors)


def test_chinese_and_punctuation_are_illegal_characters():
    for bad in ("9111010855138508-Q", "91110108551385082中"):
        result = uscc.validate(bad)
        assert not result.ok
        assert any("非法字符" in e for e in result.errors)


@pytest.mark.parametrize(
    "bad, length",
    [
        ("91110108551385082", 17),
        ("91110108551385082QQ", 19),
        ("", 0),
        ("9111", 4),
    ],
)
def test_wrong_length_is_an_error(bad, length):
    result = uscc.validate(bad)
    assert not result.ok
    assert len(result.errors) == 1
    assert "18位" in result.errors[0]
    assert str(length) in result.errors[0]


def test_placeholder_code_fails():
    result = uscc.validate("ARBG48543289076GFE")
    assert not result.ok
    assert result.errors
    assert not uscc.is_valid("ARBG48543289076GFE")


def test_letters_allowed_in_first_eight_characters():
    # Registration authority codes such as N and Y are letters; the first 8 need not be digits.
    first17 = "N2330212" + "12345678" + uscc.org_check_char("12345678")
    code = first17 + uscc.check_char(first17)
    result = uscc.validate(code)
    assert result.ok and result.warnings == []


def test_uscc_check_ok_property():
    assert uscc.UsccCheck("x").ok
    assert uscc.UsccCheck("x", warnings=["w"]).ok
    assert not uscc.UsccCheck("x", errors=["e"]).ok


# --- generate ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 7, 42, 2024, 99999])
@pytest.mark.parametrize("region", ["330212", "110108", "350200", "440305"])
def test_generated_codes_pass_both_checks_and_carry_region(seed, region):
    code = uscc.generate(random.Random(seed), region=region)
    assert len(code) == 18
    assert set(code) <= set(SPEC_CHARSET)
    result = uscc.validate(code)
    assert result.ok, result.errors
    assert result.warnings == []
    assert code[2:8] == region
    assert uscc.region_code(code) == region
    assert code[:2] == "91"
    assert ref_check_char(code[:17]) == code[17]
    assert ref_org_check_char(code[8:16]) == code[16]


def test_generate_default_region_and_authority():
    code = uscc.generate(random.Random(3))
    assert uscc.region_code(code) == "330212"
    assert code[0] == "9" and code[1] == "1"


@pytest.mark.parametrize("authority, entity", [("1", "1"), ("5", "1"), ("9", "2"), ("N", "3"), ("Y", "1")])
def test_generate_with_other_authorities(authority, entity):
    code = uscc.generate(random.Random(11), region="110108", authority=authority, entity=entity)
    assert code[0] == authority and code[1] == entity
    check = uscc.validate(code)
    assert check.ok and check.warnings == []


def test_generate_is_deterministic_per_seed_and_varies_between_seeds():
    a = uscc.generate(random.Random(5))
    b = uscc.generate(random.Random(5))
    assert a == b
    codes = {uscc.generate(random.Random(s)) for s in range(50)}
    assert len(codes) == 50


# --- region_code ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, region",
    [
        ("91110108551385082Q", "110108"),
        ("91110000600037341L", "110000"),
        ("91350200776049653A", "350200"),
        ("91230500MA1B3N1N2M", "230500"),
        ("9135021359498494XQ", "350213"),
        (" 91350200776049653a ", "350200"),
    ],
)
def test_region_code(code, region):
    assert uscc.region_code(code) == region


@pytest.mark.parametrize(
    "code", ["", "9111010855138508", "91110108551385082QQ", "911A0108551385082Q", "ARBG48543289076GFE"]
)
def test_region_code_none_when_not_available(code):
    assert uscc.region_code(code) is None


# --- 重错码 ---------------------------------------------------------------------------------------


def test_find_code_conflicts_one_code_two_names():
    pairs = [
        ("91110108551385082Q", "北京甲科技有限公司"),
        ("91110108551385082Q", "北京乙贸易有限公司"),
        ("91350200776049653A", "厦门丙有限公司"),
    ]
    assert uscc.find_code_conflicts(pairs) == {
        "91110108551385082Q": {"北京甲科技有限公司", "北京乙贸易有限公司"},
    }


def test_find_code_conflicts_name_variants_are_not_a_conflict():
    pairs = [
        ("91350200776049653A", "厦门某某（集团）有限公司"),
        ("91350200776049653A", "厦门某某(集团)有限公司"),
        ("91350200776049653A", "厦门某某 (集团) 有限公司"),
        ("91350200776049653A", "厦门某某\u3000（集团）有限公司"),
        ("91350200776049653a", "厦门某某（集团）有限公司 "),
    ]
    assert uscc.find_code_conflicts(pairs) == {}


def test_find_code_conflicts_case_of_latin_names_is_not_a_conflict():
    pairs = [("91110000600037341L", "ABC Trading 有限公司"), ("91110000600037341L", "abc trading有限公司")]
    assert uscc.find_code_conflicts(pairs) == {}


def test_find_code_conflicts_normalises_the_code():
    pairs = [("91110108551385082Q", "甲公司"), (" 91110108551385082q", "乙公司")]
    assert uscc.find_code_conflicts(pairs) == {"91110108551385082Q": {"甲公司", "乙公司"}}


def test_find_code_conflicts_keeps_original_spellings_and_counts_variants_once():
    pairs = [
        ("91110108551385082Q", "甲（北京）公司"),
        ("91110108551385082Q", "甲(北京)公司"),
        ("91110108551385082Q", "乙公司"),
    ]
    conflicts = uscc.find_code_conflicts(pairs)
    assert set(conflicts) == {"91110108551385082Q"}
    names = conflicts["91110108551385082Q"]
    assert len(names) == 2
    assert "乙公司" in names
    assert "甲（北京）公司" in names  # first spelling seen is kept


def test_find_code_conflicts_skips_empty_codes_and_accepts_generators():
    pairs = (p for p in [("", "甲公司"), (None, "乙公司"), ("", "丙公司"), ("91230500MA1B3N1N2M", "丁公司")])
    assert uscc.find_code_conflicts(pairs) == {}


def test_find_code_conflicts_several_conflicts():
    pairs = [
        ("91110108551385082Q", "甲"),
        ("91110108551385082Q", "乙"),
        ("91230500MA1B3N1N2M", "丙"),
        ("91230500MA1B3N1N2M", "丁"),
        ("91230500MA1B3N1N2M", "戊"),
        ("9135021359498494XQ", "己"),
    ]
    assert uscc.find_code_conflicts(pairs) == {
        "91110108551385082Q": {"甲", "乙"},
        "91230500MA1B3N1N2M": {"丙", "丁", "戊"},
    }


def test_find_invalid_codes():
    inner_warning_only = with_inner_check_broken("91110108551385082Q")
    codes = [
        *REAL_CODES,
        inner_warning_only,
        "ARBG48543289076GFE",
        "91110108551385082A",
        "9111010855138508",
        "91110108551385o82q",
        "",
        None,
    ]
    found = uscc.find_invalid_codes(codes)
    assert set(found) == {
        "ARBG48543289076GFE",
        "91110108551385082A",
        "9111010855138508",
        "91110108551385O82Q",  # reported upper-cased
    }
    assert any("校验位" in e for e in found["ARBG48543289076GFE"])
    assert any("校验位" in e for e in found["91110108551385082A"])
    assert any("18位" in e for e in found["9111010855138508"])
    assert any("非法字符" in e for e in found["91110108551385O82Q"])


def test_find_invalid_codes_all_valid():
    assert uscc.find_invalid_codes(REAL_CODES) == {}
    assert uscc.find_invalid_codes([]) == {}
