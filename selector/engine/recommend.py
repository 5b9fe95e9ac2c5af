"""The recommendation engine, version 3 of the decision contract: answers -> an explained ranking.

Pure: no Flask, no database, and no words of any language. It weighs each framework by the
rules (selector/rules.py) and the coverage table that content supplies (how each framework
provides each need), and returns every reason as a key (`Says`) with the answers it rests on;
explain.py finds the words for each key in an edition's content.

- Each framework's standing is the sum of what the coverage of each need is worth to it, what
  each rule whose answers were all given gives it, and, for the framework the application
  already runs on, the worth of extending it. A framework that cannot carry a need (coverage
  "none") is never extended; the nearest one that can is moved to instead.
- The runner-up, when the work extends the first choice's own application, is the framework
  that does best some part (a need or a client) the first does least well; among equals the
  one nearest the code, then the one that suits the team (its skills, size, structure and
  owner); none when no framework does any part better. When the first choice means moving,
  staying is the runner-up if the old framework can carry the work. Otherwise it is the next
  framework that can carry every need.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from selector.engine import rules
from selector.engine.answers import (
    ANSWERS,
    MULTI,
    NO_SKILLS,
    REQUIRED,
    Answers,
    has,
    normal,
    values_of,
)
from selector.engine.rules import Answer as Answer
from selector.engine.rules import Rule

#: Where a reason's words are: ("rule", rules.yaml key), ("cover", need, framework: the
#: coverage cell), ("coverage", framework: a summary of its cells for the needs named),
#: ("only", need, framework: the one framework that can carry a need) and ("best_for",
#: framework): what content says it suits.
Says = tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    """A sentence of the explanation, by the key of its words, and the answers it rests on, so a
    reader can check it."""

    says: Says
    rests_on: tuple[Answer, ...]


@dataclass(frozen=True)
class DecisionModel:
    """What the engine knows from content."""

    #: Framework slugs, in page order.
    frameworks: Sequence[str]
    #: need -> framework -> how it provides it (rules.POINTS names the ways): the coverage table.
    coverage: Mapping[str, Mapping[str, str]]
    #: need -> tools outside the four that beat them all at it (Wagtail for editorial content).
    outside: Mapping[str, str] = field(default_factory=dict)
    #: need -> the other needs, one of which must be named too for its outside tools to beat the
    #: four (a model streamed or under load wants a model server; a small one does not).
    outside_with: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Part:
    """One line of the stack: a need, and how the first choice meets it (the component a senior
    engineer would name is the coverage cell's, in content)."""

    need: str
    framework: str
    provided: str


@dataclass(frozen=True)
class Ranked:
    framework: str
    reason: Reason


@dataclass(frozen=True)
class Change:
    """The single answer that, changed, changes the first choice, and what it changes it to."""

    answers: dict[str, str | tuple[str, ...]]
    key: str
    value: str
    framework: str


@dataclass(frozen=True)
class Recommendation:
    answers: dict[str, str | tuple[str, ...]]
    framework: str
    runner_up: str | None
    #: Why the first choice, best reason first.
    reasons: list[Reason]
    runner_up_reason: Reason | None
    stack: list[Part]
    #: (need, tools) where tools outside the four beat them all.
    outside: list[tuple[str, str]]
    #: What the first choice costs for these answers.
    gives_up: list[Reason]
    #: All frameworks, best first, each with its one-line reason.
    ranking: list[Ranked]
    change: Change | None


def _applies(rule: Rule, answers: Answers) -> bool:
    return all(has(answers, key, value) for key, value in rule.when)


def _extend(answers: Answers, model: DecisionModel) -> tuple[str | None, float, str]:
    """Who gains from where the work starts: (framework, points, rule key)."""
    start = str(answers["starting_point"])
    if start not in model.frameworks:
        return None, 0.0, ""
    if carries(start, answers, model):
        skills = values_of(answers, "team_skills")
        if not skills or NO_SKILLS in skills or knows(answers, start):
            return start, rules.EXTEND, f"extend.{start}"
        return start, rules.EXTEND_UNFAMILIAR, f"extend-unfamiliar.{start}"
    nearest = [f for f in model.frameworks if distance(start, f) == rules.NEAR]
    for target in nearest:
        if carries(target, answers, model):
            return target, rules.MOVE, f"move.{start}"
    return None, 0.0, ""


def carries(framework: str, answers: Answers, model: DecisionModel) -> bool:
    """Whether a framework provides every need named, in some way; the application's own
    framework also carries a need that a tool outside the four meets beside it."""
    return all(
        model.coverage[need][framework] != "none" or _beside(framework, need, answers, model)
        for need in values_of(answers, "needs")
    )


def _beside(framework: str, need: str, answers: Answers, model: DecisionModel) -> bool:
    """Whether a tool outside the four meets this need beside the application's framework."""
    return framework == answers["starting_point"] and need in _outside(answers, model)


def _outside(answers: Answers, model: DecisionModel) -> dict[str, str]:
    """need -> the tools outside the four that beat them all at it, for these answers."""
    needs = values_of(answers, "needs")
    return {
        need: model.outside[need]
        for need in needs
        if need in model.outside
        and (need not in model.outside_with or set(model.outside_with[need]) & set(needs))
    }


def knows(answers: Answers, framework: str) -> bool:
    """Whether the team named a skill that counts as knowing the framework."""
    skills = values_of(answers, "team_skills")
    return any(skill in skills for skill in rules.FAMILIAR.get(framework, (framework,)))


def distance(start: str, framework: str) -> int:
    return 0 if start == framework else rules.DISTANCE.get((start, framework), rules.FAR)


def _contributions(answers: Answers, model: DecisionModel) -> dict[str, list[tuple[float, Reason]]]:
    """Everything that moves each framework, with the reason a reader is given for it."""
    moves: dict[str, list[tuple[float, Reason]]] = {f: [] for f in model.frameworks}
    for need in values_of(answers, "needs"):
        for framework in model.frameworks:
            reason = Reason(("cover", need, framework), (("needs", need),))
            # What a tool beside the application meets costs its framework nothing.
            worth = 0.0 if _beside(framework, need, answers, model) else None
            provided = model.coverage[need][framework]
            moves[framework].append((rules.POINTS[provided] if worth is None else worth, reason))
    for rule in rules.RULES:
        if _applies(rule, answers):
            for framework, points in rule.points.items():
                reason = Reason(("rule", f"{rule.key}.{framework}"), rule.when)
                moves[framework].append((points, reason))
    gainer, points, key = _extend(answers, model)
    if gainer:
        moves[gainer].append((points, Reason(("rule", key), _extend_rests_on(answers, model, key))))
    return moves


def _extend_rests_on(answers: Answers, model: DecisionModel, key: str) -> tuple[Answer, ...]:
    """The answers a rule on extending or leaving the application rests on: where it starts,
    and the skills the team lacks for it or the needs its framework cannot meet."""
    start = str(answers["starting_point"])
    rests_on: tuple[Answer, ...] = (("starting_point", start),)
    if key.startswith("extend-unfamiliar"):
        rests_on += tuple(("team_skills", s) for s in values_of(answers, "team_skills"))
    elif key.startswith("move"):
        rests_on += tuple(
            ("needs", n) for n in values_of(answers, "needs") if model.coverage[n][start] == "none"
        )
    return rests_on


def _fit(framework: str, aspect: Answer, model: DecisionModel) -> float:
    """How well a framework does one part of the work: a need or a kind of client."""
    key, value = aspect
    worth = rules.POINTS[model.coverage[value][framework]] if key == "needs" else 0.0
    for rule in rules.RULES:
        if rule.when == (aspect,):
            worth += rule.points.get(framework, 0.0)
    return worth


def _parts(answers: Answers) -> list[Answer]:
    return [(key, value) for key in ("needs", "clients") for value in values_of(answers, key)]


#: The answers about the people who would build a part of the work, not the work itself.
TEAM = ("team_skills", "team_size", "structure", "design_owner")


def _team(answers: Answers) -> dict[str, float]:
    """How well each framework suits the team: the rules on who builds, and those that hold
    whatever the answers (a part taken elsewhere serves none of the application's clients)."""
    applied = [
        rule
        for rule in rules.RULES
        if all(key in TEAM for key, _ in rule.when) and _applies(rule, answers)
    ]
    team: dict[str, float] = {}
    for rule in applied:
        for framework, points in rule.points.items():
            team[framework] = team.get(framework, 0.0) + points
    return team


def _runner_up(
    answers: Answers,
    model: DecisionModel,
    order: list[str],
    moves: Mapping[str, list[tuple[float, Reason]]],
) -> tuple[str | None, Reason | None]:
    first = order[0]
    able = [f for f in order[1:] if carries(f, answers, model)]
    start = str(answers["starting_point"])
    if start == first:
        best = _better_at_a_part(answers, model, first, able)
        if best is None:
            return None, Reason(("rule", f"no-second.{first}"), (("starting_point", start),))
        framework, part = best
        return framework, _part_reason(framework, first, part, model)
    if start in able:
        return start, Reason(("rule", f"stay.{start}"), (("starting_point", start),))
    if not able:
        return None, None
    # A need's coverage is worded as a comparison with the first choice: not said here.
    praised = [r for r in _strongest(moves[able[0]], 1) if r.says[0] != "cover"]
    return able[0], praised[0] if praised else Reason(("best_for", able[0]), ())


def _better_at_a_part(
    answers: Answers, model: DecisionModel, first: str, able: list[str]
) -> tuple[str, Answer] | None:
    """For an application that stays where it is: the framework that does one part of the
    work better than it by the widest margin, and that part; on a tie, the nearer move, then
    the one that suits the team better."""
    start = str(answers["starting_point"])
    team = _team(answers)
    best: tuple[float, int, float, str, Answer] | None = None
    for framework in able:
        for part in _parts(answers):
            margin = _fit(framework, part, model) - _fit(first, part, model)
            rank = (-margin, distance(start, framework), -team.get(framework, 0.0), framework, part)
            if margin > 0 and (best is None or rank < best):
                best = rank
    return None if best is None else (best[3], best[4])


def _part_reason(framework: str, first: str, part: Answer, model: DecisionModel) -> Reason:
    """Why a framework does one part better than the first choice: its component, where it is
    provided better, or else the rule on that part that favours it most."""
    key, value = part
    coverage = model.coverage.get(value, {}) if key == "needs" else {}
    if coverage and rules.POINTS[coverage[framework]] > rules.POINTS[coverage[first]]:
        return Reason(("cover", value, framework), (part,))
    said = max(
        (r for r in rules.RULES if r.when == (part,) and r.points.get(framework, 0) > 0),
        key=lambda r: r.points[framework] - r.points.get(first, 0),
        default=None,
    )
    if said is None:
        return Reason(("cover", value, framework), (part,))
    return Reason(("rule", f"{said.key}.{framework}"), (part,))


def _strongest(moves: list[tuple[float, Reason]], sign: int) -> list[Reason]:
    """The reasons that moved a framework in one direction, strongest first."""
    chosen = sorted((m for m in moves if m[0] * sign > 0), key=lambda m: -abs(m[0]))
    return [reason for _, reason in chosen]


def _change(answers: Answers, model: DecisionModel, first: str) -> Change | None:
    """The single answer whose change changes the first choice: first one the reader gave
    (another value, or one value of a multi-valued answer taken away), then one they did not
    give (added); in the contract's order within each."""
    for taking in (True, False):
        for key, allowed in ANSWERS.items():
            given = values_of(answers, key)
            for value in allowed:
                changed = _changed(given, key, value, taking)
                if changed is None:
                    continue
                other = normal({**answers, key: changed})
                framework = _standing(other, model, _contributions(other, model))[0]
                if framework != first:
                    return Change(other, key, value, framework)
    return None


def _changed(
    given: tuple[str, ...], key: str, value: str, taking: bool
) -> str | tuple[str, ...] | None:
    """One answer changed to or by value: what the reader gave, altered (taking), or something
    added where nothing or less was given; None where that is no valid change."""
    if key not in MULTI:
        return None if value in given or bool(given) != taking else value
    return _changed_many(given, key, value, taking)


def _changed_many(
    given: tuple[str, ...], key: str, value: str, taking: bool
) -> tuple[str, ...] | None:
    """A multi-valued answer with value taken away, or added; None where that is not valid."""
    if (value in given) != taking:
        return None
    if taking:
        rest = tuple(v for v in given if v != value)
        return None if key in REQUIRED and not rest else rest
    if value == NO_SKILLS or NO_SKILLS in given:
        return None
    return (*given, value)


def _standing(
    answers: Answers, model: DecisionModel, moves: Mapping[str, list[tuple[float, Reason]]]
) -> list[str]:
    """The frameworks in order. An application that runs, carries every need and is kept by a
    team that knows its framework (or named no skills) is left only for a framework the team
    knows: the contract moves it where the framework cannot carry the work, or where the
    team's skills and the needs both point elsewhere."""
    score = {f: sum(points for points, _ in moves[f]) for f in model.frameworks}
    start = str(answers["starting_point"])
    # A framework that cannot carry the work never stands before one that can; on a tie, the
    # application's own framework (extending beats moving at equal merit), then the one that
    # suits the team better.
    able = {f: carries(f, answers, model) for f in model.frameworks}
    team = _team(answers)
    order = sorted(
        model.frameworks,
        key=lambda f: (not able[f], -score[f], f != start, -team.get(f, 0.0)),
    )
    if able.get(start, False) and _stays(answers, start, order[0]):
        order = [start, *(f for f in order if f != start)]
    return order


def _stays(answers: Answers, start: str, best: str) -> bool:
    """Whether an application that carries the work stays on its framework rather than move
    to the best scoring one: its team knows it (or named no skills) and not the other."""
    skills = values_of(answers, "team_skills")
    familiar = not skills or NO_SKILLS in skills or knows(answers, start)
    return familiar and best != start and not knows(answers, best)


def recommend(given: Answers, model: DecisionModel) -> Recommendation:
    """Rank the frameworks for validated answers and explain the result."""
    answers = normal(given)
    moves = _contributions(answers, model)
    order = _standing(answers, model, moves)
    first = order[0]
    second, second_reason = _runner_up(answers, model, order, moves)
    stack = [Part(need, first, model.coverage[need][first]) for need in values_of(answers, "needs")]
    outside = list(_outside(answers, model).items())
    return Recommendation(
        answers=answers,
        framework=first,
        runner_up=second,
        reasons=_reasons(answers, model, first, moves),
        runner_up_reason=second_reason,
        stack=stack,
        outside=outside,
        gives_up=_strongest(moves[first], -1),
        ranking=_ranking(answers, order, second, moves),
        change=_change(answers, model, first),
    )


def _reasons(
    answers: Answers,
    model: DecisionModel,
    first: str,
    moves: Mapping[str, list[tuple[float, Reason]]],
) -> list[Reason]:
    """Why the first choice: a need only it carries, what moved it most, the rules that hold
    whatever the framework; at least what it is best for."""
    # What each need's component gives is the stack's to say, not the reasons', but for a
    # need nothing else can carry: that decides, and is said first.
    reasons = [
        Reason(("only", need, first), (("needs", need),))
        for need in values_of(answers, "needs")
        if all((model.coverage[need][f] == "none") == (f != first) for f in model.frameworks)
    ]
    reasons += [r for r in _strongest(moves[first], 1) if r.says[0] != "cover"]
    reasons += [
        Reason(("rule", r.key), r.when)
        for r in rules.RULES
        if not r.points and _applies(r, answers)
    ]
    return reasons or [Reason(("best_for", first), ())]


def _ranking(
    answers: Answers,
    order: list[str],
    second: str | None,
    moves: Mapping[str, list[tuple[float, Reason]]],
) -> list[Ranked]:
    """Every framework with a line on it, the runner-up second."""
    first = order[0]
    ranking = []
    for framework in order:
        # The first two say how they meet the needs (their reasons are said above); the
        # others what counts against them, or the same summary where nothing does.
        against = [] if framework in (first, second) else _strongest(moves[framework], -1)
        line = against[0] if against else Reason(("coverage", framework), _needs(answers))
        ranking.append(Ranked(framework, line))
    if second:
        ranking.insert(1, ranking.pop([r.framework for r in ranking].index(second)))
    return ranking


def _needs(answers: Answers) -> tuple[Answer, ...]:
    return tuple(("needs", n) for n in values_of(answers, "needs"))


def rule_keys(frameworks: Sequence[str]) -> set[str]:
    """Every key of rules.yaml the engine may say: content must give words for each."""
    keys = {f"{rule.key}.{f}" for rule in rules.RULES for f in rule.points}
    keys |= {rule.key for rule in rules.RULES if not rule.points}
    for framework in frameworks:
        keys |= {f"extend.{framework}", f"extend-unfamiliar.{framework}"}
        keys |= {f"stay.{framework}", f"no-second.{framework}"}
        if any(rules.DISTANCE.get((framework, f)) == rules.NEAR for f in frameworks):
            keys.add(f"move.{framework}")
    return keys
