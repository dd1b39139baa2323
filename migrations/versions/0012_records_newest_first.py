"""licences and penalties: one index on (decided_on, id) instead of decided_on alone, so listings and
the home page read the newest records in order (PostgreSQL sorted a whole day's records by id)

Revision ID: 0012_records_newest_first
Revises: 0011_search_recency_order
"""
from alembic import op

revision = "0012_records_newest_first"
down_revision = "0011_search_recency_order"
branch_labels = None
depends_on = None

TABLES = ("licenses", "penalties")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f"ix_{table}_decided_on_id", ["decided_on", "id"], unique=False)
            batch_op.drop_index(f"ix_{table}_decided_on")


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f"ix_{table}_decided_on", ["decided_on"], unique=False)
            batch_op.drop_index(f"ix_{table}_decided_on_id")
