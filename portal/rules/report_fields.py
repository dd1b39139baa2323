"""Fields (领域) of the special-purpose credit report: which deciding authorities belong to which field.

The mapping is configuration (a TOML file, `PORTAL_REPORT_FIELDS`), read and checked here. An
authority belongs to the first field that lists its USCC or a word of its name; records of
authorities no field claims are reported under 其他领域, so nothing found is left out.

By default a field reports exactly what the public may see today within the period. A field may
also count penalties whose publicity period has ended (`include_expired = true`) only when it cites
the rule that requires it (`rule = "..."`); repaired or withdrawn records are never counted.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

OTHER = "其他领域"


class FieldConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Field:
    name: str
    keywords: tuple[str, ...] = ()
    usccs: tuple[str, ...] = ()
    include_expired: bool = False
    rule: str = ""

    def claims(self, authority: str, authority_uscc: str | None) -> bool:
        if authority_uscc and authority_uscc.upper() in self.usccs:
            return True
        return any(word in (authority or "") for word in self.keywords)


def _strings(entry: dict, key: str, name: str) -> tuple[str, ...]:
    values = entry.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise FieldConfigError(f"领域「{name}」的 {key} 应为非空字符串列表")
    return tuple(v.strip() for v in values)


def parse(data: dict) -> tuple[Field, ...]:
    entries = data.get("field")
    if not isinstance(entries, list) or not entries:
        raise FieldConfigError("领域配置中没有任何 [[field]]")
    fields, names = [], set()
    for entry in entries:
        name = str(entry.get("name", "")).strip()
        if not name or name == OTHER or name in names:
            raise FieldConfigError(f"领域名称缺失、重复或与「{OTHER}」相同：{name!r}")
        names.add(name)
        keywords, usccs = _strings(entry, "authorities", name), _strings(entry, "authority_usccs", name)
        if not keywords and not usccs:
            raise FieldConfigError(f"领域「{name}」没有列出任何决定机关")
        include_expired = entry.get("include_expired", False)
        rule = str(entry.get("rule", "")).strip()
        if include_expired is not True and include_expired is not False:
            raise FieldConfigError(f"领域「{name}」的 include_expired 应为 true 或 false")
        if include_expired and not rule:
            raise FieldConfigError(f"领域「{name}」计入公示期满的处罚信息，须在 rule 中写明依据")
        fields.append(Field(name, keywords, tuple(u.upper() for u in usccs), include_expired, rule))
    return tuple(fields)


def load(path: str | Path) -> tuple[Field, ...]:
    with open(path, "rb") as f:
        try:
            return parse(tomllib.load(f))
        except tomllib.TOMLDecodeError as e:
            raise FieldConfigError(f"领域配置文件 {path} 格式错误：{e}") from e


def field_of(fields: tuple[Field, ...], authority: str, authority_uscc: str | None) -> Field | None:
    """The field an authority belongs to, or None (reported under OTHER)."""
    return next((f for f in fields if f.claims(authority, authority_uscc)), None)
