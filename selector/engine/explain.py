"""A recommendation in words: the engine names each reason by a key (recommend.Says), and this
finds its words in an edition's words, so that one result reads in English or Japanese.

Pure: the edition's words and its gettext arrive in a Words record built by the content layer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from selector.engine.answers import Value, values_of
from selector.engine.recommend import Answer, Change, Reason, Recommendation


@dataclass(frozen=True)
class Cell:
    """A coverage cell: the component a framework meets a need with, how, and the cell's words."""

    component: str
    provided: str
    text: str


@dataclass(frozen=True)
class Words:
    """One edition's words for what the engine names, and the gettext of that edition."""

    #: (need, framework) -> its coverage cell
    cells: Mapping[tuple[str, str], Cell]
    #: need -> the tools outside the four that beat them at it, in words
    outside: Mapping[str, str]
    #: need -> its short label
    needs: Mapping[str, str]
    #: rule key -> what the rule says
    rules: Mapping[str, str]
    #: framework slug -> name, what it is best for, and its weaknesses
    names: Mapping[str, str]
    best_for: Mapping[str, str]
    weaknesses: Mapping[str, tuple[str, ...]]
    gettext: Callable[..., str]


@dataclass(frozen=True)
class Said:
    """A reason in words, with the answers it rests on."""

    text: str
    rests_on: tuple[Answer, ...]


@dataclass(frozen=True)
class Place:
    framework: str
    reason: Said


@dataclass(frozen=True)
class Component:
    """A line of the stack: the need, the component that meets it and how it is provided."""

    need: str
    component: str
    provided: str


@dataclass(frozen=True)
class Explained:
    """A recommendation as the pages, the decision record and the API tell it."""

    answers: dict[str, Value]
    framework: str
    runner_up: str | None
    #: Why the first choice, best first; the first is the verdict's sentence.
    reasons: list[Said]
    runner_up_reason: Said | None
    stack: list[Component]
    #: (need, tools): tools outside the four that beat them all at a need.
    outside: list[tuple[str, str]]
    #: What the first choice costs for these answers.
    gives_up: list[str]
    ranking: list[Place]
    change: Change | None


def component(words: Words, need: str, framework: str) -> Cell:
    """The coverage cell for a need and a framework."""
    return words.cells[need, framework]


def _cover(words: Words, need: str, framework: str) -> str:
    """How a framework meets a need better than the first choice, or why it cannot."""
    _ = words.gettext
    cell = component(words, need, framework)
    if cell.provided == "none":
        return _("Cannot carry “%(need)s”: %(text)s.", need=words.needs[need], text=cell.text)
    return _(
        "Does “%(need)s” better: %(component)s (%(provided)s).",
        need=words.needs[need],
        component=cell.component,
        provided=provision(cell.provided, _),
    )


def _coverage(words: Words, framework: str, needs: tuple[str, ...]) -> str:
    """How a framework meets the needs ticked, counted by how it provides each."""
    _ = words.gettext
    if not needs:
        return _("No needs were ticked: the other answers place it here.")
    counts = [component(words, need, framework).provided for need in needs]
    parts = {
        "built-in": _("built in: %(n)s", n=counts.count("built-in")),
        "official": _("through an official add-on: %(n)s", n=counts.count("official")),
        "third-party": _("through a third-party package: %(n)s", n=counts.count("third-party")),
        "none": _("not available: %(n)s", n=counts.count("none")),
    }
    return _(
        "How it meets your needs: %(parts)s.",
        parts=_("; ").join(parts[kind] for kind in parts if kind in counts),
    )


def said(reason: Reason, words: Words, answers: Mapping[str, Value] | None = None) -> str:
    """The words of one reason in the edition of words."""
    _ = words.gettext
    kind, *key = reason.says
    if kind == "rule":
        return words.rules[key[0]]
    framework = key[-1]
    if kind == "cover":
        return _cover(words, key[0], key[1])
    if kind == "coverage":
        return _coverage(words, framework, values_of(dict(answers or {}), "needs"))
    if kind == "only":
        return _(
            "Only %(framework)s can carry “%(need)s”: %(component)s.",
            framework=words.names[framework],
            need=words.needs[key[0]],
            component=component(words, key[0], key[1]).component,
        )
    return words.best_for[framework]


def provision(kind: str, _: Callable[..., Any]) -> str:
    """How a framework provides a need, in the words the comparison table's legend uses."""
    return str(
        {
            "built-in": _("Built in"),
            "official": _("Official add-on"),
            "third-party": _("Third-party"),
            "none": _("Not available"),
        }[kind]
    )


def explain(result: Recommendation, words: Words) -> Explained:
    """The result in the words of one edition."""

    def reason(given: Reason) -> Said:
        return Said(said(given, words, result.answers), given.rests_on)

    gives_up = [reason(given).text for given in result.gives_up]
    return Explained(
        answers=result.answers,
        framework=result.framework,
        runner_up=result.runner_up,
        reasons=[reason(given) for given in result.reasons],
        runner_up_reason=reason(result.runner_up_reason) if result.runner_up_reason else None,
        stack=[
            Component(part.need, cell.component, cell.provided)
            for part in result.stack
            for cell in [component(words, part.need, part.framework)]
        ],
        outside=[(need, words.outside.get(need) or tools) for need, tools in result.outside],
        gives_up=gives_up or list(words.weaknesses[result.framework][:2]),
        ranking=[Place(place.framework, reason(place.reason)) for place in result.ranking],
        change=result.change,
    )
