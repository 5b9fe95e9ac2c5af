"""Operator commands: `flask content load|check`, `flask samples run|lock` and
`flask check-production`."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from selector import sample_env
from selector.extensions import db
from selector.loader import Content, ContentError, read_content, write_content
from selector.settings import production_problems
from selector.snapshot import publish

content = AppGroup("content", help="Validate and load the guide's content files.")


def _read(directory: str | None) -> Content:
    root = Path(directory or current_app.config["CONTENT_DIR"])
    try:
        return read_content(root)
    except ContentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{len(error.problems)} problem(s) in {root}; nothing was changed."
        ) from error


@content.command("check")
@click.option("--dir", "directory", help="Content folder (default: the packaged content).")
def check(directory: str | None) -> None:
    """Validate every content file without writing anything."""
    data = _read(directory)
    click.echo(
        f"content valid: {len(data.frameworks)} frameworks, {len(data.aspects)} aspects, "
        f"{len(data.sections)} sections, {len(data.scenarios)} scenarios, "
        f"{len(data.questions)} questions, "
        f"{sum(len(task['samples']) for task in data.tasks)} code samples"
    )


@content.command("load")
@click.option("--dir", "directory", help="Content folder (default: the packaged content).")
def load(directory: str | None) -> None:
    """Validate every content file, then write all of it in one transaction."""
    data = _read(directory)
    if write_content(db.session(), data):
        publish(data.digest)
        click.echo(f"content loaded: revision {data.digest[:12]}")
    else:
        click.echo(f"content unchanged: revision {data.digest[:12]} is already loaded")


samples = AppGroup("samples", help="Run the code samples' own tests in their own environment.")


def _samples() -> tuple[Path, sample_env.Interpreter]:
    """The samples folder and the newest Python on this machine that every framework supports."""
    folder = Path(current_app.config["CONTENT_DIR"]) / "samples"
    minimum = sample_env.minimum_python(folder)
    interpreter = sample_env.newest_python(minimum)
    if interpreter is None:
        raise click.ClickException(
            f"No CPython {minimum[0]}.{minimum[1]} or newer found (pyenv versions, or "
            f"python3.N on PATH); the samples need it."
        )
    return folder, interpreter


@samples.command("run")
@click.option("--task", help="Only this task's samples.")
@click.option("--framework", help="Only this framework's samples.")
@click.option(
    "--record/--no-record",
    default=True,
    help="Write what each passing sample ran against to samples/runs.yaml (the default).",
)
def run(task: str | None, framework: str | None, record: bool) -> None:
    """Run each sample's own test with the pinned packages, and record what it passed against."""
    folder, interpreter = _samples()
    python = sample_env.environment(folder, Path(current_app.config["SAMPLES_VENV"]), interpreter)
    chosen = [
        path
        for path in sample_env.sample_folders(folder)
        if task in (None, path.parent.name) and framework in (None, path.name)
    ]
    if not chosen:
        raise click.ClickException("No sample matches.")
    with ThreadPoolExecutor() as pool:
        outcomes = list(pool.map(lambda path: sample_env.run_sample(python, path), chosen))
    for outcome in outcomes:
        click.echo(f"{'passed' if outcome.passed else 'FAILED'}  {'/'.join(outcome.key)}")
        if not outcome.passed:
            click.echo(outcome.output, err=True)
    if record:
        sample_env.record(folder, outcomes, python, interpreter.release, dt.date.today())
    failed = sum(not outcome.passed for outcome in outcomes)
    if failed:
        raise click.ClickException(
            f"{failed} of {len(outcomes)} sample(s) failed; their last run stays as it was."
        )
    click.echo(
        f"{len(outcomes)} sample(s) passed on Python {interpreter.release}"
        + (f"; recorded in samples/{sample_env.RUNS}" if record else "")
    )


@samples.command("lock")
def lock() -> None:
    """Resolve samples/requirements.in with the samples' Python into samples/requirements.txt."""
    folder, interpreter = _samples()
    sample_env.lock(folder, interpreter)
    click.echo(
        f"locked {len(sample_env.pins(folder))} packages with Python {interpreter.release}; "
        "now run `flask samples run`"
    )


@click.command("check-production")
@with_appcontext
def check_production() -> None:
    """Report whether these settings are safe to serve the public with."""
    problems = production_problems(current_app.config)
    for problem in problems:
        click.echo(f"not ready: {problem}", err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} setting(s) must change before production.")
    click.echo("settings are ready for production")


def register(app: Flask) -> None:
    app.cli.add_command(content)
    app.cli.add_command(samples)
    app.cli.add_command(check_production)
