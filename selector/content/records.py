"""Content as the code holds it: validated files ready to check and write, and the rows of
the coverage table the engine reads."""

from __future__ import annotations

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


@dataclass
class Content:
    """Validated content, ready to write; digest identifies the files it came from."""

    digest: str
    #: Facts that age: id, text, checked, source.
    facts: list[dict[str, Any]] = field(default_factory=list)
    frameworks: list[dict[str, Any]] = field(default_factory=list)
    aspects: list[dict[str, Any]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)
    #: Code sample tasks, each with {framework slug: sample} under "samples".
    tasks: list[dict[str, Any]] = field(default_factory=list)
    #: The samples' lock file as {package: version}.
    pins: dict[str, str] = field(default_factory=dict)
    #: The framework benchmark's figures, when benchmarks.yaml exists.
    benchmark: dict[str, Any] | None = None
    #: What the engine's rules say, by key (rules.yaml).
    rules: dict[str, str] = field(default_factory=dict)
    #: The same content in each other edition's words (editions.py).
    editions: dict[str, Content] = field(default_factory=dict)


def framework_slugs(content: Content) -> set[str]:
    return {record["slug"] for record in content.frameworks}
