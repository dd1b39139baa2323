"""open data: visibility events (records leaving or returning to public view through a change)

Revision ID: 0009_issue15_visibility_events
Revises: 0008_search_scale
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_issue15_visibility_events"
down_revision = "0008_search_scale"
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


def downgrade():
    op.drop_index("ix_visibility_events_entity", table_name="visibility_events")
    op.drop_index(op.f("ix_visibility_events_at"), table_name="visibility_events")
    op.drop_table("visibility_events")
