"""The portal's notion of 'today': the calendar day in China, whatever the server's time zone."""

import datetime as dt
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    return dt.datetime.now(CHINA)


def today() -> dt.date:
    return now().date()


def as_utc(value):
    """A stored time, zone attached: SQLite hands back naive datetimes, stored in UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def local_time(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time shown in China time (SQLite hands back naive UTC)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(CHINA).strftime(fmt)
