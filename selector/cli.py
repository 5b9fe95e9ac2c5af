"""Operator commands: `flask content load|check`, `flask samples run|lock` and
`flask check-production`."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from selector.content import freshness, sample_env
from selector.content.package_index import IndexUnreachable, Release, newest_release
from selector.content.read import checked_dates, read_content
from selector.content.reader import ContentError
from selector.content.records import Content
from selector.content.snapshot import loaded_revision, publish
from selector.content.versions import Shown, is_older, shown_versions, write_release
from selector.content.write import write_content
from selector.decisions import tally
from selector.extensions import db
from selector.settings import production_problems

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
@click.option(
    "--max-age",
    type=click.IntRange(min=0),
    help="Also fail when any checked-on date is older than this many days.",
)
def check(directory: str | None, max_age: int | None) -> None:
    """Validate every content file without writing anything."""
    data = _read(directory)
    if max_age is not None:
        old = [
            (where, day) for where, day in checked_dates(data) if freshness.is_stale(day, max_age)
        ]
        for where, day in old:
            click.echo(f"{where}: checked {day.isoformat()}, {freshness.days_ago(day)}", err=True)
        if old:
            raise click.ClickException(
                f"{len(old)} checked-on date(s) older than {max_age} days: check them again."
            )
    click.echo(
        f"content valid: {len(data.frameworks)} frameworks, {len(data.aspects)} aspects, "
        f"{len(data.sections)} sections, {len(data.scenarios)} scenarios, "
        f"{len(data.questions)} questions, "
        f"{sum(len(task.samples) for task in data.tasks)} code samples; "
        f"editions: {', '.join(['en', *data.editions])}"
    )


@content.command("versions")
@click.option(
    "--write",
    is_flag=True,
    help="Write each framework's current release, its date and today's date into its file.",
)
@click.option("--dir", "directory", help="Content folder (default: the packaged content).")
@click.pass_context
def versions(ctx: click.Context, write: bool, directory: str | None) -> None:
    """Compare the versions the guide shows with the package index's newest releases.

    Exits 1 when anything drifted, 2 when the index cannot be reached (nothing is changed).
    """
    root = Path(directory or current_app.config["CONTENT_DIR"])
    shown = shown_versions(root)
    index = current_app.config["PACKAGE_INDEX_URL"]
    try:
        found = {
            item.package: newest_release(
                index, item.package, current_app.config["PACKAGE_INDEX_TIMEOUT"]
            )
            for item in shown
        }
    except IndexUnreachable as error:
        click.echo(f"cannot reach the package index: {error}; nothing was changed", err=True)
        ctx.exit(2)
    click.echo(f"{'package':<18} {'shown':<12} {'current':<12} {'released':<11} python")
    drifted = [item for item in shown if _compared(item, found[item.package], index)]
    if write:
        _write_releases(shown, found)
    if drifted:
        click.echo(
            f"{len(drifted)} drifted: with --write, then `flask samples lock` and "
            "`flask samples run` (the samples run against what the guide shows) and "
            "`flask content load`"
        )
        ctx.exit(1)


def _compared(item: Shown, release: Release | None, index: str) -> bool:
    """Say how a version the guide shows compares with the index's; True when it drifted."""
    if release is None:
        click.echo(f"{item.package:<18} {item.version:<12} not on the index at {index}")
        return True
    state = "" if release.version == item.version else "  drifted"
    held = item.holds_back(release.version)
    if held:
        state = f"  held ({item.held} in samples/requirements.in)"
    if is_older(release, item):
        state = "  the index is behind the guide: not written"
    click.echo(
        f"{item.package:<18} {item.version:<12} {release.version:<12} "
        f"{release.released.isoformat():<11} {release.requires_python or 'any'}{state}"
    )
    return bool(state) and not held


def _write_releases(shown: list[Shown], found: dict[str, Release | None]) -> None:
    today = freshness.today()
    for item in shown:
        release = found[item.package]
        # A mirror that lags behind the guide must not take it back to an older release.
        if item.file is not None and release is not None and not is_older(release, item):
            write_release(item.file, release, today)
    click.echo(f"framework files written, checked on {today.isoformat()}")


@content.command("load")
@click.option("--dir", "directory", help="Content folder (default: the packaged content).")
def load(directory: str | None) -> None:
    """Validate every content file, then write all of it in one transaction."""
    data = _read(directory)
    if write_content(db.session(), data):
        publish(loaded_revision(db.session))
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
    _say_outcomes(outcomes)
    if record:
        sample_env.record(folder, outcomes, python, interpreter.release, freshness.today())
    failed = sum(not outcome.passed for outcome in outcomes)
    if failed:
        raise click.ClickException(
            f"{failed} of {len(outcomes)} sample(s) failed; their last run stays as it was."
        )
    click.echo(
        f"{len(outcomes)} sample(s) passed on Python {interpreter.release}"
        + (f"; recorded in samples/{sample_env.RUNS}" if record else "")
    )


def _say_outcomes(outcomes: list[sample_env.Outcome]) -> None:
    for outcome in outcomes:
        click.echo(f"{'passed' if outcome.passed else 'FAILED'}  {'/'.join(outcome.key)}")
        if not outcome.passed:
            click.echo(outcome.output, err=True)


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


stats = AppGroup("stats", help="The decision statistics' tallies.")


@stats.command("refresh")
@with_appcontext
def refresh_stats() -> None:
    """Count every decision stored since the last refresh into the tallies (the release step),
    so that no reader's request pays for a backlog."""
    tally.refresh(db.session, dt.datetime.now(dt.UTC), dt.timedelta(0))
    click.echo(f"tallies hold {tally.counted(db.session):,} decisions")


def register(app: Flask) -> None:
    app.cli.add_command(content)
    app.cli.add_command(samples)
    app.cli.add_command(stats)
    app.cli.add_command(check_production)
