"""Validated content as the loader holds it, ready to check and write."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
