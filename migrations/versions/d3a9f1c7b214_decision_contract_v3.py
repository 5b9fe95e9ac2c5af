"""decision contract version 3: the coverage table (a need per capability row, a component per
cell, tools outside the four) and the version each stored decision was made under

Revision ID: d3a9f1c7b214
Revises: c5d8e2a4f713
Create Date: 2026-12-07 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3a9f1c7b214'
down_revision = 'c5d8e2a4f713'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('aspect') as batch_op:
        batch_op.add_column(sa.Column('need', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('outside', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('outside_with', sa.JSON(), nullable=True))
    with op.batch_alter_table('aspect_value') as batch_op:
        batch_op.add_column(sa.Column('component', sa.String(length=200), nullable=True))
    # Every decision stored before this revision was made under version 2.
    with op.batch_alter_table('decision') as batch_op:
        batch_op.add_column(
            sa.Column('version', sa.Integer(), nullable=False, server_default='2')
        )


def downgrade():
    with op.batch_alter_table('decision') as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('aspect_value') as batch_op:
        batch_op.drop_column('component')
    with op.batch_alter_table('aspect') as batch_op:
        batch_op.drop_column('outside_with')
        batch_op.drop_column('outside')
        batch_op.drop_column('need')
