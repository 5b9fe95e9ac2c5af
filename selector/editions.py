"""The Japanese edition of the content: ja/<path> beside each English file, holding its texts.

A translation gives only the words: slugs, order, versions, presets, sources and dates stay
in the English file, the one source of every fact. Each English file has its twin under
ja/ with the same path, and each text of the file (TEXTS says which) must be given there,
lists as long as the English ones and guide parts with as many subheadings. Reading one
yields the same records as the English files, with the words replaced and their Markdown
rendered again, so the loader, the search index and the pages treat both editions alike.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from selector.markup import render_markdown
from selector.models import TRANSLATED, AspectValue, Question, Sample, Wording

#: The editions besides English, and the folder of content each reads.
EDITIONS = {"ja": "ja"}
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
    "aspects": ((EVERY, ("name", ("values", EVERY))),),
    "section": ("title", "summary", "body"),
    "scenario": (
        "title",
        "situation",
        "reason",
        "why",
        "runner_up_when",
        "gives_up",
        ("closing", ("note",)),
    ),
    "questions": (
        (EVERY, ("short", "prompt", "help", ("choices", ((EVERY, ("label", ("notes", EVERY))),)))),
    ),
    "task": ("title", "summary"),
    "sample": ("note",),
    "facts": (EVERY,),
    "rules": (EVERY,),
}
Problem = Callable[[str, str], None]


def neutral(fact_text: str) -> bool:
    return NEUTRAL_FACT.fullmatch(fact_text) is not None


def overlay(english: Any, given: Any, spec: Spec, say: Problem, where: str = "") -> Any:
    """english with each text of spec replaced by the translation's; a missing or extra text,
    or a list of another length, is said as a problem (the English text stays)."""
    if not isinstance(given, dict):
        say(where or "(file)", "must be a mapping of the texts to translate")
        return english
    merged = dict(english)
    names = {entry if isinstance(entry, str) else entry[0] for entry in spec}
    if EVERY not in names:
        for extra in sorted(set(given) - names):
            say(_at(where, extra), "not a text of this file: give only the words")
    else:
        for extra in sorted(set(given) - set(english)):
            say(_at(where, extra), "not in the English file")
    for entry in spec:
        name, inner = (entry, None) if isinstance(entry, str) else entry
        for key in english if name == EVERY else [name]:
            original = english.get(key)
            if original in (None, "", [], {}):
                continue
            merged[key] = _one(original, given.get(key), inner, say, _at(where, key))
    return merged


def _one(original: Any, given: Any, inner: Any, say: Problem, where: str) -> Any:
    if given is None:
        say(where, "no Japanese text")
        return original
    if inner == EVERY:
        return overlay(original, given, (EVERY,), say, where)
    if inner is not None and isinstance(original, dict):
        return overlay(original, given, inner, say, where)
    if isinstance(original, list):
        if not isinstance(given, list) or len(given) != len(original):
            say(where, f"must be a list of {len(original)}, as in English")
            return original
        if inner is None:
            return [
                _text(g, o, say, f"{where}.{n}")
                for n, (o, g) in enumerate(zip(original, given, strict=True))
            ]
        return [
            overlay(o, g, inner, say, f"{where}.{n}")
            for n, (o, g) in enumerate(zip(original, given, strict=True))
        ]
    return _text(given, original, say, where)


def _text(given: Any, original: Any, say: Problem, where: str) -> Any:
    if not isinstance(given, str) or not given.strip():
        say(where, "no Japanese text")
        return original
    return given


def _at(where: str, key: str) -> str:
    return f"{where}.{key}" if where else str(key)


def keyed(records: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    """A list of records as a mapping by one of their fields, as the translations give them."""
    return {record[key]: record for record in records}


def render(
    text: str, lang: str, anchors: list[str] | None = None, label: str = ""
) -> tuple[str, list[dict[str, str]]]:
    """Markdown of an edition: its links within the site stay in the edition."""
    return render_markdown(text, anchors=anchors, link_prefix="/" + lang, label=label)


def folder(root: Path, lang: str) -> Path:
    return root / EDITIONS[lang]


def twin(root: Path, path: Path, lang: str) -> Path:
    """Where the edition's text of an English file is."""
    return folder(root, lang) / path.relative_to(root)


def deep(value: Any) -> Any:
    return copy.deepcopy(value)


def _walk(*parts: Iterable[Any]) -> Iterator[tuple[Any, str]]:
    """Each item of content with the key its words are kept under; table cells and samples
    by their row's or task's slug and their framework's."""
    for part in parts:
        for item in part:
            yield item, item.key if isinstance(item, Question) else item.slug
            for cell in getattr(item, "values", None) or getattr(item, "samples", None) or ():
                if isinstance(cell, (AspectValue, Sample)):
                    yield cell, f"{item.slug}/{cell.framework.slug}"


def words(lang: str, *parts: Iterable[Any]) -> list[Wording]:
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


def rule_words(rules: dict[str, dict[str, str]]) -> list[Wording]:
    """What the engine's rules say in each edition, as rows to keep."""
    return [Wording(lang=lang, kind=RULES, key=RULES, fields=said) for lang, said in rules.items()]


def lay_over(wordings: Iterable[Wording], *parts: Iterable[Any]) -> dict[str, str]:
    """Put an edition's words on items read in English (detached, so nothing is written);
    return its rules' words."""
    found = {(type(item).__tablename__, key): item for item, key in _walk(*parts)}
    rules: dict[str, str] = {}
    for wording in wordings:
        if wording.kind == RULES:
            rules = wording.fields
        elif (item := found.get((wording.kind, wording.key))) is not None:
            for column, value in wording.fields.items():
                setattr(item, column, value)
    return rules
