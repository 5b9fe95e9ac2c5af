"""Checks across content files: what one file names, another must hold."""

from __future__ import annotations

from pathlib import Path

from selector.content.model import content_model
from selector.content.paths import Files
from selector.content.reader import Reader
from selector.content.records import Content, Sample, Scenario, framework_slugs
from selector.content.sample_env import LOCK, normalise, sample_packages
from selector.engine.answers import ANSWERS, REQUIRED, normal
from selector.engine.recommend import recommend


def _check_aspects(reader: Reader, content: Content) -> None:
    """Each aspect has a value for every framework and for no other, and so has a capability's
    classification."""
    frameworks = framework_slugs(content)
    for record in content.aspects:
        for field_name in ("values", "provided", "components"):
            given = getattr(record, field_name)
            if given is None:
                continue
            for slug in sorted(set(given) ^ frameworks):
                reason = "no such framework" if slug in given else "value missing"
                where = f"{record.slug}.{field_name}.{slug}"
                reader.problem(reader.root / record.file, where, reason)
    covered = [record.need for record in content.aspects if record.need]
    for need in ANSWERS["needs"]:
        if covered.count(need) != 1:
            reader.problem(
                Files(reader.root).aspects, need, "every need is covered by exactly one row"
            )


def _check_sections(reader: Reader, content: Content) -> None:
    """A part placed on a framework's page names a framework that exists, and at most one
    part is placed on each."""
    frameworks = framework_slugs(content)
    placed: dict[str, str] = {}
    for record in content.sections:
        slug = record.framework
        if slug is None:
            continue
        path = reader.root / record.file
        if slug not in frameworks:
            reader.problem(path, "framework", f"no framework {slug!r}")
        elif slug in placed:
            reader.problem(path, "framework", f"{slug!r} already carries {placed[slug]!r}")
        placed.setdefault(slug, record.slug)


def _check_scenarios(reader: Reader, content: Content) -> None:
    """Scenarios point at frameworks, scenarios and guide parts that exist."""
    frameworks = framework_slugs(content)
    scenarios = {record.slug for record in content.scenarios}
    sections = {record.slug for record in content.sections}
    for record in content.scenarios:
        path = reader.root / record.file
        _check_choices(reader, path, record, frameworks)
        for slug in record.related:
            if slug not in scenarios or slug == record.slug:
                reader.problem(path, "related", f"no other scenario {slug!r}")
        if record.section not in sections:
            reader.problem(path, "section", f"no guide section {record.section!r}")


def _check_choices(reader: Reader, path: Path, record: Scenario, frameworks: set[str]) -> None:
    """A scenario's first choice and runner-up are two frameworks that exist."""
    for key, slug in (("first", record.first), ("runner_up", record.runner_up)):
        if slug is not None and slug not in frameworks:
            reader.problem(path, key, f"no framework {slug!r}")
    if record.runner_up == record.first:
        reader.problem(path, "runner_up", "the runner-up must differ from the first choice")


def _check_questions(reader: Reader, content: Content) -> None:
    """The questions cover the contract's vocabulary exactly, in order."""
    path = Files(reader.root).questions
    if not content.questions:
        return
    if [q.key for q in content.questions] != list(ANSWERS):
        reader.problem(path, "key", f"questions must be, in order: {', '.join(ANSWERS)}")
    for question in content.questions:
        key = question.key
        if question.required != (key in REQUIRED):
            reader.problem(path, f"{key}.required", f"must be {key in REQUIRED}")
        values = tuple(choice.value for choice in question.choices)
        if values != ANSWERS.get(key, values):
            reader.problem(
                path, f"{key}.choices", f"values must be, in order: {', '.join(ANSWERS[key])}"
            )


def _check_samples(reader: Reader, content: Content) -> None:
    """Every task is written for the same frameworks, each pinned at the version the guide
    shows; every add-on is pinned; each sample last passed against exactly those pins."""
    versions = {f.slug: f.version.current for f in content.frameworks}
    shown = [set(task.samples) for task in content.tasks]
    everywhere = set.union(*shown) if shown else set()
    for task in content.tasks:
        path = reader.root / task.file
        for slug in sorted(everywhere - set(task.samples)):
            reader.problem(path, slug, "no sample for this framework, which the other tasks have")
        for slug, sample in task.samples.items():
            if slug not in versions:
                reader.problem(reader.root / sample.file, "(folder)", f"no framework {slug!r}")
            else:
                _check_pins(reader, content.pins, slug, sample)
    for slug in sorted(everywhere & set(versions)):
        pinned = content.pins.get(normalise(slug))
        if pinned != versions[slug]:
            reader.problem(
                reader.root / "samples" / LOCK,
                slug,
                f"pins {pinned}, the guide shows {versions[slug]}: the samples must run "
                "against the version the guide shows",
            )


def _check_pins(reader: Reader, pins: dict[str, str], slug: str, sample: Sample) -> None:
    """A sample's packages are pinned, and it last ran against those pins."""
    where = reader.root / sample.file
    wanted = {}
    for package in sample_packages(slug, (addon.package for addon in sample.addons)):
        if package not in pins:
            reader.problem(where, package, f"not pinned in {LOCK}")
        wanted[package] = pins.get(package)
    ran = dict(sample.run.packages)
    if ran != wanted:
        reader.problem(
            where,
            "(last run)",
            f"ran against {ran}, the lock pins {wanted}: run `flask samples run`",
        )


def _check_benchmark(reader: Reader, content: Content) -> None:
    """The figures name frameworks and sample tasks that exist, each series once, with a
    figure for each round the run had."""
    if content.benchmark is None:
        return
    path = Files(reader.root).benchmarks
    frameworks = framework_slugs(content)
    tasks = {task.slug for task in content.tasks}
    seen = set()
    for n, result in enumerate(content.benchmark.results):
        if result.framework not in frameworks:
            reader.problem(path, f"results.{n}.framework", f"no framework {result.framework!r}")
        if result.task not in tasks:
            reader.problem(path, f"results.{n}.task", f"no sample task {result.task!r}")
        if len(result.per_round) != content.benchmark.rounds:
            reader.problem(
                path,
                f"results.{n}.per_round",
                f"{len(result.per_round)} rounds, the run had {content.benchmark.rounds}",
            )
        series = (result.task, result.framework, result.server)
        if series in seen:
            reader.problem(path, f"results.{n}", "measured twice")
        seen.add(series)


def _check_presets(reader: Reader, content: Content) -> None:
    """Each scenario's preset must give exactly the first choice and runner-up the matrix shows."""
    model = content_model(content)
    for record in content.scenarios:
        result = recommend(normal(record.preset), model)
        if (result.framework, result.runner_up) != (record.first, record.runner_up):
            reader.problem(
                reader.root / record.file,
                "preset",
                f"these answers lead to {result.framework!r} with runner-up "
                f"{result.runner_up!r}, not {record.first!r} with {record.runner_up!r}",
            )


def check(reader: Reader, content: Content) -> None:
    """Run every check across files; the scenarios' presets only on content that passed the
    others, since the engine reads it."""
    for each in (
        _check_aspects,
        _check_sections,
        _check_scenarios,
        _check_questions,
        _check_samples,
        _check_benchmark,
    ):
        each(reader, content)
    if not reader.problems:
        _check_presets(reader, content)
