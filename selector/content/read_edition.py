"""Reading an edition: the content in its words, from <lang>/<path> beside each English file."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from selector.content import editions
from selector.content.paths import Files
from selector.content.reader import Reader
from selector.content.records import Content


def read_edition(reader: Reader, english: Content, lang: str) -> Content:
    """The content in one edition's words, read from ja/<path> beside each English file; every
    text it lacks, or list of another length, is a problem of that file."""
    edition = _Edition(reader, lang)
    translated = edition.facts(english)
    saved, reader.facts = reader.facts, {**reader.facts, **translated}
    try:
        done = edition.content(english)
    finally:
        reader.facts = saved
    root = reader.root
    own = {path for path in Files(root).translations() if path.is_relative_to(root / lang)}
    for orphan in sorted(own - edition.read):
        reader.problem(orphan, "(file)", "no English file has this path: rename or remove it")
    return done


class _Edition:
    """Reads one edition's texts, remembering which of its files had an English twin."""

    def __init__(self, reader: Reader, lang: str) -> None:
        self.reader, self.lang, self.root = reader, lang, reader.root
        #: The edition's files that have an English twin; any other is a problem.
        self.read: set[Path] = set()

    def texts(self, path: Path, original: Any, spec: editions.Spec) -> Any:
        reader = self.reader
        twin = editions.twin(self.root, path, self.lang)
        self.read.add(twin)
        if not twin.is_file():
            reader.problem(twin, "(file)", f"missing: the {self.lang} text of {reader.name(path)}")
            return original
        given = reader.resolve(reader.yaml(twin), twin)
        return editions.overlay(
            original, given, spec, lambda at, why: reader.problem(twin, at, why)
        )

    def md(self, text: str) -> str:
        return editions.render(text, self.lang)[0]

    def facts(self, english: Content) -> dict[str, str]:
        """The facts in the edition's words; one that lacks a figure the English states is
        out of date."""
        facts_path = Files(self.root).facts
        worded = {f["id"]: f["text"] for f in english.facts if not editions.neutral(f["text"])}
        translated: dict[str, str] = self.texts(facts_path, worded, editions.TEXTS["facts"])
        for fact, text in worded.items():
            if missing := editions.figures_missing(text, translated[fact]):
                self.reader.problem(
                    editions.twin(self.root, facts_path, self.lang),
                    fact,
                    f"does not state {', '.join(missing)}, as the English fact does: "
                    "translate the fact again",
                )
        return translated

    def content(self, english: Content) -> Content:
        root, texts, md = self.root, self.texts, self.md
        edition = Content(digest=english.digest, pins=english.pins, benchmark=english.benchmark)
        for record in english.frameworks:
            done = texts(root / record["_file"], copy.deepcopy(record), editions.TEXTS["framework"])
            done["summary_html"] = md(done["summary"])
            edition.frameworks.append(done)
        aspects = texts(
            Files(root).aspects,
            editions.keyed(copy.deepcopy(english.aspects), "slug"),
            editions.TEXTS["aspects"],
        )
        edition.aspects = [aspects[r["slug"]] for r in english.aspects]
        for record in english.sections:
            self.read.add(editions.twin(root, root / record["_file"], self.lang))
            edition.sections.append(_section_edition(self.reader, record, self.lang))
        for record in english.scenarios:
            done = texts(root / record["_file"], copy.deepcopy(record), editions.TEXTS["scenario"])
            done["why_html"] = md(done["why"])
            edition.scenarios.append(done)
        edition.questions = self.questions(english)
        edition.tasks = [self.task(task) for task in english.tasks]
        edition.rules = texts(Files(root).rules, dict(english.rules), editions.TEXTS["rules"])
        return edition

    def questions(self, english: Content) -> list[dict[str, Any]]:
        questions = editions.keyed(copy.deepcopy(english.questions), "key")
        for question in questions.values():
            question["choices"] = editions.keyed(question["choices"], "value")
        questions = self.texts(Files(self.root).questions, questions, editions.TEXTS["questions"])
        return [{**q, "choices": list(q["choices"].values())} for q in questions.values()]

    def task(self, task: dict[str, Any]) -> dict[str, Any]:
        done: dict[str, Any] = self.texts(
            self.root / task["_file"], copy.deepcopy(task), editions.TEXTS["task"]
        )
        done["summary_html"] = self.md(done["summary"])
        for sample in done["samples"].values():
            path = self.root / sample["_file"] / "sample.yaml"
            sample.update(self.texts(path, {"note": sample["note"]}, editions.TEXTS["sample"]))
            sample["note_html"] = self.md(sample["note"])
        return done


def _section_edition(reader: Reader, record: dict[str, Any], lang: str) -> dict[str, Any]:
    """A guide part in an edition's words: its subheadings keep the English anchors, in order."""
    path = reader.root / record["_file"]
    twin = editions.twin(reader.root, path, lang)
    done: dict[str, Any] = copy.deepcopy(record)
    if not twin.is_file():
        reader.problem(twin, "(file)", f"missing: the {lang} text of {record['_file']}")
        return done
    meta, body = reader.front_matter(twin)
    meta = reader.resolve(meta, twin)

    def say(at: str, why: str) -> None:
        reader.problem(twin, at, why)

    done.update(editions.overlay(record, meta or {}, editions.TEXTS["section"], say))
    anchors = [heading["id"] for heading in record["headings"]]
    html, headings = editions.render(reader.resolve(body, twin), lang, anchors, done["title"])
    if len(headings) != len(anchors):
        say("(body)", f"has {len(headings)} subheadings (###), the English part {len(anchors)}")
        return done
    done["body_html"], done["headings"] = html, headings
    return done
