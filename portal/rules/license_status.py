"""A licence's status derived from its dates, beside the value the exchange reported (当前状态).

The exchange's 当前状态 is a snapshot taken when the row was sent: a licence whose 有效期至 has
passed may still say 有效 there. Like SAM.gov's exclusion status, the portal derives the status from
the dates on the day it is shown; only a revocation (撤销、注销、吊销...), which no date tells, is
taken from the exchange's value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

VALID, EXPIRED, NOT_YET, REVOKED, UNKNOWN = "valid", "expired", "not_yet_valid", "revoked", "unknown"
LABELS = {VALID: "有效", EXPIRED: "已过期", NOT_YET: "未生效", UNKNOWN: "有效期未载明"}
# Words of an exchange status that end a licence before its dates do.
ENDED = ("撤销", "注销", "吊销", "撤回", "废止", "终止", "失效", "无效")


@dataclass(frozen=True)
class Status:
    code: str
    label: str


def derive(
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    long_term: bool,
    exchange_status: str | None,
    on: dt.date,
) -> Status:
    reported = (exchange_status or "").strip()
    ended = next((word for word in ENDED if word in reported), None)
    if ended:
        return Status(REVOKED, "已" + ended if not reported.startswith("已") else reported[: len(ended) + 1])
    if valid_from is not None and on < valid_from:
        return Status(NOT_YET, LABELS[NOT_YET])
    if valid_to is not None and not long_term and on > valid_to:
        return Status(EXPIRED, LABELS[EXPIRED])
    if valid_to is not None or long_term:
        return Status(VALID, LABELS[VALID])
    return Status(UNKNOWN, LABELS[UNKNOWN])
