"""change history, loaded revisions and release dates

Revision ID: 8d2f6b1e4c90
Revises: 5a1c3e9d2b47
Create Date: 2026-12-02 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d2f6b1e4c90'
down_revision = '5a1c3e9d2b47'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'loaded_revision',
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('short', sa.String(length=12), nullable=False),
        sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('digest', name=op.f('pk_loaded_revision')),
    )
    op.create_index(op.f('ix_loaded_revision_short'), 'loaded_revision', ['short'], unique=False)
    # The revision already loaded is the first the history knows: permalinks made on it keep
    # their meaning, and the next load remembers the items without calling them new.
    op.execute(
        "INSERT INTO loaded_revision (digest, short, loaded_at) "
        "SELECT digest, substr(digest, 1, 12), loaded_at FROM content_revision"
    )
    op.create_table(
        'content_item',
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('slug', sa.String(length=60), nullable=False),
        sa.Column('title', sa.String(length=160), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('kind', 'slug', name=op.f('pk_content_item')),
    )
    op.create_table(
        'content_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('revision', sa.String(length=64), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('slug', sa.String(length=60), nullable=False),
        sa.Column('title', sa.String(length=160), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_change')),
        sa.UniqueConstraint('uid', name=op.f('uq_content_change_uid')),
    )
    op.create_index(op.f('ix_content_change_recorded_at'), 'content_change', ['recorded_at'], unique=False)
    op.create_index(op.f('ix_content_change_revision'), 'content_change', ['revision'], unique=False)
    with op.batch_alter_table('framework') as batch_op:
        batch_op.add_column(sa.Column('version_released', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('framework') as batch_op:
        batch_op.drop_column('version_released')
    op.drop_index(op.f('ix_content_change_revision'), table_name='content_change')
    op.drop_index(op.f('ix_content_change_recorded_at'), table_name='content_change')
    op.drop_table('content_change')
    op.drop_table('content_item')
    op.drop_index(op.f('ix_loaded_revision_short'), table_name='loaded_revision')
    op.drop_table('loaded_revision')
