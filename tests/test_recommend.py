"""The engine against version 3 of the decision contract, tested without an app.

The public casebook (shared/docs/casebook.yaml) holds situations with the answers a panel of
senior consultants accepts; every case must pass. Beyond the casebook, property tests walk the
whole answer space: every reason rests on answers that were given, no reason praises what the
answers count against, and every answer of the vocabulary changes what some reader sees. Each
property is shown to catch a deliberately broken rule.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from selector.content.model import content_model
from selector.content.read import read_content
from selector.engine import recommend as engine
from selector.engine import rules
from selector.engine.answers import ANSWERS, MULTI, NO_SKILLS, REQUIRED, has, normal, values_of
from selector.engine.recommend import Reason, Recommendation, recommend

CONTENT = read_content()
MODEL = content_model(CONTENT)
#: A copy of the public casebook (shared/docs/casebook.yaml), so that the suite runs it
#: wherever it is checked out; test_the_casebook_is_the_public_one keeps the two the same.
CASEBOOK_PATH = Path(__file__).with_name("casebook.yaml")
PUBLIC_CASEBOOK = Path(__file__).resolve().parents[2] / "shared" / "docs" / "casebook.yaml"
CASEBOOK: list[dict[str, Any]] = yaml.safe_load(CASEBOOK_PATH.read_text())
#: need -> framework -> the component content names.
COMPONENTS = {r.need: r.components for r in CONTENT.aspects if r.need}
OUTSIDE = {r.need: r.outside for r in CONTENT.aspects if r.need and r.outside}


def answer_sets() -> st.SearchStrategy[dict[str, Any]]:
    """Any valid set of version-3 answers."""
    skills = [s for s in ANSWERS["team_skills"] if s != NO_SKILLS]
    return st.fixed_dictionaries(
        {
            "starting_point": st.sampled_from(ANSWERS["starting_point"]),
            "clients": st.lists(st.sampled_from(ANSWERS["clients"]), min_size=1, unique=True),
        },
        optional={
            "needs": st.lists(st.sampled_from(ANSWERS["needs"]), unique=True),
            "team_skills": st.one_of(
                st.just([NO_SKILLS]), st.lists(st.sampled_from(skills), min_size=1, unique=True)
            ),
            "team_size": st.sampled_from(ANSWERS["team_size"]),
            "structure": st.sampled_from(ANSWERS["structure"]),
            "design_owner": st.sampled_from(ANSWERS["design_owner"]),
        },
    ).map(normal)


def sample(count: int, seed: int = 3) -> list[dict[str, Any]]:
    """A fixed spread of answer sets, for checks that must search rather than assert."""
    pick = random.Random(seed)
    found = []
    for _ in range(count):
        answers: dict[str, Any] = {
            "starting_point": pick.choice(ANSWERS["starting_point"]),
            "clients": pick.sample(ANSWERS["clients"], pick.randint(1, 3)),
            "needs": pick.sample(ANSWERS["needs"], pick.randint(0, 4)),
        }
        skills = [s for s in ANSWERS["team_skills"] if s != NO_SKILLS]
        answers["team_skills"] = pick.choice(
            [[], [NO_SKILLS], pick.sample(skills, pick.randint(1, 2))]
        )
        for key in ("team_size", "structure", "design_owner"):
            answers[key] = pick.choice([None, *ANSWERS[key]])
        found.append(normal(answers))
    return found


def all_reasons(result: Recommendation) -> Iterator[tuple[str, Reason]]:
    """Every reason a result shows, with the framework it speaks of."""
    for reason in result.reasons:
        yield result.framework, reason
    if result.runner_up and result.runner_up_reason:
        yield result.runner_up, result.runner_up_reason
    for reason in result.gives_up:
        yield result.framework, reason
    for place in result.ranking:
        yield place.framework, place.reason


def words_of(reason: Reason) -> str:
    kind, *key = reason.says
    if kind == "rule":
        return str(CONTENT.rules[key[0]])
    if kind == "cover":
        return str(COMPONENTS[key[0]][key[1]])
    return ""


def shown_text(result: Recommendation) -> str:
    """The stack and the reasons, as a casebook item is looked for in them."""
    stack = [COMPONENTS[part.need][part.framework] for part in result.stack]
    second = [words_of(result.runner_up_reason)] if result.runner_up_reason else []
    outside = [tools for _, tools in result.outside]
    return " ".join([*stack, *outside, *map(words_of, result.reasons), *second])


# The casebook.


@pytest.mark.skipif(
    not PUBLIC_CASEBOOK.is_file(),
    reason=f"the public casebook is not beside the project: {PUBLIC_CASEBOOK}",
)
def test_the_casebook_is_the_public_one():
    assert CASEBOOK_PATH.read_text() == PUBLIC_CASEBOOK.read_text()


@pytest.mark.parametrize("case", CASEBOOK, ids=lambda case: case["id"])
def test_casebook_case_passes(case):
    result = recommend(normal(case["answers"]), MODEL)
    assert result.framework in case["first"]
    accepted = case["runner_up"]
    assert "any" in accepted or (result.runner_up or "none") in accepted
    shown = shown_text(result).lower()
    for item in case.get("must_mention") or []:
        assert any(alt.lower() in shown for alt in item.split("|")), item
    stack = [COMPONENTS[p.need][p.framework].lower() for p in result.stack]
    stack += [tools.lower() for _, tools in result.outside]
    for item in case.get("must_not") or []:
        assert result.framework != item.lower()
        assert not any(item.lower() in component for component in stack), item


# Every reason rests on answers that were given.


def unfounded(answers: dict[str, Any], result: Recommendation) -> list[Reason]:
    return [
        reason
        for _, reason in all_reasons(result)
        if not all(has(answers, key, value) for key, value in reason.rests_on)
    ]


@given(answer_sets())
@settings(max_examples=400, deadline=None)
def test_every_reason_rests_on_answers_given(answers):
    assert unfounded(answers, recommend(answers, MODEL)) == []


def test_a_rule_that_fires_on_half_its_answers_is_caught(monkeypatch):
    """Broken on purpose: rules apply when their first answer alone was given."""
    monkeypatch.setattr(
        engine, "_applies", lambda rule, answers: all(has(answers, *a) for a in rule.when[:1])
    )
    assert any(unfounded(a, recommend(a, MODEL)) for a in sample(600))


# No reason praises a framework for an answer that counts against it.


def against(framework: str, answers: dict[str, Any]) -> set[tuple[str, str]]:
    """The answers that, under the rules and the coverage table, count against a framework."""
    counted: set[tuple[str, str]] = set()
    for rule in rules.RULES:
        if rule.points.get(framework, 0) < 0 and engine._applies(rule, answers):
            counted.update(rule.when)
    for need in values_of(answers, "needs"):
        if MODEL.coverage[need][framework] == "none":
            counted.add(("needs", need))
    return counted


def contradictions(answers: dict[str, Any], result: Recommendation) -> list[Reason]:
    praise = [(result.framework, r) for r in result.reasons]
    if result.runner_up and result.runner_up_reason:
        praise.append((result.runner_up, result.runner_up_reason))
    return [
        reason for framework, reason in praise if set(reason.rests_on) & against(framework, answers)
    ] + [
        reason
        for reason in result.reasons
        if reason.says[0] == "cover"  # the stack says these
    ]


@given(answer_sets())
@settings(max_examples=400, deadline=None)
def test_no_reason_praises_what_the_answers_count_against(answers):
    result = recommend(answers, MODEL)
    assert contradictions(answers, result) == []
    for part in result.stack:
        assert part.need in values_of(answers, "needs")


def test_a_rule_wired_to_the_wrong_answer_is_caught(monkeypatch):
    """Broken on purpose: Flask praised for its structure when nobody will own it."""
    wrong = rules.Rule("owner-yes", (("design_owner", "no"),), {"flask": 6})
    monkeypatch.setattr(rules, "RULES", (*rules.RULES, wrong))
    assert any(contradictions(a, recommend(a, MODEL)) for a in sample(600))


# Every answer counts.


def seen(result: Recommendation) -> Any:
    """What a reader sees of a result, without the answers it repeats."""
    return dataclasses.replace(result, answers={}, change=None)


def with_answer(answers: dict[str, Any], key: str, value: str) -> dict[str, Any] | None:
    """The answers with one value given, or None where that makes no valid set."""
    if key in MULTI:
        given_ = values_of(answers, key)
        if value in given_:
            return None
        if key == "team_skills" and (value == NO_SKILLS) != (not given_ or NO_SKILLS in given_):
            return None
        return normal({**answers, key: (*given_, value)})
    if answers.get(key) == value:
        return None
    return normal({**answers, key: value})


def idle_answers() -> list[tuple[str, str]]:
    """The answers that change nothing a reader sees in any situation of the sample."""
    bases = sample(250)
    idle = []
    for key, values in ANSWERS.items():
        for value in values:
            changed = False
            for base in bases:
                if key not in REQUIRED and key not in MULTI:
                    base = normal({k: v for k, v in base.items() if k != key})
                other = with_answer(base, key, value)
                if other and seen(recommend(base, MODEL)) != seen(recommend(other, MODEL)):
                    changed = True
                    break
            if not changed:
                idle.append((key, value))
    return idle


def test_every_answer_changes_what_some_reader_sees():
    assert idle_answers() == []


def test_an_answer_no_rule_reads_is_caught(monkeypatch):
    """Broken on purpose: the only rule that reads a small team is gone."""
    kept = tuple(r for r in rules.RULES if ("team_size", "small") not in r.when)
    monkeypatch.setattr(rules, "RULES", kept)
    assert ("team_size", "small") in idle_answers()


# The engine's other promises.


@given(answer_sets())
@settings(max_examples=300, deadline=None)
def test_a_result_is_whole_and_ordered(answers):
    result = recommend(answers, MODEL)
    assert [p.framework for p in result.ranking][:1] == [result.framework]
    assert sorted(p.framework for p in result.ranking) == sorted(MODEL.frameworks)
    if result.runner_up:
        assert result.ranking[1].framework == result.runner_up
        assert result.runner_up != result.framework
        assert engine.carries(result.runner_up, answers, MODEL)
    assert [p.need for p in result.stack] == list(values_of(answers, "needs"))
    assert result.reasons, "the verdict needs a sentence"
    # The page prints the reasons, the runner-up's, what is given up and the lines of the
    # frameworks behind: no sentence twice.
    printed = [*result.reasons, *result.gives_up, *(p.reason for p in result.ranking[2:])]
    printed += [result.runner_up_reason] if result.runner_up_reason else []
    says = [reason.says for reason in printed]
    assert len(says) == len(set(says))


@given(answer_sets())
@settings(max_examples=300, deadline=None)
def test_the_change_named_changes_the_first_choice(answers):
    result = recommend(answers, MODEL)
    if result.change is not None:
        changed = recommend(result.change.answers, MODEL)
        assert changed.framework == result.change.framework != result.framework
        assert has(result.change.answers, result.change.key, result.change.value) != has(
            answers, result.change.key, result.change.value
        )


def test_an_application_that_carries_the_work_is_extended():
    for start in MODEL.frameworks:
        answers = normal({"starting_point": start, "clients": ["pages"], "team_skills": [start]})
        assert recommend(answers, MODEL).framework == start


def test_a_need_the_starting_framework_cannot_carry_moves_to_the_nearest():
    answers = normal(
        {"starting_point": "flask", "clients": ["pages"], "needs": ["high_concurrency"]}
    )
    result = recommend(answers, MODEL)
    assert result.framework == "quart"
    assert result.reasons[0].says == ("rule", "move.flask")
    assert result.runner_up != "flask", "a framework that cannot carry the work is no runner-up"


def test_tools_outside_the_four_are_named_where_they_beat_them():
    answers = normal({"starting_point": "new", "clients": ["spa"], "needs": ["editorial"]})
    result = recommend(answers, MODEL)
    assert result.framework == "django"
    assert result.outside == [("editorial", OUTSIDE["editorial"])]
    assert "Wagtail" in OUTSIDE["editorial"]


def test_every_rule_has_words_in_both_editions():
    keys = engine.rule_keys(MODEL.frameworks)
    assert keys == set(CONTENT.rules)
    assert keys == set(CONTENT.editions["ja"].rules)


@given(answer_sets())
@settings(max_examples=300, deadline=None)
def test_a_framework_that_cannot_carry_the_work_is_never_first_before_one_that_can(answers):
    result = recommend(answers, MODEL)
    if any(engine.carries(f, answers, MODEL) for f in MODEL.frameworks):
        assert engine.carries(result.framework, answers, MODEL)
