"""Verifying an issued report: is this file ours, unaltered; has the public record changed since?

Genuine means byte for byte what the portal issued (its SHA-256 was kept), or a number with its
verification code. A file that names one of our report numbers, or carries our signature, without
being byte-identical to an issued report has been altered. Anything else is unknown to the portal.

Has the public record changed since? Told without keeping removed content.

A report keeps, per record it contained, a keyed fingerprint of the record's public identity
(`penalty:123`) and a digest of what the report printed about it. Comparing those with the records
public now tells how many were added, how many left public view and how many were corrected; the
fingerprints alone cannot be turned back into records, and nothing of the records' content is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field

FINGERPRINT_HEX = 16


def record_key(record_type: str, record_id: int) -> str:
    return f"{record_type}:{record_id}"


def fingerprint(salt: str, key: str) -> str:
    return hmac.new(bytes.fromhex(salt), key.encode(), hashlib.sha256).hexdigest()[:FINGERPRINT_HEX]


def content_digest(printed: list[str]) -> str:
    """Digest of what a report printed about a record (its cells, without the 异议/修复 markers, which
    are a state, not content): a new field in the presenters does not make every record 'corrected'."""
    text = json.dumps(printed, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:FINGERPRINT_HEX]


@dataclass(frozen=True)
class Changes:
    added: int = 0
    removed: list[str] = field(default_factory=list)  # fingerprints of records no longer in the report
    corrected: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.corrected)


def compare(issued: dict[str, str], current: dict[str, str]) -> Changes:
    """`issued` and `current` map fingerprints to content digests."""
    return Changes(
        added=sum(1 for fp in current if fp not in issued),
        removed=sorted(fp for fp in issued if fp not in current),
        corrected=sum(1 for fp, digest in current.items() if fp in issued and issued[fp] != digest),
    )


GENUINE, ALTERED, UNKNOWN = "genuine", "altered", "unknown"


def verdict(digest_known: bool, names_known_number: bool, our_signature: bool) -> str:
    """What an uploaded file is: `our_signature` means a signature made with the portal's certificate,
    whether or not it still matches the bytes."""
    if digest_known:
        return GENUINE
    if names_known_number or our_signature:
        return ALTERED
    return UNKNOWN
