"""The national category lists of the 双公示 standard: licence categories and penalty categories.

Penalty categories are in the order of the 2021 行政处罚法 art. 9; joined categories keep this order.
"""

LICENSE_CATEGORIES = ("普通", "特许", "认可", "核准", "登记", "其他")
PENALTY_CATEGORIES = (
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
    "其他",
)
