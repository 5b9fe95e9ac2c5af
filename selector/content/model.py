"""What the engine reads of content, built in one place whether it comes from the files or
the loaded rows: the decision model, from the coverage rows (Need records) and the
frameworks' page order, and an edition's words for its explanations."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from selector.content.records import Aspect, Content, Need
from selector.engine.explain import Cell, Words
from selector.engine.recommend import DecisionModel


def decision_model(frameworks: Sequence[str], needs: Iterable[Need]) -> DecisionModel:
    """What the engine reads of content: the frameworks in page order and the coverage table."""
    needs = list(needs)
    return DecisionModel(
        frameworks=list(frameworks),
        coverage={n.need: {slug: cell.provided for slug, cell in n.cells.items()} for n in needs},
        outside={n.need: n.outside for n in needs if n.outside},
        outside_with={n.need: n.outside_with for n in needs if n.outside_with},
    )


def needs(aspects: Iterable[Aspect]) -> list[Need]:
    """The coverage rows of validated aspect records (those that cover a need, which their
    schema holds to giving components and provided)."""
    return [
        Need(
            need=r.need,
            cells={
                slug: Cell((r.components or {}).get(slug, ""), provided, r.values.get(slug, ""))
                for slug, provided in (r.provided or {}).items()
            },
            outside=r.outside,
            outside_with=tuple(r.outside_with or ()),
        )
        for r in aspects
        if r.need
    ]


def content_model(content: Content) -> DecisionModel:
    """The decision model of validated content files."""
    order = sorted(content.frameworks, key=lambda f: f.order)
    return decision_model([f.slug for f in order], needs(content.aspects))


class Named(Protocol):
    """What the explanations say of a framework, from a file record or a loaded row."""

    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def best_for(self) -> str: ...
    @property
    def weaknesses(self) -> Sequence[str]: ...


def edition_words(
    needs: Iterable[Need],
    frameworks: Iterable[Named],
    briefs: Mapping[str, str],
    rules: Mapping[str, str],
    gettext: Callable[..., str],
) -> Words:
    """An edition's words for what the engine names: the coverage cells and outside tools of
    its needs, its frameworks' names, each need's short label (briefs), the rules' words."""
    needs, frameworks = list(needs), list(frameworks)
    return Words(
        cells={(n.need, slug): cell for n in needs for slug, cell in n.cells.items()},
        outside={n.need: n.outside for n in needs if n.outside},
        needs=briefs,
        rules=rules,
        names={f.slug: f.name for f in frameworks},
        best_for={f.slug: f.best_for for f in frameworks},
        weaknesses={f.slug: tuple(f.weaknesses) for f in frameworks},
        gettext=gettext,
    )
