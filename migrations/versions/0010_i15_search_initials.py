"""search: pinyin initials keys of subjects in the PostgreSQL search documents

Revision ID: 0010_i15_search_initials
Revises: 0009_issue15_open_data

A query written as pinyin initials (NBJG) looks its key up in a column of its own, never in the
name, so a Chinese query cannot match through initials. The documents already in the table have no
keys: forgetting the recorded index generation makes the indexer rebuild them on its next sync
(searches answer from the database meanwhile, as during any rebuild).
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_i15_search_initials"
down_revision = "0010_i13_projects"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("initials", sa.Text(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_pg_search_documents_initials ON search_documents "
            "USING gin (string_to_array(initials, ' ')) WHERE initials IS NOT NULL"
        )
    # Every backend's index was built without initials: rebuild it (PostgreSQL through this state;
    # the file backends also see their generation's format).
    op.execute("DELETE FROM search_index_state")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_pg_search_documents_initials")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_column("initials")
