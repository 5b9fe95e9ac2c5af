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
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, joinedload, scoped_session, selectinload

from selector import language
from selector.content import editions
from selector.content.model import decision_model, edition_words
from selector.content.records import Need
from selector.engine.answers import ANSWERS
from selector.engine.explain import Cell, Words
from selector.engine.recommend import DecisionModel
from selector.extensions import db
from selector.models import (
    Aspect,
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
    """Every piece of loaded content, in page order, detached from any session."""

    revision: str
    #: The edition whose words it holds.
    lang: str
    frameworks: list[Framework]
    aspects: list[Aspect]
    sections: list[Section]
    scenarios: list[Scenario]
    questions: list[Question]
    tasks: list[SampleTask]
    benchmark: BenchmarkRun | None
    #: What the engine's rules say, by key.
    rules: dict[str, str]
    framework: dict[str, Framework] = field(init=False)
    scenario: dict[str, Scenario] = field(init=False)
    section: dict[str, Section] = field(init=False)
    question: dict[str, Question] = field(init=False)
    task: dict[str, SampleTask] = field(init=False)
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
        self.aliases = {a.slug: s.slug for s in self.scenarios for a in s.aliases}
        self._engine_inputs()

    def _engine_inputs(self) -> None:
        needs = [_need(aspect.need, aspect) for aspect in self.aspects if aspect.need]
        self.model = decision_model([f.slug for f in self.frameworks], needs)
        briefs = {value: self.question["needs"].brief(value) for value in ANSWERS["needs"]}
        self.words = edition_words(needs, self.frameworks, briefs, self.rules, language.gettext)


def _need(need: str, aspect: Aspect) -> Need:
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
    """Every item as loaded, with the edition's words laid over the English ones."""
    with Session(db.engine) as session:
        parts = (
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
        benchmark = session.scalar(select(BenchmarkRun))
        wordings = list(session.scalars(select(Wording).where(Wording.lang == lang)))
        # The words are laid over objects no longer in the session: nothing may be written
        # back, and a page must not wait on a content load's locks.
        items = editions.keyed_items(*parts)
        session.expunge_all()
    rules = editions.lay_over(wordings, items)
    if not rules and revision != NONE_LOADED:
        raise WordsMissing(f"no {lang} words are loaded: run `flask content load`")
    frameworks, aspects, sections, scenarios, questions, tasks = parts
    return Snapshot(
        revision, lang, frameworks, aspects, sections, scenarios, questions, tasks, benchmark, rules
    )


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
