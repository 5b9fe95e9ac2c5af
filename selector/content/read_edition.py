"""Reading an edition: the content in its words, from <lang>/<path> beside each English file."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from selector.content import editions
from selector.content.editions import Record
from selector.content.paths import Files
from selector.content.reader import Reader
from selector.content.records import Aspect, Content, Question, SampleTask, Section


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
        worded = {f.id: f.text for f in english.facts if not editions.neutral(f.text)}
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

    def worded(self, path: Path, record: Record, spec: editions.Spec) -> Record:
        """record in the edition's words, from the twin of the file at path."""
        return editions.worded(record, self.texts(path, asdict(record), spec), spec)

    def content(self, english: Content) -> Content:
        root, md, worded = self.root, self.md, self.worded
        edition = Content(digest=english.digest, pins=english.pins, benchmark=english.benchmark)
        for framework in english.frameworks:
            named = worded(root / framework.file, framework, editions.TEXTS["framework"])
            edition.frameworks.append(replace(named, summary_html=md(named.summary)))
        edition.aspects = self.aspects(english)
        for section in english.sections:
            self.read.add(editions.twin(root, root / section.file, self.lang))
            edition.sections.append(_section_edition(self.reader, section, self.lang))
        for scenario in english.scenarios:
            said = worded(root / scenario.file, scenario, editions.TEXTS["scenario"])
            edition.scenarios.append(replace(said, why_html=md(said.why)))
        edition.questions = self.questions(english)
        edition.tasks = [self.task(task) for task in english.tasks]
        edition.rules = self.texts(Files(root).rules, dict(english.rules), editions.TEXTS["rules"])
        return edition

    def aspects(self, english: Content) -> list[Aspect]:
        """The comparison table's rows, which the translation gives by slug."""
        rows = {a.slug: asdict(a) for a in english.aspects}
        words = self.texts(Files(self.root).aspects, rows, editions.TEXTS["aspects"])
        ((_, inner),) = editions.TEXTS["aspects"]
        return [editions.worded(a, words[a.slug], inner) for a in english.aspects]

    def questions(self, english: Content) -> list[Question]:
        """The questions, whose choices the translation gives by value."""
        questions = {q.key: asdict(q) for q in english.questions}
        for question in questions.values():
            question["choices"] = editions.keyed(question["choices"], "value")
        words = self.texts(Files(self.root).questions, questions, editions.TEXTS["questions"])
        ((_, inner),) = editions.TEXTS["questions"]
        return [editions.worded(q, words[q.key], inner) for q in english.questions]

    def task(self, task: SampleTask) -> SampleTask:
        done = self.worded(self.root / task.file, task, editions.TEXTS["task"])
        samples = {}
        for slug, sample in done.samples.items():
            path = self.root / sample.file / "sample.yaml"
            note = self.texts(path, {"note": sample.note}, editions.TEXTS["sample"])["note"]
            samples[slug] = replace(sample, note=note, note_html=self.md(note))
        return replace(done, summary_html=self.md(done.summary), samples=samples)


def _section_edition(reader: Reader, record: Section, lang: str) -> Section:
    """A guide part in an edition's words: its subheadings keep the English anchors, in order."""
    path = reader.root / record.file
    twin = editions.twin(reader.root, path, lang)
    if not twin.is_file():
        reader.problem(twin, "(file)", f"missing: the {lang} text of {record.file}")
        return record
    meta, body = reader.front_matter(twin)
    meta = reader.resolve(meta, twin)

    def say(at: str, why: str) -> None:
        reader.problem(twin, at, why)

    spec = editions.TEXTS["section"]
    done = editions.worded(record, editions.overlay(asdict(record), meta or {}, spec, say), spec)
    # A chart's figures stay the English facts'; the edition shows them in its own words.
    done = replace(
        done,
        charts=tuple(
            replace(c, rows=tuple(replace(r, text=reader.facts[r.fact]) for r in c.rows))
            for c in done.charts
        ),
    )
    anchors = [heading["id"] for heading in record.headings]
    html, headings = editions.render(reader.resolve(body, twin), lang, anchors, done.title)
    if len(headings) != len(anchors):
        say("(body)", f"has {len(headings)} subheadings (###), the English part {len(anchors)}")
        return done
    return replace(done, body_html=html, headings=tuple(headings))
