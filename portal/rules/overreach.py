"""Guard against things that are not credit information (spec section 9).

Without a law that says so, petitions, demolition disputes, running red lights, uncivilised
dog-keeping, unpaid property fees and not sorting garbage must not enter a credit record.
"""

from __future__ import annotations

import re

_TOPICS = (
    ("信访", re.compile(r"信访|上访|缠访|闹访|越级访")),
    ("征收拆迁纠纷", re.compile(r"拆迁|征收补偿|强拆")),
    ("闯红灯", re.compile(r"闯红灯|闯信号灯|违反交通信号灯|不按交通信号灯")),
    ("不文明养犬", re.compile(r"养犬|遛狗|犬只|未束犬链|未拴犬绳")),
    ("拖欠物业费", re.compile(r"物业费|物业服务费|物业管理费")),
    ("垃圾分类", re.compile(r"垃圾分类|未分类投放|分类投放")),
)


def forbidden_topic(*texts: str | None) -> str | None:
    """The name of the forbidden topic the texts describe, or None."""
    for label, pattern in _TOPICS:
        if any(t and pattern.search(t) for t in texts):
            return label
    return None


def refusal_message(topic: str) -> str:
    return f"该记录涉及“{topic}”，依据有关规定不属于公共信用信息，不得纳入信用记录"
