"""statistics aggregates: published records per day and dimension, timeliness per publication day,
the refresh state; indexes for the refresh (updated_at) and the list drill-downs (removed_on)

Revision ID: 0010_i13s_stat_aggregates
Revises: 0009_issue15_open_data
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_i13s_stat_aggregates"
down_revision = "0009_issue15_open_data"
branch_labels = None
depends_on = None


def _dimensions():
    return [
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("industry", sa.String(length=32), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=True),
    ]


def upgrade():
    op.create_table(
        "stat_record_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("display_until", sa.Date(), nullable=True),
        *_dimensions(),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("subject_kind", sa.String(length=32), nullable=False),
        sa.Column("subject_industry", sa.String(length=32), nullable=True),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stat_record_days")),
    )
    op.create_index(op.f("ix_stat_record_days_decided_on"), "stat_record_days", ["decided_on"])
    op.create_table(
        "stat_timely_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("workdays", sa.Integer(), nullable=False),
        *_dimensions(),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stat_timely_days")),
    )
    op.create_index(op.f("ix_stat_timely_days_published_on"), "stat_timely_days", ["published_on"])
    op.create_table(
        "stat_state",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_stat_state")),
    )
    # The drill-downs and the indicators that stay row-based filter on these.
    op.create_index(op.f("ix_list_entries_removed_on"), "list_entries", ["removed_on"])
    # The refresh finds the records and subjects changed since the last one.
    for table in ("licenses", "penalties", "subjects"):
        op.create_index(f"ix_{table}_updated_at", table, ["updated_at"])


def downgrade():
    for table in ("licenses", "penalties", "subjects"):
        op.drop_index(f"ix_{table}_updated_at", table_name=table)
    op.drop_index(op.f("ix_list_entries_removed_on"), table_name="list_entries")
    op.drop_table("stat_state")
    op.drop_index(op.f("ix_stat_timely_days_published_on"), table_name="stat_timely_days")
    op.drop_table("stat_timely_days")
    op.drop_index(op.f("ix_stat_record_days_decided_on"), table_name="stat_record_days")
    op.drop_table("stat_record_days")
