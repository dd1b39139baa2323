"""licences and penalties: an index of each category that holds the listing's order and every
other filter's columns, so a listing filtered to a rare category (or a category and a district)
reads the category's index entries in order, not rows

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
    if op.get_bind().dialect.name == "sqlite":
        for table in ("licenses", "penalties"):
            op.execute(f"ANALYZE {table}")


def downgrade():
    op.drop_index("ix_penalties_categories", table_name="penalties")
    op.create_index("ix_penalties_categories", "penalties", ["categories"], unique=False)
    op.drop_index("ix_licenses_category", table_name="licenses")
