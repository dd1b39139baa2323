"""Receipt numbers and query codes of online submissions.

A receipt number reads `YY-20261122-000123`: a prefix per kind (承诺 CN, 异议 YY, 修复 XF), the day of
submission and a serial within that day and kind. The query code is what proves the applicant holds
the receipt: it is derived from the form's one-off submission token with a keyed hash, so that a
resubmitted form (double click, browser refresh) can show the same code again, while nobody without
the token and the secret key can compute it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

PREFIXES = {"commitment": "CN", "objection": "YY", "repair": "XF"}
KINDS_BY_PREFIX = {v: k for k, v in PREFIXES.items()}
NUMBER_RE = re.compile(r"^(CN|YY|XF)-(\d{8})-(\d{6})$")
# No 0/O, 1/I/L: codes are read off paper and typed in again.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10  # 31**10 ≈ 8e14 codes


def number(kind: str, day: dt.date, serial: int) -> str:
    return dated_number(PREFIXES[kind], day, serial)


def dated_number(prefix: str, day: dt.date, serial: int) -> str:
    """`PP-YYYYMMDD-NNNNNN`: receipts here, credit reports in rules.report_numbers."""
    if not 0 < serial < 1_000_000:
        raise ValueError("serial out of range")
    return f"{prefix}-{day:%Y%m%d}-{serial:06d}"


def number_prefix(kind: str, day: dt.date) -> str:
    """Common start of a kind's numbers on one day; the serial follows it."""
    return f"{PREFIXES[kind]}-{day:%Y%m%d}-"


def normalise_number(text: str | None) -> str:
    """What the applicant typed, tidied: upper case, full-width forms and stray spaces removed."""
    if not text:
        return ""
    folded = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in text)
    return re.sub(r"\s+", "", folded).upper().replace("—", "-").replace("－", "-")


def kind_of(receipt_number: str) -> str | None:
    match = NUMBER_RE.match(receipt_number)
    return KINDS_BY_PREFIX[match.group(1)] if match else None


def query_code(secret: str | bytes, submission_token: str) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, b"query-code:" + submission_token.encode(), hashlib.sha256).digest()
    value = int.from_bytes(digest, "big")
    chars = []
    for _ in range(CODE_LENGTH):
        value, index = divmod(value, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    return "".join(chars)


def normalise_code(text: str | None) -> str:
    return normalise_number(text).replace("-", "")
