"""The loaded content as the pages read it: one immutable record per kind, built by the
snapshot (snapshot.py) from the rows of a load with an edition's words already in them.

Field names are the columns' (models.py), so that a record answers for its row; the short
lists a row keeps as JSON (features, choices, a sample's files) stay the mappings it holds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# A benchmark run has the same shape in its file and its row: one record serves both.
from selector.content.records import Benchmark as Benchmark


@dataclass(frozen=True)
class Framework:
    slug: str
    name: str
    position: int
    tagline: str
    summary_html: str
    version: str
    version_released: dt.date | None
    version_checked: dt.date
    min_python: str
    version_note: str
    licence: str
    maintainer: str
    release_model: str
    best_for: str
    think_twice: str
    #: {"area", "status", "detail", "addon"} for each feature
    features: Sequence[Mapping[str, str]]
    strengths: Sequence[str]
    weaknesses: Sequence[str]
    fits: Sequence[str]
    #: {"title", "url", "lang"} for each primary source
    sources: Sequence[Mapping[str, str]]


@dataclass(frozen=True)
class Cell:
    """One cell of the comparison table: a row as one framework handles it."""

    framework: Framework
    text: str
    #: How the framework provides a capability (schemas.PROVISIONS); None where the row describes.
    provided: str | None
    #: The component a senior engineer would name for the row's need.
    component: str | None


@dataclass(frozen=True)
class Aspect:
    """A row of the comparison table."""

    slug: str
    name: str
    position: int
    need: str | None
    outside: str | None
    outside_with: Sequence[str] | None
    values: tuple[Cell, ...]


@dataclass(frozen=True)
class Section:
    """A part of the guide."""

    slug: str
    title: str
    position: int
    summary: str
    include: str | None
    framework_slug: str | None
    standalone: bool
    checked: dt.date | None
    sources: Sequence[Mapping[str, str]]
    #: {"title", "measure", "rows": [{"label", "value", "text", "checked", "source"...}]}
    charts: Sequence[Mapping[str, Any]]
    body_html: str
    #: {"id": anchor, "title": text} for each subheading
    headings: Sequence[Mapping[str, str]]

    @property
    def elsewhere(self) -> bool:
        """Whether the guide shows only this part's summary and a link to where it is read."""
        return self.standalone or self.framework_slug is not None


@dataclass(frozen=True)
class Scenario:
    slug: str
    title: str
    position: int
    situation: str
    first: Framework
    runner_up: Framework | None
    reason: str
    why_html: str
    runner_up_when: str
    gives_up: Sequence[str]
    preset: Mapping[str, str | list[str]]
    related: Sequence[str]
    section: str
    updated: dt.date
    closing_position: int | None
    closing_note: str | None
    #: Its old slugs, each of which answers 301 to its page.
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """The wording of one decision question; keys and values come from answers.py."""

    key: str
    position: int
    required: bool
    short: str
    prompt: str
    help: str
    #: {"value", "label"} for each choice
    choices: Sequence[Mapping[str, str]]

    def label_for(self, value: str) -> str:
        """The reader-facing wording of one answer value."""
        return next(c["label"] for c in self.choices if c["value"] == value)

    def brief(self, value: str) -> str:
        """An answer's wording without its explanation ("Yes" of "Yes: someone has the time")."""
        return re.split(" — |: |\uff1a", self.label_for(value))[0]


@dataclass(frozen=True)
class Sample:
    """One framework's code for a task, and what its own test last passed against."""

    framework: Framework
    position: int
    #: {"name", "text", "html"} for each file, the file to read first first
    files: Sequence[Mapping[str, str]]
    #: {"name", "package", "url"} for each add-on
    addons: Sequence[Mapping[str, str]]
    note_html: str
    ran_on: dt.date
    ran_python: str
    ran_packages: Mapping[str, str]

    @property
    def ran_against(self) -> list[tuple[str, str]]:
        """(name as its project spells it, version) for the framework, then each add-on."""
        names = {self.framework.slug: self.framework.name}
        names.update((addon["package"], addon["name"]) for addon in self.addons)
        return [(name, self.ran_packages[package]) for package, name in names.items()]


@dataclass(frozen=True)
class SampleTask:
    """A small task written in every framework."""

    slug: str
    title: str
    position: int
    summary_html: str
    samples: tuple[Sample, ...]
