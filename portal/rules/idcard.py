"""Resident identity card numbers (GB 11643-1999)."""

from __future__ import annotations

import datetime as dt
import random

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

ID_CARD = "身份证"


def check_char(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=False)) % 11]


def validate(raw: str) -> list[str]:
    """Errors in Chinese; an empty list means the number is valid."""
    number = raw.strip().upper()
    if len(number) == 15 and number.isdigit():
        return []  # first-generation cards carry no check digit
    if len(number) != 18 or not number[:17].isdigit():
        return ["身份证号码应为18位（前17位为数字）"]
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return ["身份证号码中的出生日期无效"]
    if check_char(number[:17]) != number[17]:
        return ["身份证号码校验位错误"]
    return []


def generate(rng: random.Random, region: str = "330212") -> str:
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 55))
    first17 = f"{region}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + check_char(first17)
