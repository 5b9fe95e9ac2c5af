"""The recommendation engine, version 2 of the decision contract: answers -> an explained ranking.

Pure: no Flask, no database, nothing from selector but the answer vocabulary, and no
words of any language. The first choice and the runner-up come from two ordered rule
tables, FIRST_CHOICE and RUNNER_UP, which the guide renders as they are, so its prose
and the engine read one source. Content supplies the rest through the DecisionModel:
the scenarios (the runner-up when no rule applies, the closest situation) and which
answers have a note for which framework. Every reason is returned as a key (`Says`);
the words for it, in each edition's language, come from content (rules.yaml, the
scenario and question files), so one result reads the same in English and Japanese.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from selector.answers import ANSWERS, REQUIRED

Answers = Mapping[str, str]
#: One answer: (key, value).
Answer = tuple[str, str]
#: Where a reason's words are in content: ("rule", key of rules.yaml), ("closest", scenario
#: slug), ("runner_up_when", scenario slug) or ("note", question key, answer, framework).
Says = tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    """A sentence of the explanation, by the key of its words, and the answers it rests on, so a
    reader can check it."""

    says: Says
    rests_on: tuple[Answer, ...]


@dataclass(frozen=True)
class FirstChoiceRule:
    """Pick a framework when every answer in `when` was given; the first matching rule wins."""

    when: tuple[Answer, ...]
    pick: str
    #: The key of its reason in rules.yaml.
    why: str


@dataclass(frozen=True)
class RunnerUp:
    framework: str | None
    #: The key of its reason in rules.yaml.
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
        "first-batteries",
    ),
    FirstChoiceRule(
        (("async_or_typed", "yes"), ("existing", "flask"), ("workload", "realtime")),
        "quart",
        "first-flask-team-realtime",
    ),
    FirstChoiceRule(
        (("async_or_typed", "yes"),),
        "fastapi",
        "first-async-or-typed",
    ),
    FirstChoiceRule(
        (("assemble", "yes"),),
        "flask",
        "first-assemble",
    ),
    FirstChoiceRule(
        (),
        "django",
        "first-otherwise",
    ),
)

_DJANGO_COVERS_IT = RunnerUp(
    "django",
    "runner-up-django-covers-it",
)
_FLASK_CARRIES_OVER = RunnerUp(
    "flask",
    "runner-up-flask-carries-over",
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
                "runner-up-flask-team-fastapi",
            ),
        },
    ),
    RunnerUpRule(
        ("workload", "realtime"),
        {
            "fastapi": RunnerUp(
                "quart",
                "runner-up-realtime-quart",
            ),
            "flask": RunnerUp(
                "fastapi",
                "runner-up-realtime-outgrows-flask",
            ),
            "django": RunnerUp(
                "fastapi",
                "runner-up-realtime-outgrows-django",
            ),
        },
    ),
    RunnerUpRule(
        ("design_owner", "no"),
        {
            "flask": RunnerUp(
                "django",
                "runner-up-no-owner-flask",
            ),
            "django": RunnerUp(
                None,
                "runner-up-no-owner-django",
            ),
        },
    ),
    RunnerUpRule(
        ("design_owner", "yes"),
        {
            "django": RunnerUp(
                "flask",
                "runner-up-owner-django",
            ),
        },
    ),
)
#: The last rule: no rule above applied and the answers need the all-in bundle.
NO_CLOSE_SECOND = "runner-up-no-close-second"
#: Why a framework that is neither first nor runner-up stands where it does: the first line
#: whose answer was given applies. Each framework has a line for every way it can end up there.
BEHIND: Mapping[str, tuple[tuple[Answer, str], ...]] = {
    "django": (
        (("assemble", "yes"), "behind-django-assemble-yes"),
        (
            ("async_or_typed", "yes"),
            "behind-django-async-or-typed-yes",
        ),
    ),
    "fastapi": (
        (("batteries", "yes"), "behind-fastapi-batteries-yes"),
        (
            ("async_or_typed", "no"),
            "behind-fastapi-async-or-typed-no",
        ),
    ),
    "flask": (
        (("batteries", "yes"), "behind-flask-batteries-yes"),
        (
            ("async_or_typed", "yes"),
            "behind-flask-async-or-typed-yes",
        ),
        (
            ("assemble", "no"),
            "behind-flask-assemble-no",
        ),
    ),
    "quart": (
        (
            ("async_or_typed", "no"),
            "behind-quart-async-or-typed-no",
        ),
        (("batteries", "yes"), "behind-quart-batteries-yes"),
        (
            ("existing", "flask"),
            "behind-quart-existing-flask",
        ),
        (
            ("async_or_typed", "yes"),
            "behind-quart-async-or-typed-yes",
        ),
    ),
}
#: A framework added as content that no rule names yet stands behind the ones the rules know.
UNRANKED = "behind-unranked"


class NoScenarioFits(LookupError):
    """The rules leave the runner-up to the closest scenario, and none fits: a content gap."""


@dataclass(frozen=True)
class ScenarioFacts:
    slug: str
    first: str
    runner_up: str | None
    preset: Mapping[str, str]


@dataclass(frozen=True)
class DecisionModel:
    """What the engine knows from content, in page order."""

    #: Framework slugs.
    frameworks: Sequence[str]
    scenarios: Sequence[ScenarioFacts]
    #: (key, value, framework): the answers whose note says what they mean with that
    #: framework first.
    notes: Collection[tuple[str, str, str]] = frozenset()


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
    return Reason(("rule", FIRST_CHOICE[index].why), _pairs(answers, keys))


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
            return pick.framework, Reason(("rule", pick.why), (rule.when,))
    if answers["batteries"] == "yes":
        return None, Reason(("rule", NO_CLOSE_SECOND), (("batteries", "yes"),))
    if closest is None:
        raise NoScenarioFits(f"no scenario fits {dict(answers)} with {first} first")
    return closest.runner_up, Reason(
        ("runner_up_when", closest.slug), _agreed(answers, closest.preset)
    )


def behind(slug: str, answers: Answers) -> Reason:
    """Why a framework is neither first nor runner-up, in terms of the answers."""
    for answer, text in BEHIND.get(slug, ()):
        if _given(answers, [answer]):
            return Reason(("rule", text), (answer,))
    return Reason(("rule", UNRANKED), ())


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
    support = dict.fromkeys(model.frameworks, 0.0)
    for scenario in model.scenarios:
        weight = similarity(answers, scenario.preset) ** 2
        support[scenario.first] += weight
        if scenario.runner_up:
            support[scenario.runner_up] += weight / 2
    rest = [slug for slug in model.frameworks if slug not in top]
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
        reasons.append(Reason(("closest", closest.slug), _agreed(answers, closest.preset)))
    for key, value in _pairs(answers, ANSWERS):
        if (key, value, first) in model.notes:
            reasons.append(Reason(("note", key, value, first), ((key, value),)))

    by_closeness = sorted(model.scenarios, key=lambda s: -similarity(answers, s.preset))
    return Recommendation(
        answers={key: answers[key] for key in ANSWERS if key in answers},
        framework=first,
        runner_up=second,
        ranking=ranking,
        reasons=reasons,
        runner_up_reason=second_reason,
        pivot=find_pivot(answers),
        matches=[s.slug for s in by_closeness[:3]],
    )


def rule_keys() -> set[str]:
    """Every key of rules.yaml the engine may say: content must give words for each."""
    return {
        *(rule.why for rule in FIRST_CHOICE),
        *(pick.why for rule in RUNNER_UP for pick in rule.picks.values()),
        NO_CLOSE_SECOND,
        *(key for lines in BEHIND.values() for _, key in lines),
        UNRANKED,
    }
