"""A rate limit as people read it: "30 per 1 minute" becomes "每分钟最多30次"."""

from __future__ import annotations

UNITS = {"second": "秒", "minute": "分钟", "hour": "小时", "day": "天", "month": "个月", "year": "年"}


def describe(amount: int, multiples: int, unit: str) -> str:
    """amount allowed per `multiples` units of `unit` (the granularity names of the limits library)."""
    per = UNITS[unit] if multiples == 1 else f"{multiples}{UNITS[unit]}"
    return f"每{per}最多{amount}次"
