"""The portal's notion of 'today': the calendar day in China, whatever the server's time zone."""

import datetime as dt
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    return dt.datetime.now(CHINA)


def today() -> dt.date:
    return now().date()
