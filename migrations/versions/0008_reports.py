"""report issues: every issued credit report's number, digest, code hash, counts and snapshot

Revision ID: 0008_reports
Revises: 0008_job_heartbeat

The PDF itself is not stored: its SHA-256 matches an uploaded copy byte for byte, and the snapshot
(keyed fingerprints of the records it contained) tells whether the public record changed since.
"""
from alembic import op
import sqlalchemy as sa

revision = '0008_reports'
down_revision = '0008_job_heartbeat'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('subject_name', sa.String(length=200), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=True),
    sa.Column('requester_name', sa.String(length=64), nullable=True),
    sa.Column('own_report', sa.Boolean(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('period_from', sa.Date(), nullable=True),
    sa.Column('period_to', sa.Date(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=255), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('submission_token', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_users.id'], name=op.f('fk_report_issues_staff_user_id_staff_users')),
    sa.ForeignKeyConstraint(['subject_id'], ['subjects.id'], name=op.f('fk_report_issues_subject_id_subjects')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_issues')),
    sa.UniqueConstraint('number', name=op.f('uq_report_issues_number')),
    sa.UniqueConstraint('sha256', name=op.f('uq_report_issues_sha256')),
    sa.UniqueConstraint('submission_token', name=op.f('uq_report_issues_submission_token'))
    )
    with op.batch_alter_table('report_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_issues_channel'), ['channel'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_issues_issued_at'), ['issued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_issues_purpose'), ['purpose'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_issues_subject_id'), ['subject_id'], unique=False)



def downgrade():
    with op.batch_alter_table('report_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_issues_subject_id'))
        batch_op.drop_index(batch_op.f('ix_report_issues_purpose'))
        batch_op.drop_index(batch_op.f('ix_report_issues_issued_at'))
        batch_op.drop_index(batch_op.f('ix_report_issues_channel'))

    op.drop_table('report_issues')
