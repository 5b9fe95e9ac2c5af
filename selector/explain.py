"""A recommendation in words: the engine names each reason by a key (recommend.Says), and this
finds its words in an edition's content, so that one result reads in English or Japanese."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask

from selector.language import gettext as _
from selector.models import Question
from selector.recommend import Answer, Pivot, Reason, Recommendation
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
class Explained:
    """A recommendation as the pages, the decision record and the API tell it."""

    answers: dict[str, str]
    framework: str
    runner_up: str | None
    ranking: list[Place]
    reasons: list[Said]
    runner_up_reason: Said
    #: What the first choice gives up: its weaknesses, in the edition's words.
    tradeoffs: list[str]
    pivot: Pivot | None
    matches: list[str]


def words(reason: Reason, loaded: Snapshot) -> str:
    """The words of one reason in the edition of loaded."""
    kind, *key = reason.says
    if kind == "rule":
        return loaded.rules[key[0]]
    if kind == "runner_up_when":
        return loaded.scenario[key[0]].runner_up_when
    if kind == "closest":
        scenario = loaded.scenario[key[0]]
        return _(
            "Closest scenario, “%(title)s”: %(reason)s",
            title=scenario.title,
            reason=scenario.reason,
        )
    question, value, framework = key
    choice = next(c for c in loaded.question[question].choices if c["value"] == value)
    note: str = choice["notes"][framework]
    return note


def explain(result: Recommendation, loaded: Snapshot | None = None) -> Explained:
    """The result in the words of an edition (the page's, by default)."""
    loaded = loaded or content()

    def said(reason: Reason) -> Said:
        return Said(words(reason, loaded), reason.rests_on)

    return Explained(
        answers=result.answers,
        framework=result.framework,
        runner_up=result.runner_up,
        ranking=[Place(place.framework, said(place.reason)) for place in result.ranking],
        reasons=[said(reason) for reason in result.reasons],
        runner_up_reason=said(result.runner_up_reason),
        tradeoffs=list(loaded.framework[result.framework].weaknesses),
        pivot=result.pivot,
        matches=result.matches,
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
