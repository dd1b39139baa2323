"""Who may apply for credit repair of a penalty, and from when (信用修复管理办法)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    message: str = ""
    possible_from: dt.date | None = None


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def repair_eligibility(
    *, is_person: bool, repair_from: dt.date, display_until: dt.date, on_display: bool, today: dt.date
) -> Eligibility:
    """May the penalised subject apply for repair today? A Chinese reason when not."""
    if is_person:
        return Eligibility(False, "信用修复申请仅适用于法人和非法人组织的行政处罚信息")
    if not on_display:
        return Eligibility(False, "该行政处罚信息当前不在公示期内，无需申请信用修复")
    if today < repair_from:
        return Eligibility(False, f"该处罚的最短公示期尚未届满，自{_cn(repair_from)}起方可申请信用修复", repair_from)
    if today > display_until:
        return Eligibility(False, "该行政处罚信息的公示期已届满，已不再公示，无需申请信用修复")
    return Eligibility(True)
