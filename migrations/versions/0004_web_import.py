"""web import: department, progress and failure of back-office import runs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 03:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rows_expected', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('stored_name', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('error', sa.String(length=500), nullable=True))
        batch_op.create_index(batch_op.f('ix_import_runs_department_id'), ['department_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_import_runs_department_id_departments'), 'departments',
                                    ['department_id'], ['id'])


def downgrade():
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_import_runs_department_id_departments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_import_runs_department_id'))
        batch_op.drop_column('error')
        batch_op.drop_column('stored_name')
        batch_op.drop_column('rows_expected')
        batch_op.drop_column('department_id')
