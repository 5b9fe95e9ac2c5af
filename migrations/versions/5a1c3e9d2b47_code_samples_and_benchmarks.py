"""code samples and benchmark figures

Revision ID: 5a1c3e9d2b47
Revises: fd9b8fe1a839
Create Date: 2026-12-02 01:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a1c3e9d2b47'
down_revision = 'fd9b8fe1a839'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sample_task',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=60), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('summary_html', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sample_task')),
        sa.UniqueConstraint('slug', name=op.f('uq_sample_task_slug')),
    )
    op.create_table(
        'sample',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('framework_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('files', sa.JSON(), nullable=False),
        sa.Column('addons', sa.JSON(), nullable=False),
        sa.Column('note_html', sa.Text(), nullable=False),
        sa.Column('ran_on', sa.Date(), nullable=False),
        sa.Column('ran_python', sa.String(length=20), nullable=False),
        sa.Column('ran_packages', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['framework_id'], ['framework.id'], name=op.f('fk_sample_framework_id_framework')),
        sa.ForeignKeyConstraint(['task_id'], ['sample_task.id'], name=op.f('fk_sample_task_id_sample_task')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sample')),
    )
    op.create_table(
        'benchmark_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('measured', sa.Date(), nullable=False),
        sa.Column('command', sa.Text(), nullable=False),
        sa.Column('cores', sa.Integer(), nullable=False),
        sa.Column('python', sa.String(length=20), nullable=False),
        sa.Column('workers', sa.Integer(), nullable=False),
        sa.Column('connections', sa.Integer(), nullable=False),
        sa.Column('seconds', sa.Integer(), nullable=False),
        sa.Column('rounds', sa.Integer(), nullable=False),
        sa.Column('results', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_benchmark_run')),
    )


def downgrade():
    op.drop_table('benchmark_run')
    op.drop_table('sample')
    op.drop_table('sample_task')
