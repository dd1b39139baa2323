"""industry (所属行业) of subjects and double-publicity records; records' publication time indexed

Revision ID: 0009_issue13_industry
Revises: 0008_search_scale

Statistics count records per industry and grading evaluates subjects per industry; both group by
these columns, hence the indexes. The timeliness indicator selects records published in a period.
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_issue13_industry"
down_revision = "0009_issue11_verify_deadline"
branch_labels = None
depends_on = None

TABLES = ("licenses", "penalties", "subjects")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("industry", sa.String(length=32), nullable=True))
            batch.create_index(batch.f(f"ix_{table}_industry"), ["industry"], unique=False)
            if table != "subjects":
                batch.create_index(f"ix_{table}_published_at", ["published_at"], unique=False)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            if table != "subjects":
                batch.drop_index(f"ix_{table}_published_at")
            batch.drop_index(batch.f(f"ix_{table}_industry"))
            batch.drop_column("industry")
