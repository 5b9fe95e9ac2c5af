"""The recommendation engine: validated answers + the decision model -> a ranked, explained result.

Pure: no Flask, no database. The first choice follows the decision contract's
three ordered questions; the scenarios loaded from content choose the
runner-up (the closest scenario with the same first choice supplies it), order
the remaining frameworks and name the situations that resemble the answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from selector.answers import ANSWERS

Answers = Mapping[str, str]

# Why the three ordered questions led where they did, keyed by the rule that fired.
RULE_REASONS = {
    "batteries": (
        "You need an admin screen, accounts with permissions and an ORM from the first release; "
        "Django is the one framework of the four that ships all three, already wired together."
    ),
    "async_or_typed": (
        "You can do without an all-in bundle, and the heart of the service is concurrent async I/O "
        "or a typed API contract: FastAPI runs on ASGI and turns type hints into validation and "
        "OpenAPI documentation."
    ),
    "assemble": (
        "You need neither the all-in bundle nor an async-first core, and the team wants to pick "
        "each part itself: Flask keeps the core small and leaves those choices to you."
    ),
    "design_owner": (
        "No one wants to assemble the parts, but the team can own the application's structure, "
        "so Flask's freedom has someone to keep it in order."
    ),
    "default": (
        "No one wants to assemble the parts and nobody is named to own the structure, so "
        "Django's conventions make those decisions for you and keep the code base consistent."
    ),
}
NO_RUNNER_UP = (
    "There is no close second: the closest scenario needs parts that only {name} brings ready-made."
)


@dataclass(frozen=True)
class FrameworkFacts:
    slug: str
    name: str
    weaknesses: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioFacts:
    slug: str
    title: str
    first: str
    runner_up: str | None
    preset: Mapping[str, str]
    reason: str
    runner_up_when: str


@dataclass(frozen=True)
class DecisionModel:
    """What the engine knows from content: the frameworks and the scenarios, in page order."""

    frameworks: Sequence[FrameworkFacts]
    scenarios: Sequence[ScenarioFacts]


@dataclass(frozen=True)
class Pivot:
    answer: str
    to: str
    framework: str


@dataclass(frozen=True)
class Recommendation:
    answers: dict[str, str]
    framework: str
    runner_up: str | None
    ranking: list[tuple[str, float]]
    reasons: list[str]
    runner_up_reason: str
    tradeoffs: list[str]
    pivot: Pivot | None
    matches: list[str] = field(default_factory=list)


def decisive_rule(answers: Answers) -> str:
    """Which of the ordered questions settles the first choice."""
    if answers["batteries"] == "yes":
        return "batteries"
    if answers["async_or_typed"] == "yes":
        return "async_or_typed"
    if answers["assemble"] == "yes":
        return "assemble"
    return "design_owner" if answers.get("design_owner") == "yes" else "default"


def first_choice(answers: Answers) -> str:
    """The decision contract's table: the framework the ordered questions point to."""
    return {
        "batteries": "django",
        "async_or_typed": "fastapi",
        "assemble": "flask",
        "design_owner": "flask",
        "default": "django",
    }[decisive_rule(answers)]


def similarity(answers: Answers, preset: Mapping[str, str]) -> float:
    """The share of the contract's questions on which the answers agree with a preset."""
    return sum(answers.get(key) == preset.get(key) for key in ANSWERS) / len(ANSWERS)


def find_pivot(answers: Answers) -> Pivot | None:
    """The first single answer, in question order, whose change would change the first choice."""
    current = first_choice(answers)
    for key, values in ANSWERS.items():
        for value in values:
            if value == answers.get(key):
                continue
            changed = first_choice({**answers, key: value})
            if changed != current:
                return Pivot(key, value, changed)
    return None


def recommend(answers: Answers, model: DecisionModel) -> Recommendation:
    """Rank the frameworks for validated answers and explain the result."""
    first = first_choice(answers)
    by_closeness = sorted(model.scenarios, key=lambda s: -similarity(answers, s.preset))
    closest_same = next((s for s in by_closeness if s.first == first), None)
    runner_up = closest_same.runner_up if closest_same else None
    names = {f.slug: f.name for f in model.frameworks}

    # Each scenario backs its first choice fully and its runner-up by half,
    # weighted by how much it resembles the answers.
    support = dict.fromkeys(names, 0.0)
    for scenario in model.scenarios:
        weight = similarity(answers, scenario.preset) ** 2
        support[scenario.first] += weight
        if scenario.runner_up:
            support[scenario.runner_up] += weight / 2
    total = sum(support.values()) or 1.0
    # The rules fix the top two; support orders the rest and scales within each band.
    bands = {first: 2.0, runner_up: 1.0}
    scores = {
        slug: round((bands.get(slug, 0.0) + 0.99 * support[slug] / total) / 3, 3) for slug in names
    }
    ranking = sorted(scores.items(), key=lambda item: -item[1])

    reasons = [RULE_REASONS[decisive_rule(answers)]]
    if closest_same:
        reasons.append(f"Closest scenario, “{closest_same.title}”: {closest_same.reason}")
    if closest_same and runner_up:
        runner_up_reason = closest_same.runner_up_when
    else:
        runner_up_reason = NO_RUNNER_UP.format(name=names[first])
    weaknesses = next(f.weaknesses for f in model.frameworks if f.slug == first)
    return Recommendation(
        answers={key: answers[key] for key in ANSWERS if key in answers},
        framework=first,
        runner_up=runner_up,
        ranking=ranking,
        reasons=reasons,
        runner_up_reason=runner_up_reason,
        tradeoffs=list(weaknesses),
        pivot=find_pivot(answers),
        matches=[s.slug for s in by_closeness[:3]],
    )
