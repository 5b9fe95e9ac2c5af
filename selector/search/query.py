"""How a reader's query is read: the words it looks for, and a misspelt one corrected.

A query never reaches the index's query syntax: it is cut into plain words here, so quotes,
operators and parentheses are only ever text.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from selector.language import DEFAULT

#: At most this many words of a query are looked for.
MAX_TERMS = 12
#: Shorter words are never corrected: abbreviations are as likely as typing mistakes.
SHORTEST = 4
#: English words too common to tell passages apart (PostgreSQL's english.stop): left out of every
#: query, so that "how to deploy" finds what "deploy" finds.
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


def fold(value: str) -> str:
    """Lower case without accents: the form English words are compared in."""
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


def known_words(texts: Iterable[str]) -> Counter[str]:
    """Every word of three letters or more in the texts, folded, with how often it occurs."""
    words: Counter[str] = Counter()
    for text in texts:
        words.update(w for w in _WORD.findall(fold(text)) if len(w) > 2)
    return words


def corrected(words: list[str], known: Counter[str]) -> list[str] | None:
    """The query with each unknown word replaced by the closest known one, when any was. Words
    under SHORTEST letters (ci, db, ui) are taken as meant."""
    fixed = []
    for word in words:
        unknown = word not in known and len(word) >= SHORTEST
        close = difflib.get_close_matches(word, known, n=3, cutoff=0.75) if unknown else []
        # Among equally close words, the one the guide uses most.
        fixed.append(max(close, key=lambda w: (_closeness(word, w), known[w])) if close else word)
    return fixed if fixed != words else None


def _closeness(word: str, other: str) -> float:
    return difflib.SequenceMatcher(None, word, other).ratio()
