"""question short name

Revision ID: 30f0881d7e30
Revises: b1e883142ac2
Create Date: 2026-12-01 22:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '30f0881d7e30'
down_revision = 'b1e883142ac2'
branch_labels = None
depends_on = None


def upgrade():
    # Rows loaded before this revision get an empty name until the next content load fills it.
    with op.batch_alter_table('question') as batch_op:
        batch_op.add_column(sa.Column('short', sa.String(length=60), nullable=False, server_default=''))
    with op.batch_alter_table('question') as batch_op:
        batch_op.alter_column('short', server_default=None)


def downgrade():
    with op.batch_alter_table('question') as batch_op:
        batch_op.drop_column('short')
