"""The engine against version 2 of the decision contract, tested without an app.

The contract's tables are written out again here, from the contract's text, so
that the engine's own rule tables are checked rather than trusted.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from selector import recommend as engine
from selector.answers import ANSWERS, REQUIRED, every_combination
from selector.explain import words
from selector.loader import Content, decision_model, read_content
from selector.recommend import first_choice, recommend

CONTENT = read_content()
MODEL = decision_model(CONTENT)
OPTIONAL = [key for key in ANSWERS if key not in REQUIRED]
SLUGS = set(MODEL.frameworks)
ALL = list(every_combination())
RESULTS = [(answers, recommend(answers, MODEL)) for answers in ALL]


def edition(content: Content) -> SimpleNamespace:
    """The content files read as explain.words reads a loaded edition."""
    return SimpleNamespace(
        rules=content.rules,
        scenario={s["slug"]: SimpleNamespace(**s) for s in content.scenarios},
        question={q["key"]: SimpleNamespace(**q) for q in content.questions},
    )


ENGLISH, JAPANESE = edition(CONTENT), edition(CONTENT.editions["ja"])


def said(reason, words_of=ENGLISH) -> str:
    return words(reason, words_of)


def contract_first(answers) -> str:
    """The contract's first-choice table."""
    if answers["batteries"] == "yes":
        return "django"
    if answers["async_or_typed"] == "yes":
        realtime_flask = (
            answers.get("existing") == "flask" and answers.get("workload") == "realtime"
        )
        return "quart" if realtime_flask else "fastapi"
    return "flask" if answers["assemble"] == "yes" else "django"


def contract_runner_up(answers, first, closest_runner_up) -> str | None:
    """The contract's runner-up rules; the closest scenario's pick is the seventh."""
    if answers.get("existing") == "django" and first != "django":
        return "django"
    if answers.get("existing") == "flask" and first != "flask":
        return "fastapi" if first == "quart" else "flask"
    if answers.get("workload") == "realtime":
        return {"fastapi": "quart", "flask": "fastapi", "django": "fastapi"}[first]
    if first == "flask" and answers.get("design_owner") == "no":
        return "django"
    if first == "django" and answers.get("design_owner") == "no":
        return None
    if first == "django" and answers.get("design_owner") == "yes":
        return "flask"
    if answers["batteries"] == "yes":
        return None
    return closest_runner_up


def visible(result) -> tuple:
    """What a reader sees of a result, text included."""
    return (
        result.framework,
        result.runner_up,
        tuple(said(r) for r in result.reasons),
        said(result.runner_up_reason),
    )


def test_every_combination_is_walked():
    assert len(ALL) == 8 * 7 * 5 * 3


def test_first_choice_follows_the_contract_for_every_combination():
    for answers, result in RESULTS:
        assert result.framework == contract_first(answers), answers


def test_quart_comes_first_only_for_a_flask_team_whose_main_job_is_real_time_work():
    quart = [answers for answers, result in RESULTS if result.framework == "quart"]
    assert quart
    for answers in quart:
        assert answers["batteries"] == "no"
        assert answers["async_or_typed"] == "yes"
        assert (answers["existing"], answers["workload"]) == ("flask", "realtime")


def test_design_owner_never_changes_the_first_choice():
    for answers, result in RESULTS:
        for value in (None, "yes", "no"):
            changed = {k: v for k, v in answers.items() if k != "design_owner"}
            if value:
                changed["design_owner"] = value
            assert first_choice(changed) == result.framework


def test_runner_up_follows_the_contracts_rules_in_order():
    for answers, result in RESULTS:
        closest = engine.closest_scenario(answers, MODEL, result.framework)
        expected = contract_runner_up(
            answers, result.framework, closest.runner_up if closest else None
        )
        assert result.runner_up == expected, answers
        assert result.runner_up != result.framework


def test_the_closest_scenario_shares_the_first_choice_and_takes_nothing_for_granted():
    for answers, result in RESULTS:
        closest = engine.closest_scenario(answers, MODEL, result.framework)
        if closest is None:
            continue
        assert closest.first == result.framework
        for key, value in closest.preset.items():
            # "existing: none" assumes nothing about the team's code.
            if (key, value) != ("existing", "none"):
                assert answers.get(key) == value, (answers, closest.slug)


def test_every_optional_answer_counts_whatever_the_other_answers():
    """For each answer set and each optional key, at least two of its values (left out counts)
    give results a reader can tell apart."""
    for answers in ALL:
        for key in OPTIONAL:
            others = {k: v for k, v in answers.items() if k != key}
            seen = {visible(recommend(others, MODEL))}
            seen |= {visible(recommend({**others, key: value}, MODEL)) for value in ANSWERS[key]}
            assert len(seen) >= 2, (key, others)


def test_existing_django_changes_the_result_whatever_the_first_choice():
    for answers, result in RESULTS:
        if "existing" not in answers:
            as_django = recommend({**answers, "existing": "django"}, MODEL)
            assert visible(as_django) != visible(result), answers


def test_every_reason_names_answers_that_were_given():
    for answers, result in RESULTS:
        reasons = [*result.reasons, result.runner_up_reason, *(p.reason for p in result.ranking)]
        for reason in reasons:
            assert said(reason)
            assert reason.rests_on, (answers, said(reason))
            for key, value in reason.rests_on:
                assert answers.get(key) == value, (answers, reason)


#: Words that would argue against an answer: a result must never say them to its reader.
AGAINST = {
    ("assemble", "no"): re.compile(
        r"freedom|thin core|assemble the parts|pick(ing)? each part", re.I
    ),
    ("design_owner", "yes"): re.compile(r"\bnobody\b|\bno one\b", re.I),
    ("design_owner", "no"): re.compile(
        r"\bsomeone (will )?owns?\b|(?<!nobody on )the team can own", re.I
    ),
    ("batteries", "no"): re.compile(r"you need an admin", re.I),
    ("async_or_typed", "no"): re.compile(r"heart of the service|long-lived connections are", re.I),
}


def test_no_reason_contradicts_an_answer_given():
    for answers, result in RESULTS:
        reasons = [*result.reasons, result.runner_up_reason]
        texts = [said(r) for r in reasons + [place.reason for place in result.ranking]]
        for answer, pattern in AGAINST.items():
            if answers.get(answer[0]) == answer[1]:
                for text in texts:
                    assert not pattern.search(text), (answers, text)


def test_a_cited_scenario_agrees_with_every_answer_its_preset_sets():
    """A reason or runner-up taken from a scenario never comes from one that assumes another
    workload, other code or another answer than the reader gave."""
    by_slug = {s.slug: s for s in MODEL.scenarios}
    for answers, result in RESULTS:
        cited = [
            by_slug[r.says[1]]
            for r in [*result.reasons, result.runner_up_reason]
            if r.says[0] in ("closest", "runner_up_when")
        ]
        for scenario in cited:
            assert engine.compatible(answers, scenario.preset), (answers, scenario.slug)


def test_the_reported_contradiction_is_gone():
    """Three noes and a design owner used to give Flask, praised for its freedom."""
    answers = {"batteries": "no", "async_or_typed": "no", "assemble": "no", "design_owner": "yes"}
    result = recommend(answers, MODEL)
    assert (result.framework, result.runner_up) == ("django", "flask")
    assert ("assemble", "no") in result.reasons[0].rests_on


def test_ranking_lists_all_four_once_best_first_with_a_reason_each():
    for _, result in RESULTS:
        order = [place.framework for place in result.ranking]
        assert sorted(order) == sorted(SLUGS)
        assert order[0] == result.framework
        if result.runner_up:
            assert order[1] == result.runner_up
            assert result.ranking[1].reason == result.runner_up_reason
        assert all(said(place.reason) for place in result.ranking)


def test_each_rule_is_reachable_and_its_reason_used():
    """No dead rows in the tables the guide prints."""
    first_used = {engine.first_rule(answers) for answers in ALL}
    assert first_used == set(range(len(engine.FIRST_CHOICE)))
    named = {r.runner_up_reason.says for _, r in RESULTS}
    for rule in engine.RUNNER_UP:
        for pick in rule.picks.values():
            assert ("rule", pick.why) in named, pick
    behind = {
        place.reason.says[1]
        for _, r in RESULTS
        for place in r.ranking
        if place.framework not in (r.framework, r.runner_up)
    }
    for lines in engine.BEHIND.values():
        for _, text in lines:
            assert text in behind, text


@pytest.mark.parametrize("scenario", CONTENT.scenarios, ids=lambda s: s["slug"])
def test_each_preset_gives_its_scenarios_first_choice_and_runner_up(scenario):
    result = recommend(scenario["preset"], MODEL)
    assert (result.framework, result.runner_up) == (scenario["first"], scenario["runner_up"])
    assert result.matches[0] == scenario["slug"]


def test_the_scenario_matrix_covers_what_teams_bring():
    assert len(CONTENT.scenarios) >= 20
    scenarios = {s["slug"]: s for s in CONTENT.scenarios}
    expected = {
        "flask-needs-realtime": ("quart", "fastapi"),
        "django-typed-api": ("fastapi", "django"),
        "saas-accounts": ("django", "flask"),
        "api-back-office": ("django", None),
        "solo-mvp": ("django", "flask"),
        "background-jobs": ("flask", "django"),
        "cms-content-site": ("django", None),
        "gpu-model-service": ("fastapi", None),
        "crud-web-app": ("django", None),
        "no-design-owner": ("django", None),
    }
    for slug, pair in expected.items():
        assert (scenarios[slug]["first"], scenarios[slug]["runner_up"]) == pair, slug
    assert "Wagtail" in scenarios["cms-content-site"]["why"]
    assert "serving tool" in scenarios["gpu-model-service"]["runner_up_when"]


def test_pivot_is_a_single_change_that_changes_the_first_choice_and_none_means_none_does():
    for answers, result in RESULTS:
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
    assert (result.framework, result.runner_up) == ("fastapi", "quart")
    assert said(result.reasons[0]) == CONTENT.rules[engine.FIRST_CHOICE[2].why]
    assert realtime["reason"] in said(result.reasons[1])
    workload_notes = next(q for q in CONTENT.questions if q["key"] == "workload")["choices"]
    assert workload_notes[1]["notes"]["fastapi"] == said(result.reasons[2])
    assert result.runner_up_reason.rests_on == (("workload", "realtime"),)
    assert result.pivot == engine.Pivot("batteries", "yes", "django")


def test_the_same_answers_always_give_the_same_result():
    answers = ALL[123]
    assert recommend(answers, MODEL) == recommend(dict(answers), MODEL)


def impure_imports(module: Path) -> list[str]:
    """Imports that would tie the engine to a framework, the database or the rest of the app,
    followed through every selector module it reaches, at any depth of the syntax tree."""
    found, seen, todo = [], set(), [module]
    while todo:
        tree = ast.parse(todo.pop().read_text())
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        for name in sorted(names - seen - {"__future__"}):
            seen.add(name)
            top = name.split(".")[0]
            if name == "selector.answers":
                spec = importlib.util.find_spec(name)
                assert spec and spec.origin
                todo.append(Path(spec.origin))
            elif top == "selector" or top not in sys.stdlib_module_names:
                found.append(name)
    return found


def test_engine_imports_nothing_but_the_standard_library_and_the_answer_vocabulary():
    assert impure_imports(Path(engine.__file__)) == []


@pytest.mark.parametrize(
    "source",
    [
        "from selector.models import Decision\n",
        "import selector.snapshot\n",
        "def f():\n    import flask\n",
        "if True:\n    from sqlalchemy.orm import Session\n",
        "from selector.answers import ANSWERS\nimport markupsafe\n",
    ],
)
def test_the_purity_check_catches_imports_at_any_depth(tmp_path, source):
    module = tmp_path / "impure.py"
    module.write_text(source)
    assert impure_imports(module)


def test_the_engine_returns_keys_and_every_key_has_words_in_both_editions():
    """One result, two languages: the engine names its reasons, each edition words them."""
    kana_or_kanji = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    for _, result in RESULTS[::7]:
        for reason in [
            *result.reasons,
            result.runner_up_reason,
            *(p.reason for p in result.ranking),
        ]:
            assert all(isinstance(part, str) for part in reason.says)
            english, japanese = said(reason), said(reason, JAPANESE)
            assert english and not kana_or_kanji.search(english), reason
            assert kana_or_kanji.search(japanese), (reason, japanese)
