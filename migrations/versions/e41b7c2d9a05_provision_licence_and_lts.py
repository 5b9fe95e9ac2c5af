"""how each framework provides a capability; the fact card's licence, maintainer, release
model, best for and think twice

Revision ID: e41b7c2d9a05
Revises: a7c3e5f19d20
Create Date: 2026-12-02 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e41b7c2d9a05'
down_revision = 'a7c3e5f19d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('aspect_value') as batch_op:
        batch_op.add_column(sa.Column('provided', sa.String(length=20), nullable=True))
    # Filled by the next content load, which the new content files need anyway.
    with op.batch_alter_table('framework') as batch_op:
        batch_op.add_column(sa.Column('licence', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('maintainer', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('release_model', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('best_for', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('think_twice', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('framework') as batch_op:
        batch_op.drop_column('think_twice')
        batch_op.drop_column('best_for')
        batch_op.drop_column('release_model')
        batch_op.drop_column('maintainer')
        batch_op.drop_column('licence')
    with op.batch_alter_table('aspect_value') as batch_op:
        batch_op.drop_column('provided')
