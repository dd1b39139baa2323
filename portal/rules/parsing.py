"""Parsing of dates, amounts and enumerations as they appear in exchange files."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

LONG_TERM = "长期"

_DATE_FORMS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    # US order written by Excel in some exports
    re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})$"),
)
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


class ParseError(ValueError):
    """Carries a Chinese message for the user."""


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _TIME_SUFFIX.sub("", str(value).strip())
    for form in _DATE_FORMS:
        m = form.match(text)
        if m:
            try:
                return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                break
    raise ParseError(f"日期“{value}”无效，应为YYYY-MM-DD格式")


def parse_date_or_long_term(value) -> tuple[dt.date | None, bool]:
    """(date, is_long_term); 长期 means open-ended."""
    if str(value).strip() == LONG_TERM:
        return None, True
    return parse_date(value), False


_AMOUNT = re.compile(r"^(?P<n>\d+(\.\d+)?)(?P<unit>万元|元)?$")
MAX_AMOUNT_DECIMALS = 6


def parse_amount_wan(value) -> Decimal:
    """An amount in 万元 with up to 6 decimals; '2000元' is accepted and converted."""
    text = str(value).strip().replace(",", "").replace("，", "")
    m = _AMOUNT.match(text)
    if not m:
        raise ParseError(f"金额“{value}”无效，应为以万元为单位的非负数")
    try:
        amount = Decimal(m["n"])
    except InvalidOperation:
        raise ParseError(f"金额“{value}”无效") from None
    if m["unit"] == "元":
        amount = amount / Decimal(10000)
    # normalize() alone would turn 100 into 1E+2
    amount = Decimal(format(amount.normalize(), "f"))
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_AMOUNT_DECIMALS:
        raise ParseError(f"金额“{value}”最多保留6位小数（单位：万元）")
    return amount


_MULTI_SEP = re.compile(r"[&;；、,，/|]+")


def split_multi(value: str) -> list[str]:
    """Several enumeration values joined in one cell: 警告&罚款, 警告;罚款."""
    return [part.strip() for part in _MULTI_SEP.split(value) if part.strip()]
