"""The loaded content as each worker reads it: once per content revision, not once per request.

The revision (the digest of the loaded files) is kept in the process for a
second and in the shared cache (Redis when configured) for a few seconds, so a
content load reaches every worker on every host within seconds, without a
restart and without a query per request. The content itself is read in a
handful of statements when the revision changes and then served from memory.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, joinedload, scoped_session, selectinload

from selector import language
from selector.content import editions, loaded
from selector.content.model import decision_model, edition_words
from selector.content.records import BenchmarkResult, BenchmarkRound, Need
from selector.engine.answers import ANSWERS
from selector.engine.explain import Cell, Words
from selector.engine.recommend import DecisionModel
from selector.extensions import db
from selector.models import (
    Aspect,
    AspectValue,
    BenchmarkRun,
    ContentRevision,
    Framework,
    Question,
    Sample,
    SampleTask,
    Scenario,
    Section,
    Wording,
)
from selector.shared_cache import shared_get, shared_set

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")

REVISION_KEY = "content-revision"
#: How long a worker trusts the revision it last read, and how long the shared cache keeps it.
LOCAL_SECONDS = 1.0
SHARED_SECONDS = 5
NONE_LOADED = "none"


class WordsMissing(LookupError):
    """The content was loaded, but not the words of every edition: loaded by a release from
    before the editions, until `flask content load` runs (the release step runs it)."""


@dataclass
class Snapshot:
    """Every piece of loaded content in one edition's words, in page order, as records."""

    revision: str
    #: The edition whose words it holds.
    lang: str
    frameworks: list[loaded.Framework]
    aspects: list[loaded.Aspect]
    sections: list[loaded.Section]
    scenarios: list[loaded.Scenario]
    questions: list[loaded.Question]
    tasks: list[loaded.SampleTask]
    benchmark: loaded.Benchmark | None
    #: What the engine's rules say, by key.
    rules: dict[str, str]
    framework: dict[str, loaded.Framework] = field(init=False)
    scenario: dict[str, loaded.Scenario] = field(init=False)
    section: dict[str, loaded.Section] = field(init=False)
    question: dict[str, loaded.Question] = field(init=False)
    task: dict[str, loaded.SampleTask] = field(init=False)
    #: Old scenario slugs and the slug each now answers to.
    aliases: dict[str, str] = field(init=False)
    model: DecisionModel = field(init=False)
    #: The edition's words for what the engine names.
    words: Words = field(init=False)

    def __post_init__(self) -> None:
        self.framework = {f.slug: f for f in self.frameworks}
        self.scenario = {s.slug: s for s in self.scenarios}
        self.section = {s.slug: s for s in self.sections}
        self.question = {q.key: q for q in self.questions}
        self.task = {t.slug: t for t in self.tasks}
        self.aliases = {alias: s.slug for s in self.scenarios for alias in s.aliases}
        self._engine_inputs()

    def _engine_inputs(self) -> None:
        needs = [_need(aspect.need, aspect) for aspect in self.aspects if aspect.need]
        self.model = decision_model([f.slug for f in self.frameworks], needs)
        briefs = {value: self.question["needs"].brief(value) for value in ANSWERS["needs"]}
        self.words = edition_words(needs, self.frameworks, briefs, self.rules, language.gettext)


def _need(need: str, aspect: loaded.Aspect) -> Need:
    """A loaded coverage row that covers a need, as the engine reads it."""
    return Need(
        need=need,
        cells={
            v.framework.slug: Cell(v.component or "", v.provided or "none", v.text)
            for v in aspect.values
        },
        outside=aspect.outside,
        outside_with=tuple(aspect.outside_with or ()),
    )


class _State:
    """One per app: the last revision read and the snapshot for it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.revision = ""
        self.checked = 0.0
        #: The snapshot of each edition, for the revision it was read on.
        self.snapshots: dict[str, Snapshot] = {}


def _state() -> _State:
    state: _State = current_app.extensions.setdefault("selector.content.snapshot", _State())
    return state


def fresh_revision(app: Flask) -> str | None:
    """The revision this process read less than LOCAL_SECONDS ago, if it has one."""
    state: _State | None = app.extensions.get("selector.content.snapshot")
    if state is None or time.monotonic() - state.checked >= LOCAL_SECONDS:
        return None
    return state.revision


def current_revision() -> str:
    """The loaded content's revision, read from the database only when the caches have none."""
    if (fresh := fresh_revision(current_app)) is not None:
        return fresh
    state = _state()
    revision: str | None = shared_get(REVISION_KEY)
    if revision is None:
        try:
            revision = loaded_revision(db.session)
        except (OperationalError, InterfaceError):
            if not state.revision:
                raise
            # The database is away: keep serving the content already in memory.
            db.session.rollback()
            revision = state.revision
        shared_set(REVISION_KEY, revision, timeout=SHARED_SECONDS)
    state.revision, state.checked = revision, time.monotonic()
    return revision


def loaded_revision(session: Session | scoped_session[Any]) -> str:
    """The digest of the loaded files and when they were loaded: files loaded again after
    others (a revert) make a new revision, since the change history they show has grown."""
    row = session.execute(select(ContentRevision.digest, ContentRevision.loaded_at)).first()
    if row is None:
        return NONE_LOADED
    return f"{row.digest}.{row.loaded_at:%Y%m%d%H%M%S%f}"


def publish(revision: str) -> None:
    """Announce a newly loaded revision to this process and, through the shared cache, to all."""
    shared_set(REVISION_KEY, revision, timeout=SHARED_SECONDS)
    state = _state()
    state.revision, state.checked = revision, time.monotonic()


def _load(revision: str, lang: str) -> Snapshot:
    """Every item as loaded, in the edition's words: records, so a page holds nothing of a
    session and never waits on a content load's locks."""
    with Session(db.engine) as session:
        parts = _rows(session)
        benchmark = session.scalar(select(BenchmarkRun))
        wordings = session.scalars(select(Wording).where(Wording.lang == lang))
        words, rules = editions.item_words(wordings, *parts)
        if not rules and revision != NONE_LOADED:
            raise WordsMissing(f"no {lang} words are loaded: run `flask content load`")
        return _snapshot(revision, lang, parts, words, rules, benchmark)


def _rows(session: Session) -> _Rows:
    """The loaded rows of each kind, in page order, in a handful of statements."""
    return _Rows(
        list(session.scalars(select(Framework).order_by(Framework.position))),
        list(
            session.scalars(
                select(Aspect).options(selectinload(Aspect.values)).order_by(Aspect.position)
            )
        ),
        list(session.scalars(select(Section).order_by(Section.position))),
        list(
            session.scalars(
                select(Scenario)
                .options(
                    joinedload(Scenario.first),
                    joinedload(Scenario.runner_up),
                    selectinload(Scenario.aliases),
                )
                .order_by(Scenario.position)
            ).unique()
        ),
        list(session.scalars(select(Question).order_by(Question.position))),
        list(
            session.scalars(
                select(SampleTask)
                .options(selectinload(SampleTask.samples).joinedload(Sample.framework))
                .order_by(SampleTask.position)
            )
        ),
    )


class _Rows(NamedTuple):
    frameworks: list[Framework]
    aspects: list[Aspect]
    sections: list[Section]
    scenarios: list[Scenario]
    questions: list[Question]
    tasks: list[SampleTask]


def _record(kind: type[R], row: Any, words: Mapping[Any, Mapping[str, Any]], **related: Any) -> R:
    """The record of a row: its columns, with the edition's words where it gives them, and the
    records it relates to."""
    said = words.get(row, {})
    columns = {
        f.name: said.get(f.name, getattr(row, f.name))
        for f in fields(kind)
        if f.name not in related
    }
    return kind(**columns, **related)


def _benchmark(row: BenchmarkRun) -> loaded.Benchmark:
    results = tuple(
        BenchmarkResult(
            **{**result, "per_round": tuple(BenchmarkRound(**r) for r in result["per_round"])}
        )
        for result in row.results
    )
    return _record(loaded.Benchmark, row, {}, results=results)


def _snapshot(
    revision: str,
    lang: str,
    rows: _Rows,
    words: Mapping[Any, Mapping[str, Any]],
    rules: dict[str, str],
    benchmark: BenchmarkRun | None,
) -> Snapshot:
    """The snapshot of rows read in their session: each cell, sample and scenario refers to
    the record of its framework, in the same edition's words."""
    frameworks = {f.slug: _record(loaded.Framework, f, words) for f in rows.frameworks}
    related = _Related(frameworks, words)
    return Snapshot(
        revision,
        lang,
        list(frameworks.values()),
        [related.aspect(a) for a in rows.aspects],
        [_record(loaded.Section, s, words) for s in rows.sections],
        [related.scenario(s) for s in rows.scenarios],
        [_record(loaded.Question, q, words) for q in rows.questions],
        [related.task(t) for t in rows.tasks],
        None if benchmark is None else _benchmark(benchmark),
        rules,
    )


class _Related:
    """Builds the records that refer to frameworks, each to its framework's one record."""

    def __init__(
        self, frameworks: dict[str, loaded.Framework], words: Mapping[Any, Mapping[str, Any]]
    ) -> None:
        self.frameworks, self.words = frameworks, words

    def _of(self, row: AspectValue | Sample, kind: type[R]) -> R:
        return _record(kind, row, self.words, framework=self.frameworks[row.framework.slug])

    def aspect(self, row: Aspect) -> loaded.Aspect:
        cells = tuple(self._of(cell, loaded.Cell) for cell in row.values)
        return _record(loaded.Aspect, row, self.words, values=cells)

    def scenario(self, row: Scenario) -> loaded.Scenario:
        return _record(
            loaded.Scenario,
            row,
            self.words,
            first=self.frameworks[row.first.slug],
            runner_up=self.frameworks[row.runner_up.slug] if row.runner_up else None,
            aliases=tuple(alias.slug for alias in row.aliases),
        )

    def task(self, row: SampleTask) -> loaded.SampleTask:
        samples = tuple(self._of(sample, loaded.Sample) for sample in row.samples)
        return _record(loaded.SampleTask, row, self.words, samples=samples)


def content(lang: str | None = None) -> Snapshot:
    """The content of an edition (the page's, by default) for the current revision, read from
    the database once per revision."""
    lang = lang or language.current()
    revision = current_revision()
    state = _state()
    snapshot = state.snapshots.get(lang)
    if snapshot is None or snapshot.revision != revision:
        with state.lock:
            snapshot = state.snapshots.get(lang)
            if snapshot is None or snapshot.revision != revision:
                snapshot = state.snapshots[lang] = _load(revision, lang)
    return snapshot
