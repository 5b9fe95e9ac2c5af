"""guide part charts

Revision ID: 9c4e2b7a1f05
Revises: f2b6d8a1c3e5
Create Date: 2026-12-07 22:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c4e2b7a1f05'
down_revision = 'f2b6d8a1c3e5'
branch_labels = None
depends_on = None


def upgrade():
    # Parts loaded before this revision draw no chart until the next content load fills them.
    with op.batch_alter_table('section') as batch_op:
        batch_op.add_column(sa.Column('charts', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('section') as batch_op:
        batch_op.alter_column('charts', server_default=None)


def downgrade():
    with op.batch_alter_table('section') as batch_op:
        batch_op.drop_column('charts')
