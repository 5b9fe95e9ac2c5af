"""guide part placement and sources

Revision ID: fd9b8fe1a839
Revises: 30f0881d7e30
Create Date: 2026-12-01 22:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fd9b8fe1a839'
down_revision = '30f0881d7e30'
branch_labels = None
depends_on = None


def upgrade():
    # Rows loaded before this revision get empty values until the next content load fills them.
    with op.batch_alter_table('framework') as batch_op:
        batch_op.add_column(sa.Column('sources', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('section') as batch_op:
        batch_op.add_column(sa.Column('framework_slug', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('standalone', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('checked', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('sources', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('framework') as batch_op:
        batch_op.alter_column('sources', server_default=None)
    with op.batch_alter_table('section') as batch_op:
        batch_op.alter_column('standalone', server_default=None)
        batch_op.alter_column('sources', server_default=None)


def downgrade():
    with op.batch_alter_table('section') as batch_op:
        batch_op.drop_column('sources')
        batch_op.drop_column('checked')
        batch_op.drop_column('standalone')
        batch_op.drop_column('framework_slug')
    with op.batch_alter_table('framework') as batch_op:
        batch_op.drop_column('sources')
