"""The recommendation engine, version 2 of the decision contract: answers -> an explained ranking.

Pure: no Flask, no database, nothing from selector but the answer vocabulary.
The first choice and the runner-up come from two ordered rule tables,
FIRST_CHOICE and RUNNER_UP, which the guide renders as they are, so its prose
and the engine read one source. Content supplies the rest through the
DecisionModel: the frameworks' weaknesses, the scenarios (the runner-up when no
rule applies, the closest situation) and a note per answer and framework.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from selector.answers import ANSWERS, REQUIRED

Answers = Mapping[str, str]
#: One answer: (key, value).
Answer = tuple[str, str]


@dataclass(frozen=True)
class Reason:
    """A sentence of the explanation and the answers it rests on, so a reader can check it."""

    text: str
    rests_on: tuple[Answer, ...]


@dataclass(frozen=True)
class FirstChoiceRule:
    """Pick a framework when every answer in `when` was given; the first matching rule wins."""

    when: tuple[Answer, ...]
    pick: str
    why: str


@dataclass(frozen=True)
class RunnerUp:
    framework: str | None
    why: str


@dataclass(frozen=True)
class RunnerUpRule:
    """When this answer was given, the runner-up for each first choice named in `picks`."""

    when: Answer
    picks: Mapping[str, RunnerUp]


FIRST_CHOICE: tuple[FirstChoiceRule, ...] = (
    FirstChoiceRule(
        (("batteries", "yes"),),
        "django",
        "You need an admin screen, accounts with permissions and an ORM from the first release, "
        "and Django is the only one of the four that ships all three, already wired together.",
    ),
    FirstChoiceRule(
        (("async_or_typed", "yes"), ("existing", "flask"), ("workload", "realtime")),
        "quart",
        "Long-lived connections are the main job and the team already works in Flask: Quart runs "
        "Flask's routes, blueprints and templates on ASGI, with WebSockets in the core.",
    ),
    FirstChoiceRule(
        (("async_or_typed", "yes"),),
        "fastapi",
        "Concurrent async I/O or a typed API contract is the heart of the service: FastAPI runs "
        "on ASGI and turns type hints into validation and an OpenAPI document.",
    ),
    FirstChoiceRule(
        (("assemble", "yes"),),
        "flask",
        "You need neither the all-in bundle nor an async-first core, and the team wants to pick "
        "each part itself: Flask keeps the core small and leaves those choices to you.",
    ),
    FirstChoiceRule(
        (),
        "django",
        "You need neither an async-first core nor a typed contract, and you would rather have "
        "the parts chosen for you: Django has chosen them, and its conventions keep the code "
        "base in one shape.",
    ),
)

_DJANGO_COVERS_IT = RunnerUp(
    "django",
    "Your team already knows Django, and Django reaches this ground too: Django Ninja or DRF "
    "for a typed API, Channels for WebSockets and other long-lived connections.",
)
_FLASK_CARRIES_OVER = RunnerUp(
    "flask",
    "Your Flask code and habits carry over as they are; what you give up is what the first "
    "choice adds, to be bolted on as Flask extensions instead.",
)

RUNNER_UP: tuple[RunnerUpRule, ...] = (
    RunnerUpRule(
        ("existing", "django"),
        {"flask": _DJANGO_COVERS_IT, "fastapi": _DJANGO_COVERS_IT, "quart": _DJANGO_COVERS_IT},
    ),
    RunnerUpRule(
        ("existing", "flask"),
        {
            "fastapi": _FLASK_CARRIES_OVER,
            "django": _FLASK_CARRIES_OVER,
            "quart": RunnerUp(
                "fastapi",
                "FastAPI is the other async-first choice, with typed contracts built in, but it "
                "means leaving Flask's routes, blueprints and extensions behind.",
            ),
        },
    ),
    RunnerUpRule(
        ("workload", "realtime"),
        {
            "fastapi": RunnerUp(
                "quart",
                "Quart gives the same ASGI concurrency, WebSockets included, in Flask's shape: "
                "the better fit if the people writing it think in Flask.",
            ),
            "flask": RunnerUp(
                "fastapi",
                "If the long-lived connections grow into the main job, FastAPI holds them on an "
                "event loop, where a Flask worker keeps a thread busy for each one.",
            ),
            "django": RunnerUp(
                "fastapi",
                "If the real-time part grows into a service of its own, FastAPI serves "
                "WebSockets and streams natively; inside Django that work goes to Channels.",
            ),
        },
    ),
    RunnerUpRule(
        ("design_owner", "no"),
        {
            "flask": RunnerUp(
                "django",
                "Nobody will own the structure that Flask leaves open; Django's conventions "
                "supply it.",
            ),
            "django": RunnerUp(
                None,
                "Nothing else supplies the structure that nobody on the team will own, so there "
                "is no close second.",
            ),
        },
    ),
    RunnerUpRule(
        ("design_owner", "yes"),
        {
            "django": RunnerUp(
                "flask",
                "Someone will own the structure, which is what Flask needs most; it is the way "
                "out if Django's size or conventions get in the way, at the price of choosing "
                "the parts Django ships.",
            ),
        },
    ),
)
#: The last rule: no rule above applied and the answers need the all-in bundle.
NO_CLOSE_SECOND = (
    "Nothing else ships an admin screen, accounts with permissions and an ORM together, so "
    "there is no close second: every other choice means assembling and securing them yourself."
)
#: Why a framework that is neither first nor runner-up stands where it does: the first line
#: whose answer was given applies. Each framework has a line for every way it can end up there.
BEHIND: Mapping[str, tuple[tuple[Answer, str], ...]] = {
    "django": (
        (("assemble", "yes"), "You want to pick each part yourself; Django has picked them."),
        (
            ("async_or_typed", "yes"),
            "Async I/O or a typed contract is the main job; Django runs async queries on "
            "threads and needs Django Ninja or DRF for a typed API.",
        ),
    ),
    "fastapi": (
        (("batteries", "yes"), "Ships no admin, no accounts and no ORM: all three would be yours."),
        (
            ("async_or_typed", "no"),
            "Its strengths, async I/O and typed API contracts, are not the main job you described.",
        ),
    ),
    "flask": (
        (("batteries", "yes"), "Ships none of the three parts you need from day one."),
        (
            ("async_or_typed", "yes"),
            "Async views still hold a worker thread each, and a typed OpenAPI contract needs an "
            "extension such as APIFlask or flask-smorest.",
        ),
        (
            ("assemble", "no"),
            "Leaves the ORM, validation and login to you, and you would rather not choose them.",
        ),
    ),
    "quart": (
        (
            ("async_or_typed", "no"),
            "Quart is Flask on ASGI, and async I/O is not the main job you described.",
        ),
        (("batteries", "yes"), "Like Flask, it ships no admin, no accounts and no ORM."),
        (
            ("existing", "flask"),
            "Your Flask code would carry over, but its gain is long-lived connections, and you "
            "did not name real-time work.",
        ),
        (
            ("async_or_typed", "yes"),
            "It pays off for a team bringing Flask code or habits to async work, which you did "
            "not describe; FastAPI is the stronger async choice without them.",
        ),
    ),
}
#: A framework added as content that no rule names yet stands behind the ones the rules know.
UNRANKED = "No rule of the guide names it for these answers yet."


class NoScenarioFits(LookupError):
    """The rules leave the runner-up to the closest scenario, and none fits: a content gap."""


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
    """What the engine knows from content, in page order."""

    frameworks: Sequence[FrameworkFacts]
    scenarios: Sequence[ScenarioFacts]
    #: (key, value) -> framework -> what that answer means with that framework first.
    notes: Mapping[Answer, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Pivot:
    answer: str
    to: str
    framework: str


@dataclass(frozen=True)
class Ranked:
    framework: str
    reason: Reason


@dataclass(frozen=True)
class Recommendation:
    answers: dict[str, str]
    framework: str
    runner_up: str | None
    #: All frameworks, best first, each with its one-line reason.
    ranking: list[Ranked]
    reasons: list[Reason]
    runner_up_reason: Reason
    tradeoffs: list[str]
    pivot: Pivot | None
    matches: list[str] = field(default_factory=list)


def _given(answers: Answers, when: Sequence[Answer]) -> bool:
    return all(answers.get(key) == value for key, value in when)


def _pairs(answers: Answers, keys: Collection[str]) -> tuple[Answer, ...]:
    """The given answers for keys, in the contract's order."""
    return tuple((key, answers[key]) for key in ANSWERS if key in keys and key in answers)


def _agreed(answers: Answers, preset: Mapping[str, str]) -> tuple[Answer, ...]:
    """The answers a scenario's preset shares: what its texts rest on for this reader."""
    return _pairs(answers, [key for key in preset if answers.get(key) == preset[key]])


def first_rule(answers: Answers) -> int:
    """The index of the FIRST_CHOICE rule that settles the first choice."""
    return next(i for i, rule in enumerate(FIRST_CHOICE) if _given(answers, rule.when))


def first_choice(answers: Answers) -> str:
    return FIRST_CHOICE[first_rule(answers)].pick


def _first_reason(answers: Answers) -> Reason:
    """The deciding rule's reason; it rests on its own answers and on the earlier questions."""
    index = first_rule(answers)
    keys = {key for key, _ in FIRST_CHOICE[index].when}
    keys |= {key for rule in FIRST_CHOICE[:index] for key, _ in rule.when if key in REQUIRED}
    return Reason(FIRST_CHOICE[index].why, _pairs(answers, keys))


def similarity(answers: Answers, preset: Mapping[str, str]) -> int:
    """On how many of the contract's questions the answers and a preset agree."""
    return sum(answers.get(key) == preset.get(key) for key in ANSWERS)


def compatible(answers: Answers, preset: Mapping[str, str]) -> bool:
    """Whether a scenario's texts hold for these answers: every answer its preset sets was
    given the same. `existing: none` assumes nothing about the team's code, so it never conflicts.
    """
    return all(
        answers.get(key) == value or (key, value) == ("existing", "none")
        for key, value in preset.items()
    )


def closest_scenario(answers: Answers, model: DecisionModel, first: str) -> ScenarioFacts | None:
    """The most similar scenario with the same first choice whose texts hold for the answers."""
    fitting = [s for s in model.scenarios if s.first == first and compatible(answers, s.preset)]
    return max(fitting, key=lambda s: similarity(answers, s.preset), default=None)


def runner_up(
    answers: Answers, first: str, closest: ScenarioFacts | None
) -> tuple[str | None, Reason]:
    """The contract's runner-up rules, in order: the first that applies decides."""
    for rule in RUNNER_UP:
        if answers.get(rule.when[0]) == rule.when[1] and first in rule.picks:
            pick = rule.picks[first]
            return pick.framework, Reason(pick.why, (rule.when,))
    if answers["batteries"] == "yes":
        return None, Reason(NO_CLOSE_SECOND, (("batteries", "yes"),))
    if closest is None:
        raise NoScenarioFits(f"no scenario fits {dict(answers)} with {first} first")
    return closest.runner_up, Reason(closest.runner_up_when, _agreed(answers, closest.preset))


def behind(slug: str, answers: Answers) -> Reason:
    """Why a framework is neither first nor runner-up, in terms of the answers."""
    for answer, text in BEHIND.get(slug, ()):
        if _given(answers, [answer]):
            return Reason(text, (answer,))
    return Reason(UNRANKED, ())


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


def _order(answers: Answers, model: DecisionModel, top: list[str]) -> list[str]:
    """The frameworks after the top ones: the more the scenarios like these answers back one,
    the higher it stands (a scenario backs its first choice fully and its runner-up by half)."""
    support = {f.slug: 0.0 for f in model.frameworks}
    for scenario in model.scenarios:
        weight = similarity(answers, scenario.preset) ** 2
        support[scenario.first] += weight
        if scenario.runner_up:
            support[scenario.runner_up] += weight / 2
    rest = [f.slug for f in model.frameworks if f.slug not in top]
    return sorted(rest, key=lambda slug: -support[slug])


def recommend(answers: Answers, model: DecisionModel) -> Recommendation:
    """Rank the frameworks for validated answers and explain the result."""
    first = first_choice(answers)
    closest = closest_scenario(answers, model, first)
    second, second_reason = runner_up(answers, first, closest)
    first_reason = _first_reason(answers)

    top = [first, *([second] if second else [])]
    ranking = [Ranked(first, first_reason)]
    if second:
        ranking.append(Ranked(second, second_reason))
    ranking += [Ranked(slug, behind(slug, answers)) for slug in _order(answers, model, top)]

    reasons = [first_reason]
    if closest:
        text = f"Closest scenario, “{closest.title}”: {closest.reason}"
        reasons.append(Reason(text, _agreed(answers, closest.preset)))
    for key in ANSWERS:
        note = model.notes.get((key, answers.get(key, "")), {}).get(first)
        if note:
            reasons.append(Reason(note, ((key, answers[key]),)))

    weaknesses = next(f.weaknesses for f in model.frameworks if f.slug == first)
    by_closeness = sorted(model.scenarios, key=lambda s: -similarity(answers, s.preset))
    return Recommendation(
        answers={key: answers[key] for key in ANSWERS if key in answers},
        framework=first,
        runner_up=second,
        ranking=ranking,
        reasons=reasons,
        runner_up_reason=second_reason,
        tradeoffs=list(weaknesses),
        pivot=find_pivot(answers),
        matches=[s.slug for s in by_closeness[:3]],
    )
