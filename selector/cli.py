"""Operator commands: `flask content load|check` and `flask check-production`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

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
        f"{len(data.questions)} questions"
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
    app.cli.add_command(check_production)
