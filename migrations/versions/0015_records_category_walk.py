"""licences and penalties: an index of each category that holds the listing's order and every
other filter's columns, so a listing filtered to a rare category (or a category and a district)
reads the category's index entries in order, not rows (on PostgreSQL too, replacing the GIN
index of the penalty category items, whose bitmap scan read a heap page per record); the
subjects' region index holds their ids, so a district's subjects are read from it alone

Revision ID: 0015_records_category_walk
Revises: 0014_records_listing_walk
"""

from alembic import op

revision = "0015_records_category_walk"
down_revision = "0014_records_listing_walk"
branch_labels = None
depends_on = None

LICENSE_CATEGORY = ["category", "decided_on", "id", "state", "subject_id", "authority"]
PENALTY_CATEGORIES = ["categories", "decided_on", "id", "state", "display_until", "subject_id", "authority"]


def upgrade():
    op.create_index("ix_licenses_category", "licenses", LICENSE_CATEGORY, unique=False)
    op.drop_index("ix_penalties_categories", table_name="penalties")
    op.create_index("ix_penalties_categories", "penalties", PENALTY_CATEGORIES, unique=False)
    op.drop_index("ix_subjects_region_code", table_name="subjects")
    op.create_index("ix_subjects_region_code", "subjects", ["region_code", "id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_pg_penalties_category_items")
    if op.get_bind().dialect.name == "sqlite":
        for table in ("licenses", "penalties", "subjects"):
            op.execute(f"ANALYZE {table}")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_pg_penalties_category_items ON penalties USING gin (string_to_array(categories, ';'))"
        )
    op.drop_index("ix_subjects_region_code", table_name="subjects")
    op.create_index("ix_subjects_region_code", "subjects", ["region_code"], unique=False)
    op.drop_index("ix_penalties_categories", table_name="penalties")
    op.create_index("ix_penalties_categories", "penalties", ["categories"], unique=False)
    op.drop_index("ix_licenses_category", table_name="licenses")
