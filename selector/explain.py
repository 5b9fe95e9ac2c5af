"""A recommendation in words: the engine names each reason by a key (recommend.Says), and this
finds its words in an edition's content, so that one result reads in English or Japanese."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from selector.answers import Value, values_of
from selector.language import gettext as _
from selector.models import Aspect, Question
from selector.recommend import Answer, Change, Reason, Recommendation
from selector.snapshot import Snapshot, content


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


def _row(loaded: Snapshot, need: str) -> Aspect:
    return next(a for a in loaded.aspects if a.need == need)


def component(loaded: Snapshot, need: str, framework: str) -> tuple[str, str, str]:
    """The coverage cell for a need and a framework: (component, provided, the cell's words)."""
    cell = next(v for v in _row(loaded, need).values if v.framework.slug == framework)
    return cell.component or "", cell.provided or "none", cell.text


def need_label(loaded: Snapshot, need: str) -> str:
    return loaded.question["needs"].brief(need)


def words(reason: Reason, loaded: Snapshot, answers: dict[str, Value] | None = None) -> str:
    """The words of one reason in the edition of loaded."""
    kind, *key = reason.says
    if kind == "rule":
        return loaded.rules[key[0]]
    framework = loaded.framework[key[-1]]
    if kind == "cover":
        name, provided, text = component(loaded, key[0], key[1])
        if provided == "none":
            return _(
                "Cannot carry “%(need)s”: %(text)s.", need=need_label(loaded, key[0]), text=text
            )
        return _(
            "Does “%(need)s” better: %(component)s (%(provided)s).",
            need=need_label(loaded, key[0]),
            component=name,
            provided=provision(provided),
        )
    if kind == "coverage":
        needs = values_of(answers or {}, "needs")
        if not needs:
            return _("No needs were ticked: the other answers place it here.")
        counts = [component(loaded, need, framework.slug)[1] for need in needs]
        said = {
            "built-in": _("built in: %(n)s", n=counts.count("built-in")),
            "official": _("through an official add-on: %(n)s", n=counts.count("official")),
            "third-party": _("through a third-party package: %(n)s", n=counts.count("third-party")),
            "none": _("not available: %(n)s", n=counts.count("none")),
        }
        return _(
            "How it meets your needs: %(parts)s.",
            parts=_("; ").join(said[kind] for kind in said if kind in counts),
        )
    if kind == "only":
        return _(
            "Only %(framework)s can carry “%(need)s”: %(component)s.",
            framework=framework.name,
            need=need_label(loaded, key[0]),
            component=component(loaded, key[0], key[1])[0],
        )
    return framework.best_for


def provision(kind: str) -> str:
    """How a framework provides a need, in the words the comparison table's legend uses."""
    return {
        "built-in": _("Built in"),
        "official": _("Official add-on"),
        "third-party": _("Third-party"),
        "none": _("Not available"),
    }[kind]


def explain(result: Recommendation, loaded: Snapshot | None = None) -> Explained:
    """The result in the words of an edition (the page's, by default)."""
    loaded = loaded or content()

    def said(reason: Reason) -> Said:
        return Said(words(reason, loaded, result.answers), reason.rests_on)

    gives_up = [said(reason).text for reason in result.gives_up]
    return Explained(
        answers=result.answers,
        framework=result.framework,
        runner_up=result.runner_up,
        reasons=[said(reason) for reason in result.reasons],
        runner_up_reason=said(result.runner_up_reason) if result.runner_up_reason else None,
        stack=[
            Component(part.need, *component(loaded, part.need, part.framework)[:2])
            for part in result.stack
        ],
        outside=[(need, _row(loaded, need).outside or tools) for need, tools in result.outside],
        gives_up=gives_up or list(loaded.framework[result.framework].weaknesses[:2]),
        ranking=[Place(place.framework, said(place.reason)) for place in result.ranking],
        change=result.change,
    )


def cite(question: Question, value: str) -> str:
    """An answer in a few words, where a page names the answers a reason rests on."""
    return _("%(question)s: %(answer)s", question=question.short, answer=question.brief(value))


def rule_words(key: str) -> str:
    """What one of the engine's rules says, in the page's edition (the guide prints them)."""
    return content().rules[key]


def register(app: Flask) -> None:
    app.add_template_global(rule_words, "said_rule")
    app.add_template_global(cite)
    app.add_template_global(provision)
