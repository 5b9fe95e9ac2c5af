"""The full-text index over the content: what is searchable, how it is written, how it is asked.

Every content load replaces the passages (search_entry) and, in the same transaction, the
index over them: an FTS5 table on SQLite, a generated tsvector column with a GIN index on
PostgreSQL (both made by the migrations). Both stem English words, ignore case and fold
accents. A reader's query never reaches either engine's query syntax: it is cut into plain
words here, so quotes, operators and parentheses are only ever text.

Japanese is written without spaces, so no stemmer splits it into words: the Japanese edition's
passages are found by substring instead, each word of the query anywhere in a passage, which
a trigram index answers (FTS5's trigram tokenizer on SQLite, pg_trgm on PostgreSQL; both
fall back to reading every passage for words under three characters, which stays cheap at
the guide's size). Both databases rank and cut those passages with the same expressions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, NamedTuple

from markupsafe import Markup, escape
from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session, scoped_session

from selector.content.markup import render_inline
from selector.language import DEFAULT
from selector.models import SearchEntry

if TYPE_CHECKING:
    from selector.content.records import Content

#: Marks the engines put around a matched word; no content text contains them.
START, STOP = "\x02", "\x03"
#: At most this many passages answer one query.
LIMIT = 50
#: Shorter words are never corrected: abbreviations are as likely as typing mistakes.
SHORTEST = 4
#: At most this many words of a query are looked for.
MAX_TERMS = 12
#: PostgreSQL's English stop words (tsearch_data/english.stop). Left out of every query on both
#: databases, so that SQLite (which indexes them) finds what PostgreSQL finds.
STOP_WORDS = frozenset(
    [
        "i",
        "me",
        "my",
        "myself",
        "we",
        "our",
        "ours",
        "ourselves",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "he",
        "him",
        "his",
        "himself",
        "she",
        "her",
        "hers",
        "herself",
        "it",
        "its",
        "itself",
        "they",
        "them",
        "their",
        "theirs",
        "themselves",
        "what",
        "which",
        "who",
        "whom",
        "this",
        "that",
        "these",
        "those",
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "having",
        "do",
        "does",
        "did",
        "doing",
        "a",
        "an",
        "the",
        "and",
        "but",
        "if",
        "or",
        "because",
        "as",
        "until",
        "while",
        "of",
        "at",
        "by",
        "for",
        "with",
        "about",
        "against",
        "between",
        "into",
        "through",
        "during",
        "before",
        "after",
        "above",
        "below",
        "to",
        "from",
        "up",
        "down",
        "in",
        "out",
        "on",
        "off",
        "over",
        "under",
        "again",
        "further",
        "then",
        "once",
        "here",
        "there",
        "when",
        "where",
        "why",
        "how",
        "all",
        "any",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "some",
        "such",
        "no",
        "nor",
        "not",
        "only",
        "own",
        "same",
        "so",
        "than",
        "too",
        "very",
        "s",
        "t",
        "can",
        "will",
        "just",
        "don",
        "should",
        "now",
    ]
)
_WORD = re.compile(r"\w+")
Row = dict[str, str]


def fold(value: str) -> str:
    """Lower case without accents: the form words are compared in."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def terms(query: str, lang: str = DEFAULT) -> list[str]:
    """The words a query looks for, folded, without stop words or repeats. In Japanese a word
    is a run of text between spaces or signs, folded only as far as width and case, since
    taking the marks off kana would change the word (が is not か)."""
    if lang != DEFAULT:
        words = _WORD.findall(unicodedata.normalize("NFKC", query).casefold())
        return list(dict.fromkeys(w for w in words if w.strip("_")))[:MAX_TERMS]
    folded = (w for w in _WORD.findall(fold(query)) if w.strip("_") and w not in STOP_WORDS)
    return list(dict.fromkeys(folded))[:MAX_TERMS]


#: Elements that begin a new run of text: a space goes between them, never inside a line of
#: text (Japanese puts none around code or a link).
BLOCKS = frozenset(["p", "li", "tr", "td", "th", "pre", "h4", "dt", "dd", "br", "div"])


class _Passages(HTMLParser):
    """Plain text of rendered HTML, cut where an h3 with an id begins a new passage."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.passages: list[tuple[str, str, list[str]]] = [("", "", [])]
        self._heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        anchor = dict(attrs).get("id")
        if tag == "h3" and anchor:
            self.passages.append((anchor, "", []))
            self._heading = anchor
        elif tag in BLOCKS:
            self.passages[-1][2].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3":
            self._heading = None

    def handle_data(self, data: str) -> None:
        anchor, title, words = self.passages[-1]
        if self._heading is not None:
            self.passages[-1] = (anchor, title + data, words)
        else:
            words.append(data)


def _clean(value: str) -> str:
    return " ".join(value.replace(START, " ").replace(STOP, " ").split())


def plain(html: str) -> str:
    """The text of some rendered HTML, with its white space collapsed."""
    parser = _Passages()
    parser.feed(html)
    parser.close()
    return _clean(" ".join("".join(words) for _, _, words in parser.passages))


def _passages(html: str) -> list[tuple[str, str, str]]:
    """(anchor, heading, text) for the text before the first h3 and under each h3."""
    parser = _Passages()
    parser.feed(html)
    parser.close()
    return [(a, _clean(t), _clean("".join(w))) for a, t, w in parser.passages]


def _inline(values: Sequence[str]) -> str:
    return " ".join(plain(render_inline(value)) for value in values)


def entries(content: Content, lang: str = DEFAULT) -> Iterator[Row]:
    """Every searchable passage of the content, as rows of search_entry; then, for each other
    edition, its passages (the edition's own content has no editions)."""
    for other, edition in content.editions.items():
        yield from entries(edition, other)
    names = {f.slug: f.name for f in content.frameworks}
    cells: dict[str, list[str]] = {slug: [] for slug in names}
    for aspect in content.aspects:
        for slug, value in aspect.values.items():
            cells[slug].append(f"{aspect.name}: {value}")
    for section in content.sections:
        for anchor, heading, body in _passages(section.body_html):
            if anchor:
                yield _row(lang, "part", section.slug, anchor, heading, section.title, body)
            else:
                lead = f"{_inline([section.summary])} {body}"
                yield _row(lang, "part", section.slug, "", section.title, "", lead)
    for f in content.frameworks:
        features = [f"{x.area} {x.detail} {x.addon}" for x in f.features]
        body = " ".join(
            [
                _inline([f.tagline]),
                plain(f.summary_html),
                _inline([*features, *f.strengths, *f.weaknesses, *f.fits]),
                _inline(cells[f.slug]),
                _inline([f.version.note]),
            ]
        )
        yield _row(lang, "framework", f.slug, "", f.name, "", body)
    for s in content.scenarios:
        body = " ".join(
            [
                _inline([s.situation, s.reason]),
                plain(s.why_html),
                _inline([s.runner_up_when, *s.gives_up]),
            ]
        )
        yield _row(lang, "scenario", s.slug, "", s.title, "", body)
    for task in content.tasks:
        summary = plain(task.summary_html)
        yield _row(lang, "sample", task.slug, "", task.title, "", summary)
        for slug, sample in task.samples.items():
            code = " ".join(file.text for file in sample.files)
            body = f"{plain(sample.note_html)} {code}"
            anchor = f"{task.slug}-{slug}"
            yield _row(lang, "sample", task.slug, anchor, task.title, names[slug], body)


def _row(lang: str, kind: str, slug: str, anchor: str, title: str, context: str, body: str) -> Row:
    return {
        "lang": lang,
        "kind": kind,
        "slug": slug,
        "anchor": anchor,
        "title": _clean(title),
        "context": context,
        "body": _clean(body),
    }


def write(session: Session, rows: list[Row]) -> None:
    """Replace the passages and their index, inside the caller's transaction."""
    session.execute(delete(SearchEntry))
    session.execute(insert(SearchEntry), rows)
    if session.get_bind().dialect.name == "sqlite":
        # PostgreSQL keeps its generated column in step by itself.
        for index in ("search_fts", "search_fts_trigram"):
            session.execute(text(f"INSERT INTO {index}({index}) VALUES ('rebuild')"))


@dataclass(frozen=True)
class Hit:
    kind: str
    slug: str
    anchor: str
    title: str
    context: str
    #: The passage around the matched words, escaped, with each match in <mark>.
    passage: Markup


_SQLITE = text(
    """
    SELECT e.kind, e.slug, e.anchor, e.title, e.context,
           snippet(search_fts, 1, :start, :stop, ' … ', 28) AS passage,
           -- FTS5's ranking functions refuse a window, so the total is a subquery (run once).
           (SELECT count(*) FROM search_fts JOIN search_entry AS e ON e.id = search_fts.rowid
            WHERE search_fts MATCH :query AND e.lang = :lang) AS matches
    FROM search_fts JOIN search_entry AS e ON e.id = search_fts.rowid
    WHERE search_fts MATCH :query AND e.lang = :lang
    ORDER BY lower(e.title) = :whole DESC, bm25(search_fts, 8.0, 1.0), e.id
    LIMIT :limit
    """
)
# ts_rank's normalisation 1 divides by the log of the passage's length, as BM25 does on SQLite:
# a long page does not outrank a short one only by saying a word more often.
_POSTGRESQL = text(
    """
    WITH q AS (SELECT plainto_tsquery('selector_english', :query) AS q),
    hits AS (
        SELECT e.id, e.kind, e.slug, e.anchor, e.title, e.context, e.body,
               lower(e.title) = :whole AS named, ts_rank(e.document, q.q, 1) AS rank,
               count(*) OVER () AS matches
        FROM search_entry AS e, q
        WHERE e.document @@ q.q AND e.lang = :lang
        ORDER BY named DESC, rank DESC, e.id
        LIMIT :limit
    )
    SELECT hits.kind, hits.slug, hits.anchor, hits.title, hits.context,
           ts_headline('selector_english', hits.body, q.q, :options) AS passage, hits.matches
    FROM hits, q
    ORDER BY hits.named DESC, hits.rank DESC, hits.id
    """
)
_HEADLINE = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=15, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)


class Found(NamedTuple):
    #: The best LIMIT passages, best first.
    hits: list[Hit]
    #: How many passages match in all.
    total: int


def find(session: Session | scoped_session[Any], words: list[str], lang: str = DEFAULT) -> Found:
    """The passages with every word (or a form of it), best first, and how many match: one
    statement. A passage whose title is the query itself (a framework's name) comes first."""
    if not words:
        return Found([], 0)
    if lang != DEFAULT:
        return _find_substrings(session, words, lang)
    whole = " ".join(words)
    if session.get_bind().dialect.name == "sqlite":
        # Each word quoted: FTS5 reads it as a string to match, never as an operator.
        query = " ".join(f'"{word}"' for word in words)
        params = {
            "query": query,
            "whole": whole,
            "start": START,
            "stop": STOP,
            "limit": LIMIT,
            "lang": DEFAULT,
        }
        rows = session.execute(_SQLITE, params)
    else:
        params = {
            "query": whole,
            "whole": whole,
            "options": _HEADLINE,
            "limit": LIMIT,
            "lang": DEFAULT,
        }
        rows = session.execute(_POSTGRESQL, params)
    found = rows.all()
    return Found(
        [
            Hit(row.kind, row.slug, row.anchor, row.title, row.context, highlighted(row.passage))
            for row in found
        ],
        found[0].matches if found else 0,
    )


#: The shortest word a trigram index can look up; shorter ones are read for in every passage.
TRIGRAM = 3
#: How much of a passage is shown around its first match, before and after, in characters.
BEFORE, AFTER = 50, 110
#: At most this many parts of a passage are shown.
FRAGMENTS = 2


def _find_substrings(session: Session | scoped_session[Any], words: list[str], lang: str) -> Found:
    """The edition's passages that hold every word, best first: those titled by the query,
    then by how many words their title holds, then by how densely the body holds them."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    params: dict[str, Any] = {"lang": lang, "whole": " ".join(words), "limit": LIMIT}
    where, in_title, density = [], [], []
    for n, word in enumerate(words):
        params[f"w{n}"] = word
        params[f"p{n}"] = "%" + re.sub(r"([\\%_])", r"\\\1", word) + "%"
        in_title.append(f"CASE WHEN lower(e.title) LIKE :p{n} ESCAPE '\\' THEN 1 ELSE 0 END")
        density.append(
            f"(length(e.body) - length(replace(lower(e.body), CAST(:w{n} AS TEXT), '')))"
            f" / length(CAST(:w{n} AS TEXT))"
        )
        if not sqlite:
            where.append(f"(e.title || ' ' || e.body) ILIKE :p{n} ESCAPE '\\'")
        elif len(word) < TRIGRAM:
            where.append(f"(t.title LIKE :p{n} ESCAPE '\\' OR t.body LIKE :p{n} ESCAPE '\\')")
    long = [word for word in words if len(word) >= TRIGRAM]
    if sqlite and long:
        # Each word quoted: FTS5 reads it as a string to match, never as an operator.
        params["query"] = " ".join(f'"{word}"' for word in long)
        where.append("search_fts_trigram MATCH :query")
    source = (
        "search_fts_trigram AS t JOIN search_entry AS e ON e.id = t.rowid"
        if sqlite
        else "search_entry AS e"
    )
    statement = text(
        f"""
        SELECT e.kind, e.slug, e.anchor, e.title, e.context, e.body, count(*) OVER () AS matches
        FROM {source}
        WHERE e.lang = :lang AND {" AND ".join(where)}
        ORDER BY lower(e.title) = :whole DESC, {" + ".join(in_title)} DESC,
                 ({" + ".join(density)}) * 1000.0 / (length(e.body) + 100) DESC, e.id
        LIMIT :limit
        """
    )
    found = session.execute(statement, params).all()
    return Found(
        [
            Hit(row.kind, row.slug, row.anchor, row.title, row.context, _around(row.body, words))
            for row in found
        ],
        found[0].matches if found else 0,
    )


def _around(body: str, words: list[str]) -> Markup:
    """The parts of a passage around the first match of each word (two at most, as on the
    English edition), with every match in them marked."""
    pattern = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))), re.I)
    firsts = sorted(
        found.start()
        for word in words
        if (found := re.search(re.escape(word), body, re.I)) is not None
    )
    windows: list[tuple[int, int]] = []
    for at in firsts or [0]:
        if (windows and at < windows[-1][1]) or len(windows) == FRAGMENTS:
            continue
        start = max(0, at - BEFORE)
        windows.append((start, start + BEFORE + AFTER))
    parts = [pattern.sub(lambda m: START + m.group(0) + STOP, body[a:b]) for a, b in windows]
    lead = "… " if windows[0][0] else ""
    tail = " …" if windows[-1][1] < len(body) else ""
    return highlighted(lead + " … ".join(parts) + tail)


def highlighted(passage: str) -> Markup:
    """Escape an engine's passage and turn its match marks into <mark> elements."""
    marked = str(escape(passage)).replace(START, "<mark>").replace(STOP, "</mark>")
    return Markup(marked)


def vocabulary(session: Session | scoped_session[Any], lang: str = DEFAULT) -> Counter[str]:
    """Every word of three letters or more in an edition's passages, folded, with how often it
    occurs."""
    words: Counter[str] = Counter()
    rows = select(SearchEntry.title, SearchEntry.body).where(SearchEntry.lang == lang)
    for title, body in session.execute(rows):
        words.update(w for w in _WORD.findall(fold(f"{title} {body}")) if len(w) > 2)
    return words


def suggestion(words: list[str], known: Counter[str]) -> list[str] | None:
    """The query with each unknown word replaced by the closest known one, when any was. Words
    under SHORTEST letters (ci, db, ui) are taken as meant."""
    corrected = []
    for word in words:
        unknown = word not in known and len(word) >= SHORTEST
        close = difflib.get_close_matches(word, known, n=3, cutoff=0.75) if unknown else []
        # Among equally close words, the one the guide uses most.
        corrected.append(
            max(close, key=lambda w: (_closeness(word, w), known[w])) if close else word
        )
    return corrected if corrected != words else None


def _closeness(word: str, other: str) -> float:
    return difflib.SequenceMatcher(None, word, other).ratio()
