"""search moves into each worker's memory: the search tables and their indexes go

Revision ID: f2b6d8a1c3e5
Revises: d3a9f1c7b214
Create Date: 2026-12-07 19:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2b6d8a1c3e5'
down_revision = 'd3a9f1c7b214'
branch_labels = None
depends_on = None


def upgrade():
    # The extensions stay (unaccent, pg_trgm): they may serve others in the database, and the
    # earlier migrations' downgrades left them too.
    if op.get_bind().dialect.name == 'postgresql':
        # The generated column and the GIN indexes go with their table.
        op.drop_table('search_entry')
        op.execute('DROP TEXT SEARCH CONFIGURATION selector_english')
    else:
        op.execute('DROP TABLE search_fts_trigram')
        op.execute('DROP TABLE search_fts')
        op.drop_table('search_entry')


def downgrade():
    # The tables as a7c3e5f19d20 and c5d8e2a4f713 made them, empty: the code of that time
    # rewrites the passages on every `flask content load`, even of the files already loaded.
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
    postgresql = op.get_bind().dialect.name == 'postgresql'
    if postgresql:
        op.execute('CREATE EXTENSION IF NOT EXISTS unaccent')
        op.execute('CREATE TEXT SEARCH CONFIGURATION selector_english (COPY = pg_catalog.english)')
        op.execute(
            'ALTER TEXT SEARCH CONFIGURATION selector_english '
            'ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem'
        )
        op.execute(
            "ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('selector_english', title), 'A') || "
            "setweight(to_tsvector('selector_english', body), 'B')) STORED"
        )
        op.execute('CREATE INDEX ix_search_entry_document ON search_entry USING gin (document)')
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entry', "
            "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
        )
    op.add_column(
        'search_entry',
        sa.Column('lang', sa.String(length=8), nullable=False, server_default='en'),
    )
    if postgresql:
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.execute(
            "CREATE INDEX ix_search_entry_trigrams ON search_entry "
            "USING gin ((title || ' ' || body) gin_trgm_ops)"
        )
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_fts_trigram USING fts5(title, body, "
            "content='search_entry', content_rowid='id', tokenize='trigram')"
        )
