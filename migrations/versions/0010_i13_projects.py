"""projects and facilities (项目/设施) of enterprises; credit records may name their project

Revision ID: 0010_i13_projects
Revises: 0009_issue15_open_data

Projects go through 录入 -> 审核 like records (the publication columns); the 应录未录 check and the
admin listing filter them by industry, district and state, hence the indexes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_i13_projects"
down_revision = "0010_i13s_stat_aggregates"
branch_labels = None
depends_on = None

STATES = ("draft", "pending", "published", "withdrawn", "expired", "repaired")


def upgrade():
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("industry", sa.String(length=32), nullable=False),
        sa.Column("district", sa.String(length=6), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.Enum(*STATES, name="publicationstate", native_enum=False, length=32), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.String(length=500), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("returned_reason", sa.String(length=500), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(["subject_id"], ["subjects.id"], name=op.f("fk_projects_subject_id_subjects")),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_projects_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["staff_users.id"], name=op.f("fk_projects_created_by_id_staff_users")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["staff_users.id"], name=op.f("fk_projects_reviewed_by_id_staff_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("code", name=op.f("uq_projects_code")),
    )
    for column in ("subject_id", "industry", "district", "department_id", "state"):
        op.create_index(op.f(f"ix_projects_{column}"), "projects", [column], unique=False)
    for table in ("licenses", "penalties"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
            batch.create_index(batch.f(f"ix_{table}_project_id"), ["project_id"], unique=False)
            batch.create_foreign_key(batch.f(f"fk_{table}_project_id_projects"), "projects", ["project_id"], ["id"])


def downgrade():
    for table in ("licenses", "penalties"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(batch.f(f"fk_{table}_project_id_projects"), type_="foreignkey")
            batch.drop_index(batch.f(f"ix_{table}_project_id"))
            batch.drop_column("project_id")
    for column in ("subject_id", "industry", "district", "department_id", "state"):
        op.drop_index(op.f(f"ix_projects_{column}"), table_name="projects")
    op.drop_table("projects")
