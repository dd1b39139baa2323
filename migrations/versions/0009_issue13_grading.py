"""credit grading: evaluation runs (who, when, model version) and one explained grade per enterprise

Revision ID: 0009_issue13_grading
Revises: 0009_issue13_industry
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_issue13_grading"
down_revision = "0009_issue13_industry"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "grading_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_by_id", sa.Integer(), nullable=True),
        sa.Column("model_version", sa.String(length=32), nullable=False),
        sa.Column("model_digest", sa.String(length=64), nullable=False),
        sa.Column("subjects", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["run_by_id"], ["staff_users.id"], name=op.f("fk_grading_runs_run_by_id_staff_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grading_runs")),
    )
    with op.batch_alter_table("grading_runs") as batch:
        batch.create_index(batch.f("ix_grading_runs_period"), ["period"], unique=False)
    op.create_table(
        "grades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("industry", sa.String(length=32), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("grade", sa.String(length=1), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["grading_runs.id"], name=op.f("fk_grades_run_id_grading_runs")),
        sa.ForeignKeyConstraint(["subject_id"], ["subjects.id"], name=op.f("fk_grades_subject_id_subjects")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grades")),
    )
    with op.batch_alter_table("grades") as batch:
        batch.create_index(batch.f("ix_grades_run_id"), ["run_id"], unique=False)
        batch.create_index(batch.f("ix_grades_subject_id"), ["subject_id"], unique=False)
        batch.create_index(batch.f("ix_grades_industry"), ["industry"], unique=False)
        batch.create_index(batch.f("ix_grades_grade"), ["grade"], unique=False)


def downgrade():
    op.drop_table("grades")
    op.drop_table("grading_runs")
