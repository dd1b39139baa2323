"""Report numbers and codes, fields of the special-purpose report, verification verdicts, line breaking."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.reports import pdf
from portal.rules import report_fields, report_numbers
from portal.rules.report_verification import (
    ALTERED,
    GENUINE,
    UNKNOWN,
    compare,
    content_digest,
    fingerprint,
    record_key,
    verdict,
)


def test_numbers_by_kind_and_day():
    day = dt.date(2026, 12, 1)
    assert report_numbers.number("full", day, 7) == "XY-20261201-000007"
    assert report_numbers.number("special", day, 123456) == "ZY-20261201-123456"
    assert report_numbers.kind_of("ZY-20261201-000001") == "special"
    assert report_numbers.kind_of("YY-20261201-000001") is None  # an objection receipt, not a report
    assert report_numbers.tidy_number(" xy－20261201－000007 ") == "XY-20261201-000007"
    with pytest.raises(ValueError):
        report_numbers.number("full", day, 0)


def test_codes_are_random_readable_and_printed_in_two_groups():
    codes = {report_numbers.new_code() for _ in range(50)}
    assert len(codes) == 50
    code = codes.pop()
    assert len(code) == report_numbers.CODE_LENGTH and not set("01IOL") & set(code)
    assert report_numbers.printed_code(code) == f"{code[:4]}-{code[4:]}"
    assert report_numbers.tidy_code(report_numbers.printed_code(code).lower()) == code


def test_numbers_found_in_raw_bytes_once_each():
    data = b"%PDF-1.4 /Keywords (XY-20261201-000007) ... ZY-20261130-000001 XY-20261201-000007 XY-2026-1"
    assert report_numbers.numbers_in(data) == ["XY-20261201-000007", "ZY-20261130-000001"]
    assert report_numbers.numbers_in(b"%PDF-1.7 nothing here") == []


FIELDS = {
    "field": [
        {"name": "市场监管", "authorities": ["市场监督管理"]},
        {"name": "生态环境", "authorities": ["生态环境"], "authority_usccs": ["11330200685nl8dl4j"]},
    ]
}


def test_authorities_map_to_the_first_field_that_claims_them():
    fields = report_fields.parse(FIELDS)
    assert report_fields.field_of(fields, "宁波市鄞州区市场监督管理局", None).name == "市场监管"
    assert report_fields.field_of(fields, "某某局", "11330200685NL8DL4J").name == "生态环境"  # by code
    assert report_fields.field_of(fields, "宁波市中级人民法院", "") is None  # reported under 其他领域


@pytest.mark.parametrize(
    "entry, problem",
    [
        ({"name": "税务"}, "没有列出任何决定机关"),
        ({"name": "其他领域", "authorities": ["法院"]}, "其他领域"),
        ({"name": "市场监管", "authorities": ["市场"], "include_expired": True}, "须在 rule 中写明依据"),
        ({"name": "市场监管", "authorities": [""]}, "非空字符串"),
    ],
)
def test_bad_field_configuration_is_refused_with_the_reason(entry, problem):
    with pytest.raises(report_fields.FieldConfigError, match=problem):
        report_fields.parse({"field": [entry]})


def test_a_field_may_count_expired_penalties_only_citing_its_rule():
    entry = {"name": "税务", "authorities": ["税务"], "include_expired": True, "rule": "《某规定》第十条"}
    (field,) = report_fields.parse({"field": [entry]})
    assert field.include_expired and field.rule == "《某规定》第十条"


def test_shipped_field_configuration_loads():
    fields = report_fields.load(pdf.Path(pdf.__file__).with_name("fields.toml"))
    assert {"市场监管", "生态环境", "城市管理", "住房建设", "交通运输", "税务"} <= {f.name for f in fields}
    assert not any(f.include_expired for f in fields)


def test_changes_count_added_removed_and_corrected_records():
    salt = "00" * 16
    a, b, c = (fingerprint(salt, record_key("penalty", n)) for n in (1, 2, 3))
    assert fingerprint("11" * 16, record_key("penalty", 1)) != a  # keyed per report
    issued = {a: content_digest(["1号", "罚款"]), b: content_digest(["2号", "警告"])}
    current = {b: content_digest(["2号", "警告"]), c: content_digest(["3号", "罚款"])}
    changes = compare(issued, current)
    assert (changes.added, changes.removed, changes.corrected, changes.any) == (1, [a], 0, True)
    assert compare(issued, {**issued, b: content_digest(["2号", "警告（更正）"])}).corrected == 1
    assert not compare(issued, dict(issued)).any


def test_verdicts():
    assert verdict(True, False, False) == GENUINE
    assert verdict(False, True, False) == ALTERED
    assert verdict(False, False, True) == ALTERED
    assert verdict(False, False, False) == UNKNOWN


def test_lines_break_chinese_anywhere_keep_words_and_never_start_with_closing_punctuation():
    width = pdf.CELL_SIZE * 6  # six Chinese characters
    assert pdf.lines("宁波市市场监督管理局", width) == ["宁波市市场监", "督管理局"]
    assert pdf.lines("罚款人民币，共计", width) == ["罚款人民币，", "共计"]
    assert pdf.lines("日期2026-05-06", width)[-1] == "2026-05-06"
    assert all(not line.startswith(("，", "。")) for line in pdf.lines("一二三四五六，七八九十一二。三", width))
    assert pdf.lines("第一段\n第二段", width) == ["第一段", "第二段"]
    long = "A" * 40
    assert "".join(pdf.lines(long, width)) == long and len(pdf.lines(long, width)) > 1
