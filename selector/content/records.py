"""Content as the code holds it: one immutable record per kind of content, as the files are
read (content/schemas.py builds them), and the rows of the coverage table the engine reads.

Field names follow the files' keys, so that the change history hashes the same fields it
always has (history.py); `file` is where a record was read from, relative to the content
folder, and is bookkeeping, never content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from selector.engine.explain import Cell


@dataclass(frozen=True)
class Need:
    """A row of the coverage table that covers a need: each framework's cell, and the tools
    outside the four that beat them at it."""

    need: str
    #: framework slug -> its cell
    cells: Mapping[str, Cell]
    outside: str | None
    #: The other needs, one of which must be named too for the outside tools to beat the four.
    outside_with: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """A primary source: official documentation, release notes, the package index page."""

    title: str
    url: str
    #: The language the source is written in; a page in another language says so beside it.
    lang: str = "en"


@dataclass(frozen=True)
class Fact:
    """A fact that ages, stated once: the text every page cites, when and where it was checked."""

    id: str
    text: str
    checked: dt.date
    source: str


@dataclass(frozen=True)
class Version:
    current: str
    #: When the package index says the current release came out.
    released: dt.date | None
    checked: dt.date
    min_python: str
    note: str


@dataclass(frozen=True)
class Feature:
    area: str
    #: built-in, partial or add-on
    status: str
    detail: str
    addon: str


@dataclass(frozen=True)
class Framework:
    slug: str
    name: str
    order: int
    tagline: str
    summary: str
    version: Version
    licence: str
    maintainer: str
    release_model: str
    best_for: str
    think_twice: str
    features: tuple[Feature, ...]
    strengths: tuple[str, ...]
    weaknesses: tuple[str, ...]
    fits: tuple[str, ...]
    sources: tuple[Source, ...]
    #: The author's note on what changed, for the change history.
    changes: str | None
    summary_html: str = ""
    file: str = ""


@dataclass(frozen=True)
class Aspect:
    """A row of the comparison table; a row of the coverage table when it names a need."""

    slug: str
    name: str
    #: framework slug -> the cell's text
    values: Mapping[str, str]
    #: framework slug -> how it provides the capability, for a row that names one.
    provided: Mapping[str, str] | None
    need: str | None
    #: framework slug -> the component that meets the need
    components: Mapping[str, str] | None
    outside: str | None
    outside_with: tuple[str, ...] | None
    file: str = ""


@dataclass(frozen=True)
class ChartRow:
    """One bar of a part's chart: its label and the fact that gives its figure. Reading the
    content fills in the fact's text, the figure it states, when and where it was checked."""

    label: str
    fact: str
    value: float = 0.0
    text: str = ""
    checked: str = ""
    source: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart a guide part draws after its text, with a table of the same figures beside it."""

    title: str
    #: What the figures are, for the table's column ("share of respondents").
    measure: str
    rows: tuple[ChartRow, ...]


@dataclass(frozen=True)
class Section:
    """A part of the guide: its front matter, and its Markdown body rendered."""

    slug: str
    title: str
    summary: str
    include: str | None
    framework: str | None
    standalone: bool
    checked: dt.date | None
    sources: tuple[Source, ...]
    changes: str | None
    charts: tuple[Chart, ...] = ()
    body_html: str = ""
    #: {"id": anchor, "title": text} for each subheading, in order.
    headings: tuple[Mapping[str, str], ...] = ()
    file: str = ""


@dataclass(frozen=True)
class Closing:
    """Where a scenario closes the scenario matrix, and what it says there."""

    order: int
    note: str


@dataclass(frozen=True)
class Scenario:
    slug: str
    order: int
    title: str
    situation: str
    first: str
    runner_up: str | None
    reason: str
    why: str
    runner_up_when: str
    gives_up: tuple[str, ...]
    #: The answers that lead to its first choice, as DecisionInput reads them.
    preset: Mapping[str, str | list[str]]
    related: tuple[str, ...]
    section: str
    updated: dt.date
    aliases: tuple[str, ...]
    closing: Closing | None
    changes: str | None
    why_html: str = ""
    file: str = ""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    key: str
    required: bool
    short: str
    prompt: str
    help: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Addon:
    """A package a code sample needs beyond its framework."""

    name: str
    package: str
    url: str


@dataclass(frozen=True)
class SampleNeeds:
    """What one framework needs for a task, as its sample.yaml says."""

    addons: tuple[Addon, ...]
    note: str


@dataclass(frozen=True)
class SampleRun:
    """What a sample's own test last passed against."""

    ran: dt.date
    python: str
    #: {package: version}, each package's name normalised.
    packages: Mapping[str, str]
    #: The hash of the sample's code as it ran (sample_env.code_digest).
    code: str


@dataclass(frozen=True)
class SampleFile:
    name: str
    text: str
    html: str


@dataclass(frozen=True)
class Sample:
    """One framework's code for a task, the file to read first first."""

    files: tuple[SampleFile, ...]
    addons: tuple[Addon, ...]
    note: str
    note_html: str
    run: SampleRun
    file: str


@dataclass(frozen=True)
class SampleCase:
    """One request that every framework's sample of a task must answer in the same way."""

    name: str
    method: str
    path: str
    query: Mapping[str, str] | None
    json_body: Any
    form: Mapping[str, str] | None
    headers: Mapping[str, str] | None
    send: tuple[str, ...] | None
    status: int
    body: Any
    keys: tuple[str, ...] | None
    invalid: tuple[str, ...] | None
    html: bool


@dataclass(frozen=True)
class SampleTask:
    """A task every framework's code sample does the same way."""

    title: str
    order: int
    summary: str
    lead: str
    cases: tuple[SampleCase, ...]
    changes: str | None
    slug: str = ""
    summary_html: str = ""
    #: framework slug -> its sample
    samples: Mapping[str, Sample] = field(default_factory=dict)
    file: str = ""


@dataclass(frozen=True)
class BenchmarkRound:
    """One series' figures in one round."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float


@dataclass(frozen=True)
class BenchmarkResult:
    """One task served by one framework under one server, as it was configured: the median of
    the rounds, and each round's own figures in the order they ran."""

    task: str
    framework: str
    server: str
    version: str
    #: gunicorn's worker class, or the event loop and HTTP parser Uvicorn was told to use.
    worker_class: str
    #: The CPUs (taskset's list) the server's processes and wrk ran on.
    server_cpus: str
    load_cpus: str
    #: The framework's settings that matter to speed, as the served application read them.
    settings: Mapping[str, str]
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    per_round: tuple[BenchmarkRound, ...]


@dataclass(frozen=True)
class Benchmark:
    """The framework benchmark's figures and how they were measured."""

    measured: dt.date
    command: str
    cores: int
    python: str
    workers: int
    connections: int
    seconds: int
    rounds: int
    results: tuple[BenchmarkResult, ...]


@dataclass
class Content:
    """Validated content, ready to write; digest identifies the files it came from."""

    digest: str
    facts: list[Fact] = field(default_factory=list)
    frameworks: list[Framework] = field(default_factory=list)
    aspects: list[Aspect] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    tasks: list[SampleTask] = field(default_factory=list)
    #: The samples' lock file as {package: version}.
    pins: dict[str, str] = field(default_factory=dict)
    #: The framework benchmark's figures, when benchmarks.yaml exists.
    benchmark: Benchmark | None = None
    #: What the engine's rules say, by key (rules.yaml).
    rules: dict[str, str] = field(default_factory=dict)
    #: The same content in each other edition's words (read_edition.py).
    editions: dict[str, Content] = field(default_factory=dict)


def framework_slugs(content: Content) -> set[str]:
    return {record.slug for record in content.frameworks}
