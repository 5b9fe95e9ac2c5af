"""The engine's words in the page's edition, for templates: what a rule says, an answer in a
few words, and how a framework provides a need."""

from __future__ import annotations

from flask import Flask

from selector.content.loaded import Question
from selector.content.snapshot import content
from selector.engine import explain
from selector.language import gettext as _


def cite(question: Question, value: str) -> str:
    """An answer in a few words, where a page names the answers a reason rests on."""
    return _("%(question)s: %(answer)s", question=question.short, answer=question.brief(value))


def rule_words(key: str) -> str:
    """What one of the engine's rules says, in the page's edition (the guide prints them)."""
    return content().rules[key]


def provision(kind: str) -> str:
    """How a framework provides a need, in the page's edition."""
    return explain.provision(kind, _)


def register(app: Flask) -> None:
    app.add_template_global(rule_words, "said_rule")
    app.add_template_global(cite)
    app.add_template_global(provision)
