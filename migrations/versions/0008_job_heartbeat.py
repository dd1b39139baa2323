"""import runs: heartbeat of the job that loads them

Revision ID: 0008_job_heartbeat
Revises: 0008_audit_truncate

Web imports run as jobs outside the web workers; a job writes its heartbeat after every batch, so a
run whose job was killed is recognised and marked failed instead of staying "running" forever.
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_job_heartbeat"
down_revision = "0008_audit_truncate"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("import_runs") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("import_runs") as batch:
        batch.drop_column("heartbeat_at")
