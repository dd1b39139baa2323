"""The kinds of published records staff enter and the public may object to: one table for all.

A kind names a licence, a penalty or a list entry wherever the code says `kind`, `record_type`
(objections) or `entity_type` (audit entries, revisions, search outbox).
"""

from __future__ import annotations

from portal.importer.headers import KIND_LABELS as FILE_KIND_LABELS
from portal.importer.headers import LICENSE, PENALTY
from portal.models import License, ListEntry, Penalty

LIST_ENTRY = "list_entry"
MODELS: dict[str, type[License] | type[Penalty] | type[ListEntry]] = {
    LICENSE: License,
    PENALTY: Penalty,
    LIST_ENTRY: ListEntry,
}
LABELS = {**FILE_KIND_LABELS, LIST_ENTRY: "名单"}
