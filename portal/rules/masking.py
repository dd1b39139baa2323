"""Masking of personal data. Every output channel goes through these functions.

Free text is matched on a folded copy (full-width digits and letters, traditional characters,
spaces between Chinese characters removed) whose characters map back to the original, so that
`330204 19900101 0029`, `１３８.１２３４.５６７９` or `張 偉` are found and masked where they stand.
"""

from __future__ import annotations

import re
from functools import lru_cache

from portal.rules import person_names
from portal.rules.surnames import COMPOUND_SURNAMES
from portal.rules.text import fold_char

MASK = "*"


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


_SEP = r"[\s\-.·_]"
# ID numbers: 18 characters (last may be X) or 15 digits, separators allowed between digits, letters
# allowed around them (ID3302...), never inside a longer digit run.
_ID_IN_TEXT = re.compile(rf"(?<!\d)(\d(?:{_SEP}?\d){{16}}{_SEP}?[\dXx]|\d(?:{_SEP}?\d){{14}})(?![\dXx]?\d)")
_MOBILE_IN_TEXT = re.compile(rf"(?<![\d+])((?:\+|00)?86{_SEP}?)?(1[3-9]\d(?:{_SEP}?\d){{8}})(?!\d)")
# Landlines: area code (3-4 digits, may be bracketed), 7-8 digit number, optional extension (转, -, ext).
_LANDLINE_IN_TEXT = re.compile(
    rf"(?<!\d)(\(0\d{{2,3}}\)|0\d{{2,3}})\s?{_SEP}?\s?([2-9]\d{{2,3}}{_SEP}?\d{{4}})(?!\d)"
    r"((?:\s?(?:转|-|分机|ext\.?)\s?)(\d{1,6}))?"
)
_BIRTH_DATE = re.compile(r"(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")
_OLD_BIRTH_DATE = re.compile(r"19[2-9]\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")


def _looks_like_id(number: str) -> bool:
    """A plausible birth date where an ID number has it; all-digit USCCs mostly fail this."""
    if len(number) == 18:
        return bool(_BIRTH_DATE.fullmatch(number[6:14]))
    return bool(_OLD_BIRTH_DATE.fullmatch("19" + number[6:12]))


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


class _FoldTable(dict):
    """ord -> the character folded (`fold_char`), filled as characters are met."""

    def __missing__(self, code: int) -> str:
        self[code] = value = fold_char(chr(code))
        return value


class _IrregularTable(dict):
    """ord -> "" for a character that folds to exactly one character, else the character itself."""

    def __missing__(self, code: int) -> str:
        self[code] = value = "" if len(_FOLD[code]) == 1 else chr(code)
        return value


_FOLD = _FoldTable()
_IRREGULAR = _IrregularTable()
_SPACE = re.compile(r"\s")


def _folded(text: str) -> tuple[str, list[int]]:
    """The text folded for matching, and for each of its characters the index it came from."""
    if not _SPACE.search(text) and not text.translate(_IRREGULAR):
        # Every character folds to one character: positions stay (the common case, done in C).
        return text.translate(_FOLD), list(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace() and chars and _is_han(chars[-1]):
            following = next((c for c in text[i + 1 :] if not c.isspace()), "")
            if _is_han(fold_char(following)[:1] or " "):
                continue  # 王 小明 -> 王小明
        for out in fold_char(ch):
            chars.append(out)
            origin.append(i)
    return "".join(chars), origin


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit() or c in "Xx")


def _name_replacement(original: str, surname: int) -> str:
    kept, out = 0, []
    for ch in original:
        if ch.isspace():
            out.append(ch)
        elif kept < surname:
            out.append(ch)
            kept += 1
        else:
            out.append(MASK)
    return "".join(out)


def _spans(folded: str, person_names_: tuple[str, ...], find_names: bool) -> list[tuple[int, int, str | int]]:
    """(start, end, what) in folded text; `what` is a replacement, or a surname length for names."""
    spans: list[tuple[int, int, str | int]] = []
    for m in _ID_IN_TEXT.finditer(folded):
        number = _digits(m[1])
        if _looks_like_id(number):
            spans.append((m.start(1), m.end(1), mask_id_number(number)))
    for m in _MOBILE_IN_TEXT.finditer(folded):
        number = _digits(m[2])
        spans.append((m.start(2), m.end(2), f"{number[:3]}{MASK * 4}{number[-4:]}"))
    for m in _LANDLINE_IN_TEXT.finditer(folded):
        number = _digits(m[2])
        spans.append((m.start(2), m.end(2), MASK * (len(number) - 4) + number[-4:]))
        if m[4]:
            spans.append((m.start(4), m.end(4), MASK * len(m[4])))
    for name in person_names_:
        key, _ = _folded(name or "")
        key = "".join(key.split())
        if len(key) < 2:
            continue
        surname = 2 if len(key) > 2 and key[:2] in COMPOUND_SURNAMES else 1
        start = folded.find(key)
        while start >= 0:
            spans.append((start, start + len(key), surname))
            start = folded.find(key, start + 1)
    if find_names:
        spans += person_names.find(folded)
    return spans


def mask_numbers(text: str | None) -> str:
    """Mask ID numbers and phone numbers only: for editorial text, where names are the editors' call."""
    return mask_text(text, find_names=False)


def mask_text(text: str | None, person_names_: tuple[str, ...] = (), find_names: bool = True) -> str:
    """Mask ID numbers, mobile and landline numbers, the given persons' names and every other
    person's name recognised in free text."""
    if not text:
        return text or ""
    if len(text) <= _CACHED_LENGTH:
        return _masked_short(text, tuple(person_names_), find_names)
    return _masked(text, tuple(person_names_), find_names)


# Short texts (违法行为类型, 依据, 证书名称...) repeat across the thousands of records the index
# worker presents in a row; masking is a pure function, so they are masked once. Long ones (facts)
# rarely repeat and would fill the memory: at most 4096 × 300 characters are kept.
_CACHED_LENGTH = 300


@lru_cache(maxsize=4096)
def _masked_short(text: str, person_names_: tuple[str, ...], find_names: bool) -> str:
    return _masked(text, person_names_, find_names)


def _masked(text: str, person_names_: tuple[str, ...], find_names: bool) -> str:
    folded, origin = _folded(text)
    spans = _spans(folded, tuple(n for n in person_names_ if n), find_names)
    if not spans:
        return text
    # Widest first at each start, so that 张三丰 wins over 张三; overlapping spans are merged away.
    chosen: list[tuple[int, int, str | int]] = []
    for start, end, what in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if chosen and start < chosen[-1][1]:
            last = chosen[-1]
            if end > last[1] and isinstance(last[2], int) and isinstance(what, int):
                chosen[-1] = (last[0], end, last[2])
            continue
        chosen.append((start, end, what))
    out, cursor = [], 0
    for start, end, what in chosen:
        o_start, o_end = origin[start], origin[end - 1] + 1
        out.append(text[cursor:o_start])
        original = text[o_start:o_end]
        out.append(_name_replacement(original, what) if isinstance(what, int) else what)
        cursor = o_end
    out.append(text[cursor:])
    return "".join(out)
