"""Report numbers and verification codes of issued credit reports.

A report number reads `XY-20261201-000123`: XY for a credit report (信用报告), ZY for a
special-purpose report (专用信用报告), the day of issue and a serial within that day and kind. The
verification code is random, printed on the report and in its QR link, and stored only as a hash:
the number alone (sequential, guessable) shows nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from portal.rules.receipts import CODE_ALPHABET, dated_number, normalise_code, normalise_number

PREFIXES = {"full": "XY", "special": "ZY"}
KINDS_BY_PREFIX = {v: k for k, v in PREFIXES.items()}
NUMBER_RE = re.compile(r"^(XY|ZY)-(\d{8})-(\d{6})$")
# Numbers inside a PDF file's bytes (its metadata), for telling an altered copy from a foreign file.
_NUMBER_IN_BYTES = re.compile(rb"(?:XY|ZY)-\d{8}-\d{6}")
CODE_LENGTH = 8  # 31**8 ≈ 8.5e11, with lookups rate-limited


def number(kind: str, day: dt.date, serial: int) -> str:
    return dated_number(PREFIXES[kind], day, serial)


def number_prefix(kind: str, day: dt.date) -> str:
    return f"{PREFIXES[kind]}-{day:%Y%m%d}-"


def kind_of(report_number: str) -> str | None:
    match = NUMBER_RE.match(report_number)
    return KINDS_BY_PREFIX[match.group(1)] if match else None


def tidy_number(text: str | None) -> str:
    """What was typed or scanned, tidied: upper case, full-width forms and spaces removed."""
    return normalise_number(text)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def tidy_code(text: str | None) -> str:
    return normalise_code(text)


def printed_code(code: str) -> str:
    """The code as printed, in two groups of four, easier to read aloud and type."""
    return f"{code[:4]}-{code[4:]}"


def numbers_in(data: bytes) -> list[str]:
    """Report numbers written anywhere in a file's raw bytes, first seen first."""
    seen: dict[str, None] = {}
    for match in _NUMBER_IN_BYTES.finditer(data):
        seen.setdefault(match.group().decode("ascii"), None)
    return list(seen)
