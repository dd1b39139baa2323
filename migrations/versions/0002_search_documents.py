"""search documents for the PostgreSQL search backend

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Indexes that only PostgreSQL has (named ix_pg_*; the models do not describe them).
PG_ONLY = """
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE OR REPLACE FUNCTION portal_bigrams(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
    $$ SELECT coalesce(array_agg(DISTINCT substr(value, i, 2)), '{}')
       FROM generate_series(1, length(value) - 1) AS i $$;
CREATE INDEX ix_pg_search_documents_name_trgm ON search_documents USING gin (name_norm gin_trgm_ops);
CREATE INDEX ix_pg_search_documents_name_bigrams ON search_documents USING gin (portal_bigrams(name_norm));
CREATE INDEX ix_pg_search_documents_name_prefix ON search_documents (name_norm text_pattern_ops);
CREATE INDEX ix_pg_search_documents_text_trgm ON search_documents USING gin (text_norm gin_trgm_ops);
"""


def upgrade():
    op.create_table(
        "search_documents",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("name_norm", sa.String(length=200), nullable=True),
        sa.Column("code", sa.String(length=128), nullable=True),
        sa.Column("text_norm", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_search_documents")),
    )
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_documents_code"), ["code"], unique=False)
        batch_op.create_index("ix_search_documents_type_decided", ["type", "decided_on"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_ONLY.split(";\n"):
            if statement.strip():
                op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS portal_bigrams(text) CASCADE")
    op.drop_table("search_documents")
