"""Masking of personal data. Every output channel goes through these functions."""

from __future__ import annotations

import re

MASK = "*"

# Two-character surnames, so that 欧阳修 becomes 欧阳* and not 欧**.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "钟离",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "澹台",
        "公冶",
        "宗政",
        "濮阳",
        "淳于",
        "单于",
        "太叔",
        "申屠",
        "仲孙",
        "闻人",
        "万俟",
        "赫连",
        "呼延",
        "百里",
        "东郭",
        "左丘",
        "梁丘",
        "拓跋",
        "司空",
        "司寇",
        "第五",
        "鲜于",
        "闾丘",
        "公羊",
        "谷梁",
        "羊舌",
        "微生",
        "乐正",
        "壤驷",
        "公良",
        "漆雕",
        "巫马",
    ]
)


def mask_id_number(number: str | None) -> str:
    """Keep the first 3 and last 4 characters: 110***********1234."""
    if not number:
        return ""
    n = number.strip()
    if len(n) <= 7:
        return MASK * len(n)
    return n[:3] + MASK * (len(n) - 7) + n[-4:]


def mask_person_name(name: str | None) -> str:
    """Keep the surname: 张*, 欧阳**."""
    if not name:
        return ""
    n = name.strip()
    keep = 2 if len(n) > 2 and n[:2] in COMPOUND_SURNAMES else 1
    return n[:keep] + MASK * (len(n) - keep)


def mask_phone(phone: str | None) -> str:
    """Keep the first 3 and last 4 digits: 138****5678; separators are kept."""
    if not phone:
        return ""
    digits = [i for i, c in enumerate(phone) if c.isdigit()]
    if len(digits) <= 7:
        return "".join(MASK if c.isdigit() else c for c in phone)
    hidden = set(digits[3:-4])
    return "".join(MASK if i in hidden else c for i, c in enumerate(phone))


# 18-character ID numbers (last may be X) and 15-digit first-generation ones, not inside longer digit runs.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")


_BIRTH_DATE = re.compile(r"(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")


def _looks_like_id(number: str) -> bool:
    """A plausible birth date where an ID number has it; all-digit USCCs mostly fail this."""
    return bool(_BIRTH_DATE.fullmatch(number[6:14] if len(number) == 18 else "19" + number[6:12]))


def mask_text(text: str | None, person_names: tuple[str, ...] = ()) -> str:
    """Mask ID numbers, mobile numbers and the given persons' names inside free text."""
    if not text:
        return text or ""
    out = _ID_IN_TEXT.sub(lambda m: mask_id_number(m[1]) if _looks_like_id(m[1]) else m[1], text)
    out = _MOBILE_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(3)}", out)
    # Longer names first, so that 张三 inside 张三丰 does not leave 丰 showing.
    for name in sorted(person_names, key=lambda n: len(n or ""), reverse=True):
        if name and len(name.strip()) >= 2:
            out = out.replace(name.strip(), mask_person_name(name))
    return out
