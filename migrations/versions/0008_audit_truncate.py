"""audit log: TRUNCATE refused as well

Revision ID: 0008_audit_truncate
Revises: 0008_sessions

Row triggers do not fire on TRUNCATE; a statement trigger does. The owner of the tables can still
disable triggers, so the application connects as a role that owns nothing (`portal grant-app-role`).
"""
from alembic import op

revision = "0008_audit_truncate"
down_revision = "0008_sessions"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
