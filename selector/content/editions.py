"""The Japanese edition of the content: ja/<path> beside each English file, holding its texts.

A translation gives only the words: slugs, order, versions, presets, sources and dates stay
in the English file, the one source of every fact. Each English file has its twin under
ja/ with the same path, and each text of the file (TEXTS says which) must be given there,
lists as long as the English ones and guide parts with as many subheadings. Reading one
yields the same records as the English files, with the words replaced and their Markdown
rendered again, so the loader, the search index and the pages treat both editions alike.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, scoped_session

from selector.content.markup import render_markdown
from selector.language import DEFAULT, LANGUAGES
from selector.models import TRANSLATED, Aspect, AspectValue, Question, Sample, SampleTask, Wording

#: The editions besides English; each reads the content folder named after its language.
EDITIONS = tuple(lang for lang in LANGUAGES if lang != DEFAULT)
#: A fact stated as a name and a version number reads the same in every language.
NEUTRAL_FACT = re.compile(r"^[A-Za-z][\w.+-]*(?: [A-Za-z][\w.+-]*)* v?\d+\.\d[\w.]*$")
#: The kind of Wording that holds what the engine's rules say.
RULES = "rules"
#: Every key of a mapping is a text (aspect values, answer notes).
EVERY = "*"
#: The texts of each kind of file: a name is a text (or a list of texts); (name, spec) a
#: mapping, or a list of mappings, with those texts.
Spec = tuple[Any, ...]
TEXTS: dict[str, Spec] = {
    "framework": (
        "tagline",
        "summary",
        ("version", ("note",)),
        "maintainer",
        "release_model",
        "best_for",
        "think_twice",
        ("features", ("area", "detail", "addon")),
        "strengths",
        "weaknesses",
        "fits",
    ),
    "aspects": ((EVERY, ("name", ("values", EVERY), ("components", EVERY), "outside")),),
    # And the Markdown body, with as many ### subheadings as the English part.
    "section": ("title", "summary", ("charts", ("title", "measure"))),
    "scenario": (
        "title",
        "situation",
        "reason",
        "why",
        "runner_up_when",
        "gives_up",
        ("closing", ("note",)),
    ),
    "questions": ((EVERY, ("short", "prompt", "help", ("choices", ((EVERY, ("label",)),)))),),
    "task": ("title", "summary"),
    "sample": ("note",),
    "facts": (EVERY,),
    "rules": (EVERY,),
}
#: Says a problem of a translation: (where in the file, what is wrong).
Say = Callable[[str, str], None]

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

#: A content record (records.py).
Record = TypeVar("Record", bound="DataclassInstance")


def neutral(fact_text: str) -> bool:
    return NEUTRAL_FACT.fullmatch(fact_text) is not None


def overlay(english: Any, given: Any, spec: Spec, say: Say, where: str = "") -> Any:
    """english with each text of spec replaced by the translation's; a missing or extra text,
    or a list of another length, is said as a problem (the English text stays)."""
    if not isinstance(given, dict):
        say(where or "(file)", "must be a mapping of the texts to translate")
        return english
    _say_extras(english, given, spec, say, where)
    merged = dict(english)
    for key, inner in _texts_of(english, spec):
        original, translated = english.get(key), given.get(key)
        if _worded(original, inner):
            merged[key] = _one(original, translated, inner, say, _at(where, key))
        elif _worded(translated, inner):
            say(_at(where, key), "the English file has no text here")
    return merged


def worded(record: Record, words: dict[str, Any], spec: Spec) -> Record:
    """record with each text spec names taken from words (an overlay of the record's fields,
    as dataclasses.asdict gives them): the record in the edition's words."""
    changed = {
        key: _worded_field(getattr(record, key), words[key], inner)
        for key, inner in _texts_of(words, spec)
    }
    return replace(record, **changed)


def _worded_field(value: Any, words: Any, inner: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return worded(value, words, inner)
    if not isinstance(value, tuple):
        return words
    # A list the translation gives keyed (questions' choices) comes back in the English order.
    items = list(words.values()) if isinstance(words, dict) else words
    if not any(is_dataclass(item) for item in value):
        return tuple(items)
    each = inner[0][1] if len(inner) == 1 and inner[0][0] == EVERY else inner
    return tuple(worded(v, w, each) for v, w in zip(value, items, strict=True))


def _texts_of(english: dict[str, Any], spec: Spec) -> Iterator[tuple[str, Any]]:
    """Each key of english that spec names as a text, with the spec of what it holds."""
    for entry in spec:
        name, inner = (entry, None) if isinstance(entry, str) else entry
        for key in english if name == EVERY else [name]:
            yield key, inner


def _say_extras(
    english: dict[str, Any], given: dict[str, Any], spec: Spec, say: Say, where: str
) -> None:
    """A translation gives only the texts spec names (or, for every key, the English keys)."""
    names = {entry if isinstance(entry, str) else entry[0] for entry in spec}
    if EVERY not in names:
        for extra in sorted(set(given) - names):
            say(_at(where, extra), "not a text of this file: give only the words")
    else:
        for extra in sorted(set(given) - set(english)):
            say(_at(where, extra), "not in the English file")


def _worded(value: Any, inner: Any) -> bool:
    """Whether value holds any text to translate (an empty note or list holds none)."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple):
        return any(_worded(item, inner) for item in value)
    if not isinstance(value, dict):
        return False
    if inner in (None, EVERY):
        return any(_worded(item, None) for item in value.values())
    return any(_worded(value.get(key), sub) for key, sub in _texts_of(value, inner))


def _one(original: Any, given: Any, inner: Any, say: Say, where: str) -> Any:
    if given is None:
        say(where, "no Japanese text")
        return original
    if inner == EVERY:
        return overlay(original, given, (EVERY,), say, where)
    if inner is not None and isinstance(original, dict):
        return overlay(original, given, inner, say, where)
    if isinstance(original, list | tuple):
        return _list(original, given, inner, say, where)
    return _text(given, original, say, where)


def _list(original: Sequence[Any], given: Any, inner: Any, say: Say, where: str) -> Any:
    """A list of texts, or of mappings with texts, as long as the English one."""
    if not isinstance(given, list) or len(given) != len(original):
        say(where, f"must be a list of {len(original)}, as in English")
        return original
    pairs = enumerate(zip(original, given, strict=True))
    if inner is None:
        return [_text(g, o, say, f"{where}.{n}") for n, (o, g) in pairs]
    return [overlay(o, g, inner, say, f"{where}.{n}") for n, (o, g) in pairs]


def _text(given: Any, original: Any, say: Say, where: str) -> Any:
    if not isinstance(given, str) or not given.strip():
        say(where, "no Japanese text")
        return original
    return given


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else str(key)


#: Figures an English fact may state, each of which its translation must state too: version
#: numbers and years as they are, months as Japanese writes them (April -> 4月).
_VERSION = re.compile(r"\d+(?:\.\d+)+\w*")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_MONTHS = {name: f"{n}月" for n, name in enumerate(calendar.month_name) if name}


def figures_missing(english: str, translation: str) -> list[str]:
    """The versions, years and months of an English fact that its translation does not state:
    a fact updated in English and not yet in Japanese."""
    wanted = [*_VERSION.findall(english), *_YEAR.findall(english)]
    missing = [figure for figure in wanted if figure not in translation]
    months = [month for name, month in _MONTHS.items() if re.search(rf"\b{name}\b", english)]
    return missing + [month for month in months if month not in translation]


def keyed(records: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    """A list of records as a mapping by one of their fields, as the translations give them."""
    return {record[key]: record for record in records}


def render(
    text: str, lang: str, anchors: list[str] | None = None, label: str = ""
) -> tuple[str, list[dict[str, str]]]:
    """Markdown of an edition: its links within the site stay in the edition."""
    return render_markdown(text, anchors=anchors, link_prefix="/" + lang, label=label)


def twin(root: Path, path: Path, lang: str) -> Path:
    """Where the edition's text of an English file is."""
    return root / lang / path.relative_to(root)


def _walk(*parts: Iterable[Any]) -> Iterator[tuple[Any, str]]:
    """Each item of content with the key its words are kept under; table cells and samples
    by their row's or task's slug and their framework's."""
    for part in parts:
        for item in part:
            yield item, item.key if isinstance(item, Question) else item.slug
            cells: list[AspectValue] | list[Sample] = (
                item.values
                if isinstance(item, Aspect)
                else item.samples
                if isinstance(item, SampleTask)
                else []
            )
            for cell in cells:
                yield cell, f"{item.slug}/{cell.framework.slug}"


def wording_rows(lang: str, *parts: Iterable[Any]) -> list[Wording]:
    """The words of an edition's items, as rows to keep."""
    return [
        Wording(
            lang=lang,
            kind=type(item).__tablename__,
            key=key,
            fields={column: getattr(item, column) for column in TRANSLATED[type(item)]},
        )
        for item, key in _walk(*parts)
    ]


def rule_rows(rules: dict[str, dict[str, str]]) -> list[Wording]:
    """What the engine's rules say in each edition, as rows to keep."""
    return [Wording(lang=lang, kind=RULES, key=RULES, fields=said) for lang, said in rules.items()]


def item_words(
    wordings: Iterable[Wording], *parts: Iterable[Any]
) -> tuple[dict[Any, dict[str, Any]], dict[str, str]]:
    """Each item's words in an edition (by the item, as read in its session, which knows the
    frameworks of cells and samples), and the edition's rules' words."""
    items = {(type(item).__tablename__, key): item for item, key in _walk(*parts)}
    words: dict[Any, dict[str, Any]] = {}
    rules: dict[str, str] = {}
    for wording in wordings:
        if wording.kind == RULES:
            rules = wording.fields
        elif (item := items.get((wording.kind, wording.key))) is not None:
            words[item] = wording.fields
    return words, rules


def edition_count(session: Session | scoped_session[Any]) -> int:
    """How many editions' words are loaded (each load writes the rules' words of each)."""
    count = select(func.count()).select_from(Wording).where(Wording.kind == RULES)
    return session.scalar(count) or 0
