"""Helpers that build modified copies of the packaged content for tests."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from selector.loader import DEFAULT_DIR


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
            for field in ("values", "provided"):
                if aspect.get(field):
                    aspect[field].update({new: aspect[field][old] for old, new in new_slugs})
        originals = list(aspects)
        aspects.extend(
            {**aspect, "slug": f"{aspect['slug']}-{n}", "name": f"{aspect['name']} {n}"}
            for n in range(1, factor)
            for aspect in originals
        )

    def more_ja_aspects(aspects: dict) -> None:
        for aspect in aspects.values():
            aspect["values"].update({new: aspect["values"][old] for old, new in new_slugs})
        aspects.update(
            {
                f"{slug}-{n}": aspect
                for n in range(1, factor)
                for slug, aspect in list(aspects.items())
            }
        )

    edit(root / "aspects.yaml", more_aspects)
    edit(ja / "aspects.yaml", more_ja_aspects)
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
