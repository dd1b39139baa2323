"""audit log append-only in the database

Revision ID: 0005
Revises: 0004

The ORM already refuses to update or delete an AuditLog (portal/models/audit.py); this makes the
database refuse too, whatever client connects: a row trigger raising on UPDATE and DELETE.

PostgreSQL: UPDATE and DELETE are refused. TRUNCATE fires no row trigger (the test suite empties
tables with it); in production also REVOKE UPDATE, DELETE, TRUNCATE ON audit_log from the
application's role.
SQLite (development and demo databases): UPDATE only, so that a plain DELETE can still empty the
tables between tests.
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PG_UP = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit log is append-only: ' || TG_OP || ' refused',
                          ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
DROP FUNCTION IF EXISTS audit_log_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_log_no_update"


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(PG_UP)
    elif dialect == "sqlite":
        op.execute(SQLITE_UP)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(PG_DOWN)
    elif dialect == "sqlite":
        op.execute(SQLITE_DOWN)
