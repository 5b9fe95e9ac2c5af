"""The engine, tested without an app: every combination, every preset, every explanation."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

from selector import recommend as engine
from selector.answers import ANSWERS, REQUIRED
from selector.loader import read_content
from selector.recommend import DecisionModel, FrameworkFacts, ScenarioFacts, first_choice, recommend

CONTENT = read_content()
MODEL = DecisionModel(
    frameworks=[
        FrameworkFacts(f["slug"], f["name"], tuple(f["weaknesses"]))
        for f in sorted(CONTENT.frameworks, key=lambda f: f["order"])
    ],
    scenarios=[
        ScenarioFacts(
            s["slug"],
            s["title"],
            s["first"],
            s["runner_up"],
            s["preset"],
            s["reason"],
            s["runner_up_when"],
        )
        for s in sorted(CONTENT.scenarios, key=lambda s: s["order"])
    ],
)
OPTIONAL = [key for key in ANSWERS if key not in REQUIRED]


def contract_table(answers) -> str:
    """The decision contract's table, written out as the contract states it."""
    if answers["batteries"] == "yes":
        return "django"
    if answers["async_or_typed"] == "yes":
        return "fastapi"
    if answers["assemble"] == "yes":
        return "flask"
    return "flask" if answers.get("design_owner") == "yes" else "django"


def every_combination():
    """All required answers with every optional answer given or left out."""
    choices = [ANSWERS[key] for key in REQUIRED] + [(None, *ANSWERS[key]) for key in OPTIONAL]
    for values in itertools.product(*choices):
        yield {
            key: value
            for key, value in zip([*REQUIRED, *OPTIONAL], values, strict=True)
            if value is not None
        }


ALL = list(every_combination())


def test_there_are_all_combinations():
    assert len(ALL) == 8 * 7 * 5 * 3


def test_first_choice_follows_the_contract_for_every_combination():
    for answers in ALL:
        assert recommend(answers, MODEL).framework == contract_table(answers), answers


@pytest.mark.parametrize("scenario", CONTENT.scenarios, ids=lambda s: s["slug"])
def test_each_preset_gives_its_scenarios_first_choice_and_runner_up(scenario):
    result = recommend(scenario["preset"], MODEL)
    assert (result.framework, result.runner_up) == (scenario["first"], scenario["runner_up"])
    assert result.matches[0] == scenario["slug"]


def test_ranking_lists_every_framework_best_first_with_the_runner_up_second():
    slugs = {f.slug for f in MODEL.frameworks}
    for answers in ALL:
        result = recommend(answers, MODEL)
        order = [slug for slug, _ in result.ranking]
        scores = [score for _, score in result.ranking]
        assert set(order) == slugs
        assert scores == sorted(scores, reverse=True)
        assert len(set(scores[:2])) == 2, "the top two never tie"
        assert order[0] == result.framework
        if result.runner_up:
            assert order[1] == result.runner_up
        assert all(0 <= score <= 1 for score in scores)


def test_pivot_is_a_single_change_that_changes_the_first_choice_and_none_means_none_does():
    for answers in ALL:
        result = recommend(answers, MODEL)
        changes = [
            {**answers, key: value}
            for key, values in ANSWERS.items()
            for value in values
            if answers.get(key) != value
        ]
        if result.pivot is None:
            assert all(first_choice(c) == result.framework for c in changes), answers
        else:
            changed = {**answers, result.pivot.answer: result.pivot.to}
            assert first_choice(changed) == result.pivot.framework != result.framework


def test_a_result_explains_itself():
    answers = {"batteries": "no", "async_or_typed": "yes", "assemble": "no", "workload": "realtime"}
    result = recommend(answers, MODEL)
    realtime = next(s for s in CONTENT.scenarios if s["slug"] == "realtime-io")
    assert result.framework == "fastapi"
    assert result.runner_up == "quart"
    assert result.reasons[0] == engine.RULE_REASONS["async_or_typed"]
    assert realtime["reason"] in result.reasons[1]
    assert result.runner_up_reason == realtime["runner_up_when"]
    fastapi = next(f for f in CONTENT.frameworks if f["slug"] == "fastapi")
    assert result.tradeoffs == fastapi["weaknesses"]
    assert result.pivot == engine.Pivot("batteries", "yes", "django")


def test_no_runner_up_is_said_plainly():
    preset = next(s for s in CONTENT.scenarios if s["runner_up"] is None)["preset"]
    result = recommend(preset, MODEL)
    assert result.runner_up is None
    assert result.runner_up_reason.startswith("There is no close second")


def test_the_same_answers_always_give_the_same_result():
    answers = ALL[123]
    assert recommend(answers, MODEL) == recommend(dict(answers), MODEL)


def test_engine_does_not_import_flask_or_the_database():
    tree = ast.parse(Path(engine.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not imported & {"flask", "flask_sqlalchemy", "sqlalchemy"}
