"""full-text search over the content, and the decision tallies /stats reads

Revision ID: a7c3e5f19d20
Revises: 8d2f6b1e4c90
Create Date: 2026-12-02 04:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e5f19d20'
down_revision = '8d2f6b1e4c90'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('slug', sa.String(length=60), nullable=False),
        sa.Column('anchor', sa.String(length=160), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('context', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entry')),
    )
    if op.get_bind().dialect.name == 'postgresql':
        # English stemming over text with its accents folded away: "Jinja" finds "jinjá".
        # unaccent is a trusted extension (PostgreSQL 13 and later): a database owner may add it.
        op.execute('CREATE EXTENSION IF NOT EXISTS unaccent')
        op.execute('CREATE TEXT SEARCH CONFIGURATION selector_english (COPY = pg_catalog.english)')
        op.execute(
            'ALTER TEXT SEARCH CONFIGURATION selector_english '
            'ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem'
        )
        # Kept in step with its row by PostgreSQL itself: titles weigh more than bodies.
        op.execute(
            "ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('selector_english', title), 'A') || "
            "setweight(to_tsvector('selector_english', body), 'B')) STORED"
        )
        op.execute('CREATE INDEX ix_search_entry_document ON search_entry USING gin (document)')
    else:
        # An external-content index: the text lives once, in search_entry; the loader
        # rebuilds the index in the transaction that replaces the rows.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entry', "
            "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
        )
    op.create_table(
        'decision_tally',
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('dimension', sa.String(length=60), nullable=False),
        sa.Column('value', sa.String(length=60), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('month', 'dimension', 'value', name=op.f('pk_decision_tally')),
    )
    op.create_table(
        'tally_mark',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('last_decision', sa.Integer(), nullable=False),
        sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tally_mark')),
    )
    # Never refreshed: decisions already stored are counted by the first refresh, from the start.
    op.execute('INSERT INTO tally_mark (id, last_decision) VALUES (1, 0)')


def downgrade():
    op.drop_table('tally_mark')
    op.drop_table('decision_tally')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_table('search_entry')
        op.execute('DROP TEXT SEARCH CONFIGURATION selector_english')
    else:
        op.execute('DROP TABLE search_fts')
        op.drop_table('search_entry')
