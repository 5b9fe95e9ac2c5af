"""The full-text index each worker keeps in memory: one per edition, built from the content
snapshot when the content revision changes, whichever database holds the content.

English passages go into an FTS5 table that stems English words, ignores case and folds accents
(porter over unicode61). Japanese is written without spaces, so no stemmer splits it into
words: its passages go into an FTS5 table with the trigram tokenizer, which finds each word of
a query anywhere in a passage; a word under three characters, which a trigram cannot look up,
is read for in every passage instead (LIKE), cheap at the guide's size. Nothing is written to
the database, and a search reads nothing from it but the revision.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from flask import current_app
from markupsafe import Markup, escape

from selector.content.snapshot import Snapshot, content
from selector.language import DEFAULT
from selector.search.passages import START, STOP, passages
from selector.search.query import corrected, known_words

#: At most this many passages answer one query.
LIMIT = 50
#: How each edition's words are cut: English stemmed, without case or accents; any other
#: edition in runs of three characters.
TOKENIZERS = {DEFAULT: "porter unicode61 remove_diacritics 2"}
TRIGRAMS = "trigram"
#: The shortest word a trigram index can look up; shorter ones are read for in every passage.
TRIGRAM = 3
#: How much of a Japanese passage is shown around its first match, before and after, in characters.
BEFORE, AFTER = 50, 110
#: At most this many parts of a passage are shown.
FRAGMENTS = 2

# A title that is the query comes first, a whole page before a section of one (the Django
# page before the caching part's "Django"); then titles weigh eight times the body in English
# ranking (bm25 takes a weight per column, and the columns only carried along weigh nothing).
_WORDS = """
    SELECT kind, slug, anchor, title, context,
           snippet(passage, 5, :start, :stop, ' … ', 28) AS shown,
           -- FTS5's ranking functions refuse a window, so the total is a subquery (run once).
           (SELECT count(*) FROM passage WHERE passage MATCH :query) AS matches
    FROM passage
    WHERE passage MATCH :query
    ORDER BY lower(title) = :whole DESC, (lower(title) = :whole AND anchor = '') DESC,
             bm25(passage, 0, 0, 0, 0, 8.0, 1.0), rowid
    LIMIT :limit
"""
_COUNT = "SELECT count(*) AS matches FROM passage WHERE passage MATCH :query"


@dataclass(frozen=True)
class Hit:
    kind: str
    slug: str
    anchor: str
    title: str
    context: str
    #: The passage around the matched words, escaped, with each match in <mark>.
    passage: Markup


class Found(NamedTuple):
    #: The best LIMIT passages, best first.
    hits: list[Hit]
    #: How many passages match in all.
    total: int


class Index:
    """One edition's passages at one content revision, in an in-memory SQLite database."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.revision = snapshot.revision
        self.lang = snapshot.lang
        # An in-memory database belongs to the connection that made it, so the threads of a
        # worker share this one, one query at a time: a query takes about a millisecond, and a
        # copy per thread would cost a build per thread (and its memory) on every revision.
        self._connection = sqlite3.connect(":memory:", check_same_thread=False)
        self._connection.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        tokenizer = TOKENIZERS.get(self.lang, TRIGRAMS)
        with self._connection:
            self._connection.execute(
                "CREATE VIRTUAL TABLE passage USING fts5(kind UNINDEXED, slug UNINDEXED, "
                f"anchor UNINDEXED, context UNINDEXED, title, body, tokenize='{tokenizer}')"
            )
            self._connection.executemany(
                "INSERT INTO passage (kind, slug, anchor, title, context, body) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                passages(snapshot),
            )

    def _rows(self, statement: str, params: dict[str, Any]) -> list[sqlite3.Row]:
        with self._lock:
            return self._connection.execute(statement, params).fetchall()

    def find(self, words: list[str]) -> Found:
        """The passages with every word (in English, a form of it), best first, and how many
        match. A passage whose title is the query itself (a framework's name) comes first."""
        if not words:
            return Found([], 0)
        if self.lang != DEFAULT:
            return self._find_substrings(words)
        params = {
            "query": _phrases(words),
            "whole": " ".join(words),
            "start": START,
            "stop": STOP,
            "limit": LIMIT,
        }
        return _found(self._rows(_WORDS, params), lambda row: highlighted(row["shown"]))

    def _find_substrings(self, words: list[str]) -> Found:
        """The passages that hold every word, best first: those titled by the query, then by
        how many words their title holds, then by how densely the body holds them."""
        params: dict[str, Any] = {"whole": " ".join(words), "limit": LIMIT}
        where, in_title, density = [], [], []
        for n, word in enumerate(words):
            params[f"w{n}"] = word
            params[f"p{n}"] = "%" + re.sub(r"([\\%_])", r"\\\1", word) + "%"
            in_title.append(f"(lower(title) LIKE :p{n} ESCAPE '\\')")
            density.append(
                f"(length(body) - length(replace(lower(body), :w{n}, ''))) / length(:w{n})"
            )
            if len(word) < TRIGRAM:
                where.append(f"(title LIKE :p{n} ESCAPE '\\' OR body LIKE :p{n} ESCAPE '\\')")
        if long := [word for word in words if len(word) >= TRIGRAM]:
            params["query"] = _phrases(long)
            where.append("passage MATCH :query")
        statement = f"""
            SELECT kind, slug, anchor, title, context, body, count(*) OVER () AS matches
            FROM passage
            WHERE {" AND ".join(where)}
            ORDER BY lower(title) = :whole DESC, {" + ".join(in_title)} DESC,
                     ({" + ".join(density)}) * 1000.0 / (length(body) + 100) DESC, rowid
            LIMIT :limit
        """
        return _found(self._rows(statement, params), lambda row: _around(row["body"], words))

    @functools.cached_property
    def vocabulary(self) -> Counter[str]:
        """The words of the passages, read the first time a search needs them to suggest a
        spelling."""
        return known_words(
            f"{r['title']} {r['body']}" for r in self._rows("SELECT title, body FROM passage", {})
        )

    def suggestion(self, words: list[str]) -> list[str] | None:
        """The query with each unknown word replaced by the closest word of the passages, when
        any was, and only if that finds something: a suggestion that finds nothing would only
        send the reader in circles. English only: Japanese words are not cut apart to compare."""
        if self.lang != DEFAULT:
            return None
        fixed = corrected(words, self.vocabulary)
        if fixed and self._rows(_COUNT, {"query": _phrases(fixed)})[0]["matches"]:
            return fixed
        return None


def _phrases(words: list[str]) -> str:
    """Each word quoted: FTS5 reads it as a string to match, never as an operator."""
    return " ".join(f'"{word}"' for word in words)


def _found(rows: list[sqlite3.Row], shown: Callable[[sqlite3.Row], Markup]) -> Found:
    hits = [
        Hit(r["kind"], r["slug"], r["anchor"], r["title"], r["context"], shown(r)) for r in rows
    ]
    return Found(hits, rows[0]["matches"] if rows else 0)


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
    """Escape a passage and turn its match marks into <mark> elements."""
    marked = str(escape(passage)).replace(START, "<mark>").replace(STOP, "</mark>")
    return Markup(marked)


class _Indexes:
    """One per app: each edition's index, for the revision it was built on."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_lang: dict[str, Index] = {}


def index(lang: str | None = None) -> Index:
    """The index of an edition (the page's, by default) for the current content revision,
    built by the first search after the revision changes. A thread still reading the index of
    the revision before keeps it until it is done; then it is let go."""
    snapshot = content(lang)
    indexes: _Indexes = current_app.extensions.setdefault("selector.search", _Indexes())
    built = indexes.by_lang.get(snapshot.lang)
    if built is None or built.revision != snapshot.revision:
        with indexes.lock:
            built = indexes.by_lang.get(snapshot.lang)
            if built is None or built.revision != snapshot.revision:
                built = indexes.by_lang[snapshot.lang] = Index(snapshot)
    return built
