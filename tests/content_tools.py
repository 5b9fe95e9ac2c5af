"""Helpers that build modified copies of the packaged content for tests."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from selector.content.paths import DEFAULT_DIR
from selector.engine.recommend import DecisionModel, recommend


def copy_content(target: Path) -> Path:
    return Path(shutil.copytree(DEFAULT_DIR, target))


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def append(root: Path, relative: str, field: str, text: str) -> None:
    """Add an item to a list of an English file and of its Japanese twin, which must keep the
    same number of items."""
    edit(root / relative, lambda data: data[field].append(text))
    edit(root / "ja" / relative, lambda data: data[field].append(f"日本語で、{text}"))


#: The rules the engine words for every framework there is (recommend.rule_keys).
PER_FRAMEWORK_RULES = ("extend", "extend-unfamiliar", "stay", "no-second")
#: What only a row of the coverage table (one per need) has.
COVERAGE_FIELDS = ("need", "components", "outside")


def multiply(root: Path, factor: int) -> None:
    """Add synthetic frameworks, aspects, sections, scenarios and sample tasks until each is
    factor times as many."""
    ja = root / "ja"
    frameworks = sorted((root / "frameworks").glob("*.yaml"))
    slugs = [yaml.safe_load(p.read_text())["slug"] for p in frameworks]
    new_slugs = []
    for n in range(1, factor):
        for path, slug in zip(frameworks, slugs, strict=True):
            copy = yaml.safe_load(path.read_text())
            copy.update(
                slug=f"{slug}-{n}", name=f"{copy['name']} {n}", order=copy["order"] + 10 * n
            )
            (root / "frameworks" / f"{slug}-{n}.yaml").write_text(yaml.safe_dump(copy))
            shutil.copy(ja / "frameworks" / path.name, ja / "frameworks" / f"{slug}-{n}.yaml")
            new_slugs.append((slug, f"{slug}-{n}"))

    def more_aspects(aspects: list) -> None:
        for aspect in aspects:
            for field in ("values", "provided", "components"):
                if aspect.get(field):
                    aspect[field].update({new: aspect[field][old] for old, new in new_slugs})
        originals = list(aspects)
        # A copy is a plain row: each need stays covered by its one row.
        aspects.extend(
            {
                **{k: v for k, v in aspect.items() if k not in COVERAGE_FIELDS},
                "slug": f"{aspect['slug']}-{n}",
                "name": f"{aspect['name']} {n}",
            }
            for n in range(1, factor)
            for aspect in originals
        )

    def more_ja_aspects(aspects: dict) -> None:
        for aspect in aspects.values():
            for field in ("values", "components"):
                if aspect.get(field):
                    aspect[field].update({new: aspect[field][old] for old, new in new_slugs})
        aspects.update(
            {
                f"{slug}-{n}": {k: v for k, v in aspect.items() if k not in COVERAGE_FIELDS}
                for n in range(1, factor)
                for slug, aspect in list(aspects.items())
            }
        )

    edit(root / "aspects.yaml", more_aspects)
    edit(ja / "aspects.yaml", more_ja_aspects)

    def more_rules(rules: dict) -> None:
        # What the engine says of any framework it starts from: extending it, staying on it.
        rules.update(
            {
                f"{key.rsplit('.', 1)[0]}.{new}": rules[key]
                for old, new in new_slugs
                for key in list(rules)
                if key.endswith(f".{old}") and key.split(".")[0] in PER_FRAMEWORK_RULES
            }
        )

    edit(root / "rules.yaml", more_rules)
    edit(ja / "rules.yaml", more_rules)
    for path in sorted((root / "sections").glob("*.md")):
        for n in range(1, factor):
            # A copy of a framework's part goes to that framework's copy: one part per page.
            text = path.read_text().replace("slug: ", f"slug: x{n}-", 1)
            text = re.sub(r"^framework: (.+)$", rf"framework: \1-{n}", text, flags=re.M)
            (root / "sections" / f"{path.stem}-x{n}.md").write_text(text)
            shutil.copy(ja / "sections" / path.name, ja / "sections" / f"{path.stem}-x{n}.md")
    for path in sorted((root / "scenarios").glob("*.yaml")):
        for n in range(1, factor):
            copy = yaml.safe_load(path.read_text())
            copy.update(
                slug=f"{copy['slug']}-{n}", order=copy["order"] + 100 * n, related=[], aliases=[]
            )
            copy.pop("closing", None)
            (root / "scenarios" / f"{path.stem}-{n}.yaml").write_text(yaml.safe_dump(copy))
            edit_copy = yaml.safe_load((ja / "scenarios" / path.name).read_text())
            edit_copy.pop("closing", None)
            (ja / "scenarios" / f"{path.stem}-{n}.yaml").write_text(
                yaml.safe_dump(edit_copy, allow_unicode=True)
            )
    settle_scenarios(root)
    samples = root / "samples"
    tasks = sorted(path.parent for path in samples.glob("*/task.yaml"))

    def more_runs(runs: dict) -> None:
        runs.update(
            {f"{task.name}-{n}": runs[task.name] for task in tasks for n in range(1, factor)}
        )

    for task in tasks:
        for n in range(1, factor):
            shutil.copytree(task, samples / f"{task.name}-{n}")
            shutil.copytree(ja / "samples" / task.name, ja / "samples" / f"{task.name}-{n}")
    edit(samples / "runs.yaml", more_runs)


def settle_scenarios(root: Path) -> None:
    """Have each scenario say what the engine now gives for its preset: frameworks added or
    coverage changed can change the first choice or the runner-up."""
    frameworks = [yaml.safe_load(p.read_text()) for p in (root / "frameworks").glob("*.yaml")]
    aspects = yaml.safe_load((root / "aspects.yaml").read_text())
    model = DecisionModel(
        frameworks=[f["slug"] for f in sorted(frameworks, key=lambda f: f["order"])],
        coverage={a["need"]: dict(a["provided"]) for a in aspects if a.get("need")},
        outside={a["need"]: a["outside"] for a in aspects if a.get("need") and a.get("outside")},
    )

    def settle(scenario: dict) -> None:
        result = recommend(scenario["preset"], model)
        scenario.update(first=result.framework, runner_up=result.runner_up)

    for path in sorted((root / "scenarios").glob("*.yaml")):
        edit(path, settle)
