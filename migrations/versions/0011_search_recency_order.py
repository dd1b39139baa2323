"""search documents: records newest first through one btree (PostgreSQL), so a common word's newest
records are read in order instead of sorting every match; it replaces the (type, decided_on) index,
which could not order two types together and joined every GIN lookup as a bitmap of all records

Revision ID: 0011_search_recency_order
Revises: 0010_i12_presentations
"""
from alembic import op

revision = "0011_search_recency_order"
down_revision = "0010_i12_presentations"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_search_documents_type_decided")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_pg_search_documents_recency ON search_documents (decided_on, entity_id) "
            "WHERE decided_on IS NOT NULL"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_pg_search_documents_recency")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index("ix_search_documents_type_decided", ["type", "decided_on"], unique=False)
