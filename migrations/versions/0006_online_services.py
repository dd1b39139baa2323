"""online services: objection outcome, attachment purpose, serial counters

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "serial_counters",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_serial_counters")),
    )
    with op.batch_alter_table("objections") as batch:
        batch.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("purpose", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("purpose")
    with op.batch_alter_table("objections") as batch:
        batch.drop_column("outcome")
    op.drop_table("serial_counters")
