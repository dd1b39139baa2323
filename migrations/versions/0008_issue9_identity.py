"""record identity and publicity: other names of a subject's code; deadlines past the legal maximum

Revision ID: 0008_issue9_identity
Revises: 0007
"""

import calendar
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0008_issue9_identity"
down_revision = "0007"
branch_labels = None
depends_on = None

# severity -> maximum months on display (portal.rules.publicity at the time of this migration)
_MAXIMUM = {"轻微": 3, "一般": 12, "严重": 36}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def upgrade():
    op.create_table(
        "subject_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_norm", sa.String(length=200), nullable=False),
        sa.Column("first_seen_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["subject_id"], ["subjects.id"], name=op.f("fk_subject_names_subject_id_subjects")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_names")),
        sa.UniqueConstraint("subject_id", "name_norm", name="uq_subject_names_subject_name"),
    )
    op.create_index(op.f("ix_subject_names_subject_id"), "subject_names", ["subject_id"])
    op.create_index(op.f("ix_subject_names_status"), "subject_names", ["status"])
    # A 公示截止期 past the legal maximum kept records public too long: end them at the maximum.
    penalties = sa.table(
        "penalties",
        sa.column("id", sa.Integer),
        sa.column("severity", sa.String),
        sa.column("decided_on", sa.Date),
        sa.column("display_until", sa.Date),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(penalties.c.id, penalties.c.severity, penalties.c.decided_on, penalties.c.display_until))
    for row in rows.fetchall():
        longest = _add_months(row.decided_on, _MAXIMUM.get(row.severity or "一般", 12))
        if row.display_until > longest:
            conn.execute(sa.update(penalties).where(penalties.c.id == row.id).values(display_until=longest))


def downgrade():
    op.drop_index(op.f("ix_subject_names_status"), table_name="subject_names")
    op.drop_index(op.f("ix_subject_names_subject_id"), table_name="subject_names")
    op.drop_table("subject_names")
