"""stored presentations: each public record's masked view, kept by the search indexer; a GIN index on
the items of a penalty's 处罚类别 (PostgreSQL) for the filtered listing

Revision ID: 0010_i12_presentations
Revises: 0009_issue15_open_data
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_i12_presentations"
down_revision = "0010_i15_search_initials"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "record_presentations",
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("record_updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject_updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hidden", sa.Text(), nullable=False),
        sa.Column("view", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("type", "entity_id", name=op.f("pk_record_presentations")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_pg_penalties_category_items ON penalties USING gin (string_to_array(categories, ';'))"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_pg_penalties_category_items")
    op.drop_table("record_presentations")
