"""licences, penalties and subjects: indexes by id holding what a page of search results checks
(the public rule, the record's and its subject's versions), and a subject's penalties with the
public rule's columns and their 文书号; a page of hits then reads small index entries, not the
scattered rows of a million records

Revision ID: 0016_search_page_reads
Revises: 0015_records_category_walk
"""

from alembic import op

revision = "0016_search_page_reads"
down_revision = "0015_records_category_walk"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_licenses_shown": ("licenses", ["id", "state", "decided_on", "updated_at", "subject_id", "project_id"]),
    "ix_penalties_shown": (
        "penalties",
        ["id", "state", "decided_on", "display_until", "updated_at", "subject_id", "project_id"],
    ),
    "ix_penalties_subject_hidden": ("penalties", ["subject_id", "state", "decided_on", "display_until", "doc_no"]),
    "ix_subjects_shown": ("subjects", ["id", "updated_at"]),
}


def upgrade():
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, unique=False)
    if op.get_bind().dialect.name == "sqlite":
        for table in ("licenses", "penalties", "subjects"):
            op.execute(f"ANALYZE {table}")


def downgrade():
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
