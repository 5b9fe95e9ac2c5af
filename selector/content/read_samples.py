"""Reading the code samples: each task, each framework's sample, the lock they run against
and the record of their last runs."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from selector.content.markup import highlight_python, render_markdown
from selector.content.paths import Files
from selector.content.reader import Reader
from selector.content.records import Sample, SampleFile, SampleNeeds, SampleRun, SampleTask
from selector.content.sample_env import LOCK, RUNS, code_digest, normalise, pins
from selector.content.schemas import SAMPLE_CODE, SampleRunSchema, SampleSchema, SampleTaskSchema
from selector.schemas import SLUG_PATTERN


def read_samples(reader: Reader, files: Files) -> tuple[dict[str, str], list[SampleTask]]:
    """The lock and every task with its samples; the record of runs joins each sample."""
    if not files.sample_tasks:
        return {}, []
    locked = _lock(reader, files.samples / LOCK)
    runs_file = files.samples / RUNS
    runs = _runs(reader, runs_file)
    tasks = []
    for path in files.sample_tasks:
        record = _read_task(reader, path, runs_file, runs.get(path.parent.name) or {})
        if record:
            tasks.append(record)
    return locked, tasks


def _lock(reader: Reader, lock: Path) -> dict[str, str]:
    """The samples' lock file as {package: version}."""
    locked: dict[str, str] = {}
    try:
        locked = pins(lock.parent) if lock.is_file() else {}
    except (OSError, ValueError) as error:
        reader.problem(lock, "(file)", str(error))
    if not locked:
        reader.problem(lock, "(file)", "no pins: run `flask samples lock`")
    return locked


def _runs(reader: Reader, runs_file: Path) -> dict[str, Any]:
    """The record of the samples' last runs, by task and framework."""
    runs = (reader.yaml(runs_file) if runs_file.is_file() else None) or {}
    if not isinstance(runs, dict):
        reader.problem(runs_file, "(file)", "must map each task to its frameworks' runs")
        return {}
    return runs


def _read_task(reader: Reader, path: Path, runs_file: Path, runs: Any) -> SampleTask | None:
    folder = path.parent
    if re.match(SLUG_PATTERN, folder.name) is None:
        reader.problem(path, "(folder)", "use lowercase letters, digits and hyphens")
        return None
    record: SampleTask | None = reader.validate(path, SampleTaskSchema(), reader.yaml(path))
    if not record:
        return None
    summary_html = render_markdown(reader.resolve(record.summary, path))[0]
    if not isinstance(runs, dict):
        reader.problem(runs_file, folder.name, "must map each framework to its run")
        runs = {}
    samples = {}
    # Folders of tools (.pytest_cache, __pycache__) are not samples.
    for sample in sorted(p for p in folder.iterdir() if p.is_dir() and p.name[0] not in "._"):
        found = _read_sample(reader, sample, record.lead, runs)
        if found:
            samples[sample.name] = found
    return replace(
        record,
        slug=folder.name,
        summary_html=summary_html,
        samples=samples,
        file=reader.name(path),
    )


def _usable(reader: Reader, folder: Path, run: Any) -> bool:
    """Whether a sample's folder holds its files, none of them a link, and it has a last run."""
    missing = [name for name in ("sample.yaml", *SAMPLE_CODE) if not (folder / name).is_file()]
    for name in missing:
        reader.problem(folder / name, "(file)", "missing")
    # The page publishes these files: a link could publish a file from anywhere on the host.
    linked = [name for name in SAMPLE_CODE if (folder / name).is_symlink()]
    for name in linked:
        reader.problem(folder / name, "(file)", "a symbolic link: put the file itself here")
    if run is None:
        reader.problem(folder, "(last run)", f"not in {RUNS}: run `flask samples run`")
    return not missing and not linked and run is not None


def _ran_as_is(reader: Reader, folder: Path, run: SampleRun) -> bool:
    """Whether the sample's last run ran its code as it is now."""
    if run.code != code_digest(folder):
        reader.problem(
            folder, "(last run)", "changed since its test last ran: run `flask samples run`"
        )
        return False
    return True


def _read_sample(reader: Reader, folder: Path, lead: str, runs: dict[str, Any]) -> Sample | None:
    run = runs.get(folder.name)
    if not _usable(reader, folder, run):
        return None
    meta: SampleNeeds | None = reader.validate(
        folder / "sample.yaml", SampleSchema(), reader.yaml(folder / "sample.yaml")
    )
    ran: SampleRun | None = reader.validate(folder, SampleRunSchema(), run)
    if not meta or not ran or not _ran_as_is(reader, folder, ran):
        return None
    order = sorted(SAMPLE_CODE, key=lambda name: name != lead)
    try:
        texts = {name: reader.text(folder / name) for name in order}
    except (OSError, ValueError) as error:
        reader.problem(folder, "(file)", f"not readable as UTF-8 text: {error}")
        return None
    packages = {normalise(name): version for name, version in ran.packages.items()}
    return Sample(
        files=tuple(SampleFile(name, text, highlight_python(text)) for name, text in texts.items()),
        addons=tuple(replace(addon, package=normalise(addon.package)) for addon in meta.addons),
        note=meta.note,
        note_html=render_markdown(reader.resolve(meta.note, folder / "sample.yaml"))[0],
        run=replace(ran, packages=packages),
        file=reader.name(folder),
    )
