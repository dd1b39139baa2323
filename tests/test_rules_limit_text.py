from limits import parse

from portal.rules.limit_text import describe


def _said(text: str) -> str:
    item = parse(text)
    return describe(item.amount, item.multiples, item.GRANULARITY.name)


def test_rate_limits_are_said_in_chinese():
    assert _said("30 per 1 minute") == "每分钟最多30次"
    assert _said("500 per day") == "每天最多500次"
    assert _said("10 per 5 minutes") == "每5分钟最多10次"
    assert _said("20/hour") == "每小时最多20次"
