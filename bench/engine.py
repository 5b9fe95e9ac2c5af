#!/usr/bin/env python3
"""The engine alone: microseconds per recommend() call over a fixed, seeded sample of answers.

    python bench/engine.py [--sets 5000] [--seed 3] [--repeats 5]

Builds the decision model as the tests do: decision_model() over the needs of the rows of
selector/content/files/aspects.yaml that name a need (validated by the content schema) and the
frameworks' page order; the rest of the content is not read, so a guide part or scenario being
edited does not stop the benchmark. Draws that many distinct valid
version-3 answer sets from a seeded generator (answer_sets(), which bench/run.py also uses for
its result-page misses), checks each against the contract's schema, then calls recommend()
once per set, the whole sample each repeat. Prints the median and best repeat in µs per
call, and from one more timed pass the spread of single calls (p50, p99, max) and their
median by the number of needs ticked. No app, no
database, no server. Not run by the test suite.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from selector.content.model import decision_model, needs
from selector.content.paths import DEFAULT_DIR
from selector.content.schemas import AspectSchema
from selector.engine.answers import ANSWERS, MULTI, NO_SKILLS, REQUIRED, Value, normal, query_pairs
from selector.engine.recommend import DecisionModel, recommend
from selector.schemas import DecisionInput

#: The chance that a reader ticks a given need, and answers a given optional question.
NEED_CHANCE = 0.3
OPTIONAL_CHANCE = 0.6


def model_from_files(root: Path = DEFAULT_DIR) -> DecisionModel:
    """The engine's model from the coverage rows and the frameworks' order, as a load
    builds it from the whole content."""
    aspects = AspectSchema(many=True).load(yaml.safe_load((root / "aspects.yaml").read_text()))
    frameworks = sorted(
        map(yaml.safe_load, map(Path.read_text, root.glob("frameworks/*.yaml"))),
        key=lambda record: record["order"],
    )
    return decision_model([record["slug"] for record in frameworks], needs(aspects))


def answer_set(rng: random.Random) -> dict[str, Value]:
    """One valid version-3 answer set: a starting point, one or more clients, any needs,
    skills (or "none" alone), and each optional single-valued answer given or not."""
    drawn: dict[str, object] = {"starting_point": rng.choice(ANSWERS["starting_point"])}
    clients = [value for value in ANSWERS["clients"] if rng.random() < 0.4]
    drawn["clients"] = clients or [rng.choice(ANSWERS["clients"])]
    drawn["needs"] = [value for value in ANSWERS["needs"] if rng.random() < NEED_CHANCE]
    if rng.random() < OPTIONAL_CHANCE:
        if rng.random() < 0.1:
            drawn["team_skills"] = [NO_SKILLS]
        else:
            skills = [value for value in ANSWERS["team_skills"] if value != NO_SKILLS]
            drawn["team_skills"] = [value for value in skills if rng.random() < 0.4]
    for key in ANSWERS:
        if key not in MULTI and key not in REQUIRED and rng.random() < OPTIONAL_CHANCE:
            drawn[key] = rng.choice(ANSWERS[key])
    return normal(drawn)


def answer_sets(count: int, seed: int = 3) -> list[dict[str, Value]]:
    """That many distinct answer sets (distinct permalinks), the same for the same seed."""
    rng = random.Random(seed)
    seen: dict[tuple[tuple[str, str], ...], dict[str, Value]] = {}
    while len(seen) < count:
        answers = answer_set(rng)
        seen.setdefault(tuple(query_pairs(answers)), answers)
    return list(seen.values())


def checked(sets: list[dict[str, Value]]) -> None:
    """Every set is one the contract's schema accepts, unchanged."""
    schema = DecisionInput()
    for answers in sets:
        listed = {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}
        loaded = normal(schema.load(listed))
        assert loaded == answers, (answers, loaded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    model = model_from_files()
    sets = answer_sets(args.sets, args.seed)
    checked(sets)
    firsts: dict[str, int] = {}
    for answers in sets:  # also the warm-up
        first = recommend(answers, model).framework
        firsts[first] = firsts.get(first, 0) + 1
    gc.collect()
    gc.disable()
    try:
        repeats = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            for answers in sets:
                recommend(answers, model)
            repeats.append((time.perf_counter() - started) / len(sets) * 1e6)
        single = []
        by_needs: dict[int, list[float]] = {}
        for answers in sets:
            started = time.perf_counter_ns()
            recommend(answers, model)
            took = (time.perf_counter_ns() - started) / 1000
            single.append(took)
            by_needs.setdefault(len(answers.get("needs", ())), []).append(took)
    finally:
        gc.enable()
    single.sort()
    needs = statistics.mean(len(a.get("needs", ())) for a in sets)
    print(
        f"recommend(): {len(sets):,} distinct valid v3 answer sets (seed {args.seed}, "
        f"{needs:.1f} needs on average), {args.repeats} repeats, Python "
        f"{sys.version.split()[0]}"
    )
    print(
        f"µs per call: median repeat {statistics.median(repeats):.1f}, "
        f"best {min(repeats):.1f}; single calls p50 {single[len(single) // 2]:.1f}, "
        f"p99 {single[int(len(single) * 0.99)]:.1f}, max {single[-1]:.1f}"
    )
    print(
        "single calls, median µs by needs ticked: "
        + ", ".join(
            f"{count}: {statistics.median(times):.0f} ({len(times):,} sets)"
            for count, times in sorted(by_needs.items())
        )
    )
    order = sorted(firsts, key=lambda f: -firsts[f])
    print("first choices in the sample: " + ", ".join(f"{f} {firsts[f]:,}" for f in order))


if __name__ == "__main__":
    main()
