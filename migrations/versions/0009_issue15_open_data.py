"""open data: visibility events (records leaving or entering public view through a change), API keys

Revision ID: 0009_issue15_open_data
Revises: 0008_search_scale
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_issue15_open_data"
down_revision = "0009_issue13_grading"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "visibility_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("doc_no", sa.String(length=128), nullable=True),
        sa.Column("authority_uscc", sa.String(length=64), nullable=True),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visibility_events")),
    )
    op.create_index(op.f("ix_visibility_events_at"), "visibility_events", ["at"])
    op.create_index("ix_visibility_events_entity", "visibility_events", ["entity_type", "entity_id"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["staff_users.id"], name=op.f("fk_api_keys_created_by_id_staff_users")),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["staff_users.id"], name=op.f("fk_api_keys_revoked_by_id_staff_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )


def downgrade():
    op.drop_table("api_keys")
    op.drop_index("ix_visibility_events_entity", table_name="visibility_events")
    op.drop_index(op.f("ix_visibility_events_at"), table_name="visibility_events")
    op.drop_table("visibility_events")
