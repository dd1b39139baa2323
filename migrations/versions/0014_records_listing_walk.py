"""licences and penalties: the newest-first index and the authority index also hold the columns a
listing's public rule and filters test, so a listing walking many records to find a rare
combination of filters, or reading a rare authority's records, reads index entries, not rows

Revision ID: 0014_records_listing_walk
Revises: 0013_records_authority
"""

from alembic import op

revision = "0014_records_listing_walk"
down_revision = "0013_records_authority"
branch_labels = None
depends_on = None

COLUMNS = {
    "licenses": ["decided_on", "id", "state", "category", "subject_id"],
    "penalties": ["decided_on", "id", "state", "display_until", "categories", "subject_id"],
}


def upgrade():
    for table, columns in COLUMNS.items():
        op.create_index(f"ix_{table}_listing", table, columns, unique=False)
        op.drop_index(f"ix_{table}_decided_on_id", table_name=table)
        op.drop_index(f"ix_{table}_authority", table_name=table)
        op.create_index(f"ix_{table}_authority", table, ["authority", *columns], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        for table in COLUMNS:
            op.execute(f"ANALYZE {table}")


def downgrade():
    for table in COLUMNS:
        op.drop_index(f"ix_{table}_authority", table_name=table)
        op.create_index(f"ix_{table}_authority", table, ["authority"], unique=False)
        op.create_index(f"ix_{table}_decided_on_id", table, ["decided_on", "id"], unique=False)
        op.drop_index(f"ix_{table}_listing", table_name=table)
