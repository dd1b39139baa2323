"""drop objections.verify_deadline: never written nor read (the deadline of every step is `deadline`)

Revision ID: 0009_issue11_verify_deadline
Revises: 0008_search_scale

The revision id is shorter than the file name: alembic_version keeps at most 32 characters.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_issue11_verify_deadline"
down_revision = "0008_search_scale"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("objections") as batch:
        batch.drop_column("verify_deadline")


def downgrade():
    with op.batch_alter_table("objections") as batch:
        batch.add_column(sa.Column("verify_deadline", sa.Date(), nullable=True))
