"""Typed SQLAlchemy models: the loaded copy of the content files.

Content files are the single source; these tables are replaced as a whole by
each content load (see content/write.py). Short ordered lists that are only ever shown
together with their parent (features, strengths, presets) are JSON columns, so
a page reads them without extra queries.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from selector.extensions import db

if TYPE_CHECKING:
    # Flask-SQLAlchemy builds db.Model from Base at run time; type checkers see Base.
    from selector.extensions import Base as Model
else:
    Model = db.Model


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ContentRevision(Model):
    """One row: the digest of the content files that are loaded, and when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Framework(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    tagline: Mapped[str] = mapped_column(Text)
    summary_html: Mapped[str] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(40))
    version_released: Mapped[dt.date | None]
    version_checked: Mapped[dt.date]
    min_python: Mapped[str] = mapped_column(String(20))
    version_note: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(String(60))
    maintainer: Mapped[str] = mapped_column(String(200))
    release_model: Mapped[str] = mapped_column(Text)
    best_for: Mapped[str] = mapped_column(Text)
    think_twice: Mapped[str] = mapped_column(Text)
    features: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    strengths: Mapped[list[str]] = mapped_column(JSON)
    weaknesses: Mapped[list[str]] = mapped_column(JSON)
    fits: Mapped[list[str]] = mapped_column(JSON)
    sources: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)


class Aspect(Model):
    """A row of the comparison table."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    #: The answer value of `needs` this row covers: the coverage table the engine reads.
    need: Mapped[str | None] = mapped_column(String(40))
    #: Tools outside the four that beat them all at this need.
    outside: Mapped[str | None] = mapped_column(Text)
    #: The other needs, one of which must be named too for those tools to beat the four.
    outside_with: Mapped[list[str] | None] = mapped_column(JSON)
    values: Mapped[list[AspectValue]] = relationship(
        back_populates="aspect", cascade="all, delete-orphan"
    )


class AspectValue(Model):
    """One cell of the comparison table: an aspect as one framework handles it."""

    aspect_id: Mapped[int] = mapped_column(ForeignKey("aspect.id"), primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    #: How the framework provides a capability (schemas.PROVISIONS); None where the row describes.
    provided: Mapped[str | None] = mapped_column(String(20))
    #: The component a senior engineer would name for the row's need (language-free).
    component: Mapped[str | None] = mapped_column(String(200))
    aspect: Mapped[Aspect] = relationship(back_populates="values")
    framework: Mapped[Framework] = relationship()


class Section(Model):
    """A part of the comparison article."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    position: Mapped[int]
    summary: Mapped[str] = mapped_column(Text)
    include: Mapped[str | None] = mapped_column(String(60))
    #: The framework whose own page carries this part, if any.
    framework_slug: Mapped[str | None] = mapped_column(String(40))
    #: Read on a page of its own rather than in the guide.
    standalone: Mapped[bool] = mapped_column(default=False)
    checked: Mapped[dt.date | None]
    #: [{"title": ..., "url": ...}]: the primary sources the part rests on.
    sources: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    #: [{"title", "measure", "rows": [{"label", "fact", "value", "text", "checked", "source"}]}]:
    #: the charts drawn after the part's text, each row's figure taken from a fact.
    charts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    body_html: Mapped[str] = mapped_column(Text)
    #: [{"id": anchor, "title": text}] for the subheadings, for the table of contents.
    headings: Mapped[list[dict[str, str]]] = mapped_column(JSON)


class Scenario(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    position: Mapped[int]
    situation: Mapped[str] = mapped_column(Text)
    first_id: Mapped[int] = mapped_column(ForeignKey("framework.id"))
    runner_up_id: Mapped[int | None] = mapped_column(ForeignKey("framework.id"))
    reason: Mapped[str] = mapped_column(Text)
    why_html: Mapped[str] = mapped_column(Text)
    runner_up_when: Mapped[str] = mapped_column(Text)
    gives_up: Mapped[list[str]] = mapped_column(JSON)
    preset: Mapped[dict[str, str]] = mapped_column(JSON)
    related: Mapped[list[str]] = mapped_column(JSON)
    section: Mapped[str] = mapped_column(String(60))
    updated: Mapped[dt.date]
    closing_position: Mapped[int | None]
    closing_note: Mapped[str | None] = mapped_column(Text)
    first: Mapped[Framework] = relationship(foreign_keys=[first_id])
    runner_up: Mapped[Framework | None] = relationship(foreign_keys=[runner_up_id])
    aliases: Mapped[list[ScenarioAlias]] = relationship(cascade="all, delete-orphan")


class ScenarioAlias(Model):
    """An old slug of a renamed scenario; its URL answers 301 to the current one."""

    slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenario.id"))


class Question(Model):
    """The wording of one decision question; keys and values come from answers.py."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int]
    required: Mapped[bool]
    #: A few words that name the question where a page cites an answer.
    short: Mapped[str] = mapped_column(String(60))
    prompt: Mapped[str] = mapped_column(Text)
    help: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class Decision(Model):
    """One submitted decision, stored anonymously: the answers and what they gave, nothing else."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    #: The decision contract's version the answers were given in (2 before the form changed).
    version: Mapped[int] = mapped_column(server_default="2")
    #: As given: a multi-valued answer as a list.
    answers: Mapped[dict[str, str | list[str]]] = mapped_column(JSON)
    framework: Mapped[str] = mapped_column(String(40))
    runner_up: Mapped[str | None] = mapped_column(String(40))


class SampleTask(Model):
    """A small task written in every framework: the page that shows them side by side."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    position: Mapped[int]
    summary_html: Mapped[str] = mapped_column(Text)
    samples: Mapped[list[Sample]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="Sample.position"
    )


class Sample(Model):
    """One framework's code for a task, and what its own test last passed against."""

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("sample_task.id"))
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"))
    #: The framework's position, so a task's samples come in page order without a join.
    position: Mapped[int]
    #: [{"name": "app.py", "text": source, "html": highlighted}], the file to read first first.
    files: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    #: [{"name", "package", "url"}]: what the framework needs beyond itself for this task.
    addons: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    note_html: Mapped[str] = mapped_column(Text)
    ran_on: Mapped[dt.date]
    ran_python: Mapped[str] = mapped_column(String(20))
    #: {package: version} the test passed against: the framework's and each add-on's.
    ran_packages: Mapped[dict[str, str]] = mapped_column(JSON)
    task: Mapped[SampleTask] = relationship(back_populates="samples")
    framework: Mapped[Framework] = relationship()


class BenchmarkRun(Model):
    """One row: the figures bench/frameworks.py measured and how, as its content file says."""

    id: Mapped[int] = mapped_column(primary_key=True)
    measured: Mapped[dt.date]
    command: Mapped[str] = mapped_column(Text)
    cores: Mapped[int]
    python: Mapped[str] = mapped_column(String(20))
    workers: Mapped[int]
    connections: Mapped[int]
    seconds: Mapped[int]
    rounds: Mapped[int]
    #: [{"task", "framework", "server", "version", "worker_class", "server_cpus", "load_cpus",
    #: "settings", "requests_per_second", "p50_ms", "p99_ms", "per_round"}]: the configuration,
    #: the medians of the rounds and each round's figures (records.BenchmarkResult).
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class LoadedRevision(Model):
    """Every content revision this site has served, and when it was loaded: a permalink made on
    one says so in its `rev`, and the changes since then are the ones recorded after it."""

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: What a permalink carries: enough of the digest to tell revisions apart.
    short: Mapped[str] = mapped_column(String(12), index=True)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ContentItem(Model):
    """One item (a framework, scenario, guide part, sample task...) as the last load left it: a
    hash per field, so the next load can say which fields it changed."""

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    fields: Mapped[dict[str, str]] = mapped_column(JSON)
    #: The item's own `changes:` note at that load, so an unchanged note is not told twice.
    note: Mapped[str | None] = mapped_column(Text)


class ContentChange(Model):
    """What one content load changed in one item: /changes, the Atom feeds, old permalinks."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The Atom entry's id (urn:uuid:...), fixed when the change is recorded.
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    revision: Mapped[str] = mapped_column(String(64), index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    slug: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(160))
    note: Mapped[str] = mapped_column(Text)

    @property
    def day(self) -> dt.date:
        """The day (UTC) it was recorded, whatever zone the database session reports in."""
        moment = self.recorded_at
        return (moment.astimezone(dt.UTC) if moment.tzinfo else moment).date()


class Wording(Model):
    """The words of one item of content in an edition other than English (the columns its model
    names in TRANSLATED), and the rules' words in every edition. Replaced by each load; the
    snapshot of an edition builds its records with them (see snapshot.py)."""

    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: The table of the item ("framework", "aspect_value"...), or "rules".
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    #: The item's slug (a question's key; "task/framework" for a sample and a table cell).
    key: Mapped[str] = mapped_column(String(130), primary_key=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)


#: The columns of each kind of item that hold words, which an edition gives in its language.
TRANSLATED: dict[type[Any], tuple[str, ...]] = {
    Framework: (
        "tagline",
        "summary_html",
        "version_note",
        "maintainer",
        "release_model",
        "best_for",
        "think_twice",
        "features",
        "strengths",
        "weaknesses",
        "fits",
    ),
    Aspect: ("name", "outside"),
    AspectValue: ("text", "component"),
    Section: ("title", "summary", "body_html", "headings", "charts"),
    Scenario: (
        "title",
        "situation",
        "reason",
        "why_html",
        "runner_up_when",
        "gives_up",
        "closing_note",
    ),
    Question: ("short", "prompt", "help", "choices"),
    SampleTask: ("title", "summary_html"),
    Sample: ("note_html",),
}


class DecisionTally(Model):
    """The rollup /stats reads: how many decisions of one month gave one value of one
    dimension ("first", "runner_up", "total"; "answer:v3:<key>" for an answer of contract
    version 3, "answered:v3" for the multi-valued keys given at all, "version" for the
    decisions made in each version after 2; "answer:<key>" holds version 2's, no longer
    counted)."""

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(60), primary_key=True)
    count: Mapped[int]


class TallyMark(Model):
    """One row: the last decision counted into the tallies, and when they were brought up to
    date."""

    id: Mapped[int] = mapped_column(primary_key=True)
    last_decision: Mapped[int]
    #: None until the first refresh.
    refreshed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
