"""Tests of masking of personal data (portal/rules/masking.py, spec section 1)."""

import pytest

from portal.rules import masking
from portal.rules.idcard import validate as validate_id
from portal.rules.uscc import validate as validate_uscc

# --- ID numbers ----------------------------------------------------------------------------------


def test_mask_id_number_keeps_first_three_and_last_four():
    assert masking.mask_id_number("110105194912311234") == "110***********1234"
    assert masking.mask_id_number("11010519491231002X") == "110***********002X"


def test_mask_id_number_fifteen_digits():
    assert masking.mask_id_number("110105491231002") == "110********1002"


def test_mask_id_number_length_is_preserved_and_middle_hidden():
    number = "330212198001011237"
    masked = masking.mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[:3] == number[:3] and masked[-4:] == number[-4:]
    assert set(masked[3:-4]) == {"*"}
    assert "19800101" not in masked


def test_mask_id_number_strips_whitespace():
    assert masking.mask_id_number("  110105194912311234 ") == "110***********1234"


@pytest.mark.parametrize("value", [None, ""])
def test_mask_id_number_empty(value):
    assert masking.mask_id_number(value) == ""


@pytest.mark.parametrize("value, expected", [("1234567", "*******"), ("123", "***"), ("12345678", "123*5678")])
def test_mask_id_number_short_values_are_hidden_entirely(value, expected):
    assert masking.mask_id_number(value) == expected


# --- person names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("张三", "张*"),
        ("张三丰", "张**"),
        ("王小明", "王**"),
        ("欧阳修", "欧阳*"),
        ("欧阳娜娜", "欧阳**"),
        ("司马光", "司马*"),
        ("上官婉儿", "上官**"),
        ("诸葛亮", "诸葛*"),
        ("欧小明", "欧**"),  # 欧 alone is not a compound surname
        (" 张三 ", "张*"),
    ],
)
def test_mask_person_name(name, expected):
    assert masking.mask_person_name(name) == expected


def test_mask_person_name_two_characters_that_look_like_a_compound_surname():
    # A two-character name has one given-name character to hide; it must not come out unmasked.
    assert masking.mask_person_name("欧阳") == "欧*"
    assert masking.mask_person_name("司马") == "司*"


def test_mask_person_name_single_character():
    assert masking.mask_person_name("张") == "张"


@pytest.mark.parametrize("value", [None, ""])
def test_mask_person_name_empty(value):
    assert masking.mask_person_name(value) == ""


# --- phones --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone, expected",
    [
        ("13812345678", "138****5678"),
        ("138-1234-5678", "138-****-5678"),
        ("138 1234 5678", "138 **** 5678"),
        ("0571-88881234", "057*-****1234"),
    ],
)
def test_mask_phone(phone, expected):
    assert masking.mask_phone(phone) == expected


def test_mask_phone_short_numbers_are_hidden_entirely():
    assert masking.mask_phone("1234567") == "*******"
    assert masking.mask_phone("12-345") == "**-***"


@pytest.mark.parametrize("value", [None, ""])
def test_mask_phone_empty(value):
    assert masking.mask_phone(value) == ""


# --- free text -----------------------------------------------------------------------------------


def test_mask_text_hides_eighteen_character_id_with_x():
    text = "当事人身份证号码11010519491231002X，住北京市。"
    assert masking.mask_text(text) == "当事人身份证号码110***********002X，住北京市。"


def test_mask_text_hides_id_with_lower_case_x():
    out = masking.mask_text("证件号：11010519491231002x")
    assert out == "证件号：110***********002x"


def test_mask_text_hides_eighteen_digit_id():
    out = masking.mask_text("身份证110105194912311234号")
    assert out == "身份证110***********1234号"
    assert "19491231" not in out


def test_mask_text_hides_fifteen_digit_id():
    out = masking.mask_text("旧身份证号 110105491231002 已换领")
    assert out == "旧身份证号 110********1002 已换领"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("联系电话13812345678。", "联系电话138****5678。"),
        ("联系电话：138-1234-5678", "联系电话：138****5678"),
        ("联系电话 138 1234 5678 张", "联系电话 138****5678 张"),
        ("手机19912345678,15000001111", "手机199****5678,150****1111"),
    ],
)
def test_mask_text_hides_mobiles(text, expected):
    assert masking.mask_text(text) == expected


def test_mask_text_hides_given_person_names():
    text = "经查，张三于2018年6月30日在其经营场所销售过期食品，欧阳修为其提供场地。"
    out = masking.mask_text(text, ("张三", "欧阳修"))
    assert out == "经查，张*于2018年6月30日在其经营场所销售过期食品，欧阳*为其提供场地。"


def test_mask_text_hides_every_occurrence_of_a_name():
    out = masking.mask_text("李四雇用王五；李四未签合同", ("李四",))
    assert out.count("李*") == 2 and "李四" not in out


def test_mask_text_finds_persons_it_was_not_told_about():
    assert masking.mask_text("员工张三销售过期食品") == "员工张*销售过期食品"
    assert masking.mask_text("驾驶员王建国驾驶货车超载") == "驾驶员王**驾驶货车超载"


def test_mask_text_ignores_blank_and_single_character_names():
    text = "该店销售过期食品"
    assert masking.mask_text(text, ("", "  ", "张", None)) == text


def test_mask_text_strips_given_names():
    assert masking.mask_text("张三销售过期食品", (" 张三 ",)) == "张*销售过期食品"


def test_mask_text_everything_at_once():
    text = "当事人王小明（身份证号码330212198001011237，电话13912345678）"
    out = masking.mask_text(text, ("王小明",))
    assert out == "当事人王**（身份证号码330***********1237，电话139****5678）"


@pytest.mark.parametrize(
    "code",
    [
        "91110108551385082Q",
        "91110000600037341L",
        "91350200776049653A",
        "91230500MA1B3N1N2M",
        "9135021359498494XQ",
    ],
)
def test_mask_text_leaves_uscc_untouched(code):
    text = f"统一社会信用代码：{code}，处罚机关代码{code}"
    assert masking.mask_text(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "流水号12345678901234567890",
        "账号 62220212345678901234 已冻结",
        "编号1381234567812345678",  # 19 digits
        "单号138123456789",  # 12 digits starting like a mobile
    ],
)
def test_mask_text_leaves_long_digit_runs_untouched(text):
    assert masking.mask_text(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("订单A110105194912311234", "订单A110***********1234"),  # glued to letters
        ("ID110105194912311234B", "ID110***********1234B"),
        ("身份证330204 19900101 0029", "身份证330***********0029"),  # spaces inside
        ("身份证330204-19900101-0029", "身份证330***********0029"),
        ("身份证３３０２０４１９９００１０１００２９", "身份证330***********0029"),  # full width
        ("身份证３３０２０４19900101００２９", "身份证330***********0029"),  # mixed width
        ("电话+86 138.1234.5679", "电话+86 138****5679"),
        ("电话+8613812345679", "电话+86138****5679"),
        ("电话86-13812345679", "电话86-138****5679"),
        ("电话139-1234-5678。", "电话139****5678。"),
        ("电话１３９１２３４５６７８", "电话139****5678"),
        ("电话139 1234 5678", "电话139****5678"),
        ("座机0574-87654321", "座机0574-****4321"),
        ("座机0574 8765 4321", "座机0574 ****4321"),
        ("座机(0574)87654321", "座机(0574)****4321"),
        ("座机０５７４－８７６５４３２１转８００１", "座机０５７４－****4321转****"),
        ("座机010-12345678", "座机010-12345678"),  # no Chinese number starts with 1 after the area code
        ("座机021-62345678-802", "座机021-****5678-***"),
    ],
)
def test_mask_text_hides_numbers_in_every_common_form(text, expected):
    assert masking.mask_text(text) == expected


@pytest.mark.parametrize(
    "text, name, expected",
    [
        ("当事人張偉在店内", "张伟", "当事人張*在店内"),  # traditional characters in the text
        ("当事人张伟在店内", "張偉", "当事人张*在店内"),  # in the known name
        ("当事人张 伟在店内", "张伟", "当事人张 *在店内"),  # a space inside
        ("当事人歐陽娜娜在店内", "欧阳娜娜", "当事人歐陽**在店内"),
    ],
)
def test_mask_text_finds_known_names_in_variants(text, name, expected):
    assert masking.mask_text(text, (name,)) == expected


def test_mask_text_leaves_dates_and_amounts_untouched():
    text = "2018年6月30日作出处罚决定，罚款20000元（2万元），决定书文号京市监罚〔2018〕123号"
    assert masking.mask_text(text) == text


@pytest.mark.parametrize("value", [None, ""])
def test_mask_text_empty(value):
    assert masking.mask_text(value) == ""


def test_mask_text_leaves_all_digit_uscc_untouched():
    code = "911101081000000166"
    # A valid USCC under both checks, and not a valid ID number (no valid birth date in it).
    check = validate_uscc(code)
    assert check.ok and check.warnings == []
    assert validate_id(code) != []
    text = f"统一社会信用代码：{code}"
    assert masking.mask_text(text) == text


def test_mask_text_overlapping_names_do_not_leak():
    out = masking.mask_text("张三丰与张三共同经营", ("张三", "张三丰"))
    assert "丰" not in out
    assert out == "张**与张*共同经营"


def test_folding_keeps_each_character_origin_on_both_paths():
    from portal.rules.masking import _folded

    # One character each: folded in one pass, positions unchanged.
    assert _folded("張三１３８") == ("张三138", [0, 1, 2, 3, 4])
    # A character folding to several, and a space between names: the character-by-character path.
    assert _folded("甲㈱乙") == ("甲(株)乙", [0, 1, 1, 1, 2])
    assert _folded("王 小明") == ("王小明", [0, 2, 3])
