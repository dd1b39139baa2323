"""Unified social credit code (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]

# Inner check of the 9-character organisation code (GB 11714).
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass
class UsccCheck:
    code: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalise(code: str) -> str:
    return code.strip().upper()


def check_char(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=False))
    return CHARSET[(31 - total % 31) % 31]


_ORG_VALUE = {c: int(c, 36) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def org_check_char(first8: str) -> str:
    c = 11 - sum(_ORG_VALUE[ch] * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=False)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def validate(raw: str) -> UsccCheck:
    """Full check: a wrong 18th character is an error, a wrong inner check a warning."""
    code = normalise(raw)
    errors, warnings = _check(code)
    return UsccCheck(code, list(errors), list(warnings))


@lru_cache(maxsize=65536)
def _check(code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    # Cached: an import checks the same few authority codes on every row.
    if len(code) != 18:
        return (f"统一社会信用代码应为18位，实际为{len(code)}位",), ()
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        return (f"统一社会信用代码含有非法字符：{''.join(bad)}",), ()
    if check_char(code[:17]) != code[17]:
        return ("统一社会信用代码校验位错误",), ()
    if org_check_char(code[8:16]) != code[16]:
        return (), ("统一社会信用代码中组织机构代码校验位不符",)
    return (), ()


def is_valid(raw: str) -> bool:
    return validate(raw).ok


def region_code(code: str) -> str | None:
    """The 6-digit administrative region code (positions 3-8)."""
    code = normalise(code)
    region = code[2:8]
    return region if len(code) == 18 and region.isdigit() else None


def generate(rng: random.Random, region: str = "330212", authority: str = "9", entity: str = "1") -> str:
    """A code valid under both checks, for demo data and tests."""
    body = "".join(rng.choice(CHARSET) for _ in range(8))
    first17 = authority + entity + region + body + org_check_char(body)
    return first17 + check_char(first17)


def find_code_conflicts(pairs) -> dict[str, set[str]]:
    """重错码, first kind: codes attached to more than one (normalised) name.

    `pairs` is an iterable of (code, name); returns {code: {names}} for the conflicts.
    """
    from portal.rules.text import normalise_name

    names: dict[str, dict[str, str]] = {}
    for code, name in pairs:
        if not code:
            continue
        names.setdefault(normalise(code), {}).setdefault(normalise_name(name), name)
    return {code: set(seen.values()) for code, seen in names.items() if len(seen) > 1}


def find_invalid_codes(codes) -> dict[str, list[str]]:
    """重错码, second kind: codes failing the check, with the reasons."""
    out = {}
    for code in codes:
        if code:
            result = validate(code)
            if not result.ok:
                out[result.code] = result.errors
    return out
