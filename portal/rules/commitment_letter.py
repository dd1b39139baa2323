"""The standard letter of a credit commitment (信用承诺书), one per commitment type.

Every letter carries the five standard undertakings; the type adds what is promised in particular.
The text is filed with the commitment exactly as shown to the committer.
"""

from __future__ import annotations

STANDARD_UNDERTAKINGS = (
    "所提供的材料合法、真实、准确、完整，无虚假记载、误导性陈述或重大遗漏；",
    "严格遵守国家法律、法规、规章和政策规定，依法诚信从事生产经营活动；",
    "如违反承诺，自愿承担本承诺书载明的违诺责任及相应法律责任；",
    "自愿接受行政主管部门和社会公众的监督；",
    "同意将本承诺书及履约情况记入信用记录，并依法依规向社会公开。",
)

TYPE_UNDERTAKINGS = {
    "审批替代型": "已知晓审批替代事项的全部条件和要求，承诺在规定期限内满足上述条件。",
    "容缺受理型": "承诺在约定期限内补齐容缺材料，逾期未补齐的，同意撤回申请或撤销相关决定。",
    "证明事项告知承诺": "已知晓告知的证明义务和证明内容，承诺符合告知的条件，愿意承担不实承诺的法律责任。",
    "信用修复型": "已履行行政处罚规定的义务，已纠正失信行为、消除不良影响；承诺今后不再发生同类失信行为。"
    "如违反本承诺，相关行政处罚信息按最长公示期限予以公示。",
    "行业自律型": "遵守行业自律公约和行业规范，公平竞争，不损害消费者和同行合法权益。",
    "主动型": "主动向社会作出信用承诺，自觉接受监督，诚信守法经营。",
    "其他": "严格履行本承诺书所列事项。",
}

DEFAULT_LIABILITY = (
    "如违反承诺，愿意承担相应法律责任，接受行政主管部门依法依规作出的处理，并同意将违诺情况记入信用记录、依法公开。"
)
REPAIR_LIABILITY = "如违反本承诺，相关行政处罚信息按最长公示期限予以公示，并依法依规承担相应责任。"


def letter_text(commitment_type: str, committer: str, matter: str, acceptor: str) -> str:
    """The letter as filed: who promises what to whom, the standard and the type's undertakings."""
    if commitment_type not in TYPE_UNDERTAKINGS:
        raise ValueError(f"unknown commitment type: {commitment_type}")
    lines = [
        "信用承诺书",
        f"承诺类型：{commitment_type}",
        f"承诺主体：{committer}",
        f"受理单位：{acceptor}",
        f"承诺事由：{matter}",
        "本单位郑重承诺：",
    ]
    lines += [f"{i}. {text}" for i, text in enumerate(STANDARD_UNDERTAKINGS, 1)]
    lines.append(f"{len(STANDARD_UNDERTAKINGS) + 1}. {TYPE_UNDERTAKINGS[commitment_type]}")
    return "\n".join(lines)


def template_letters() -> dict[str, str]:
    """Each type's letter with placeholders, shown on the form before anything is typed."""
    return {t: letter_text(t, "（承诺主体名称）", "（承诺事由）", "（受理单位）") for t in TYPE_UNDERTAKINGS}


def commitment_code(region_code: str, day, serial: int) -> str:
    """承诺编码: 6-digit region + 8-digit date + 6-digit serial."""
    if len(region_code) != 6 or not region_code.isdigit():
        raise ValueError("region code must be 6 digits")
    if not 0 < serial < 1_000_000:
        raise ValueError("serial out of range")
    return f"{region_code}{day:%Y%m%d}{serial:06d}"
