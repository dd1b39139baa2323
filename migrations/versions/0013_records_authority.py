"""licences and penalties: indexes on the deciding authority and on the penalty categories, so a
listing filtered to a rare one reads its records instead of walking every record newest first

Revision ID: 0013_records_authority
Revises: 0012_records_newest_first
"""

from alembic import op

revision = "0013_records_authority"
down_revision = "0012_records_newest_first"
branch_labels = None
depends_on = None

COLUMNS = (("licenses", "authority"), ("penalties", "authority"), ("penalties", "categories"))


def upgrade():
    for table, column in COLUMNS:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite gathers no statistics on its own: without them, it would take the new indexes
        # for the filters that need none.
        for table in ("licenses", "penalties"):
            op.execute(f"ANALYZE {table}")


def downgrade():
    for table, column in COLUMNS:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
