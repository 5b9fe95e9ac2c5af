"""the Japanese edition: each item's words per edition, and search over text without spaces

Revision ID: c5d8e2a4f713
Revises: e41b7c2d9a05
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5d8e2a4f713'
down_revision = 'e41b7c2d9a05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'wording',
        sa.Column('lang', sa.String(length=8), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('key', sa.String(length=130), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('lang', 'kind', 'key', name=op.f('pk_wording')),
    )
    with op.batch_alter_table('search_entry') as batch_op:
        batch_op.add_column(
            sa.Column('lang', sa.String(length=8), nullable=False, server_default='en')
        )
    if op.get_bind().dialect.name == 'postgresql':
        # Japanese has no spaces between words, so no stemming dictionary splits it: passages
        # are found by substring, which pg_trgm's trigram index answers (a trusted extension).
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.execute(
            "CREATE INDEX ix_search_entry_trigrams ON search_entry "
            "USING gin ((title || ' ' || body) gin_trgm_ops)"
        )
    else:
        # The same for SQLite: FTS5's trigram tokenizer indexes every three characters and
        # answers LIKE over its columns; the rows are search_entry's, as for search_fts.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts_trigram USING fts5(title, body, "
            "content='search_entry', content_rowid='id', tokenize='trigram')"
        )
        op.execute("INSERT INTO search_fts_trigram(search_fts_trigram) VALUES ('rebuild')")


def downgrade():
    # The earlier search knows one language: the other editions' passages go with their index.
    op.execute("DELETE FROM search_entry WHERE lang <> 'en'")
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX ix_search_entry_trigrams')
    else:
        op.execute('DROP TABLE search_fts_trigram')
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    with op.batch_alter_table('search_entry') as batch_op:
        batch_op.drop_column('lang')
    op.drop_table('wording')
