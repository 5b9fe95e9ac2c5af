#!/usr/bin/env python3
"""/stats at scale: the tallies' catch-up over a million decisions, then cold statistics pages.

    python bench/stats.py [--decisions 1000000] [--runs 5] [--new 1000] [--v3-months 6]
                          [--postgresql URL] [--skip-postgresql]

For SQLite (a temporary file) and for PostgreSQL (a database of its own, `bench_stats`,
created on the server at URL and dropped afterwards), it builds the schema with the
migrations, loads the content, and stores that many decisions spread over the last 24 months
with the ids in time order, as a site that has run both versions of the decision contract
holds them: those of the last `--v3-months` are version 3, their answers drawn from every
version-2 answer set carried over and a seeded random sample of other valid version-3 sets
(multi-valued answers as lists, several needs to many); the older ones are version 2, their
answers drawn from every version-2 combination as that form stored them. Some sets are far
more common than others, and each decision has the first choice and runner-up the engine gives
for the loaded content (for a version-2 set, for its answers carried over). Then it measures:

- the first catch-up of the tallies over all of them (`tally.refresh`, as the release step
  `flask stats refresh` runs it), a one-time cost;
- /stats over that backlog when the release step was skipped: each request counts as much
  as the view allows itself (one chunk) and draws;
- a cold /stats and a cold /api/v1/stats through the WSGI app (the test client): before each
  run, `--new` more version-3 decisions just old enough to be counted (a few seconds past
  `tally.SETTLE`) and a refresh that is due (the last one two minutes ago), so each request
  counts them and renders. Two kinds of cold: a warm process whose page store was emptied
  (what a worker pays once a minute), and a new app (a new process's first request: content
  read, templates compiled).

Prints a markdown table per database and the command. Not run by the test suite.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import functools
import itertools
import logging
import random
import shlex
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import flask_migrate
from flask import Flask
from sqlalchemy import Table, create_engine, delete, func, insert, select, text, update
from sqlalchemy.engine import make_url

from selector import create_app
from selector.content.model import content_model
from selector.content.read import read_content
from selector.content.write import write_content
from selector.decisions import tally
from selector.edge.page_cache import store
from selector.engine.answers import (
    ANSWERS,
    NO_SKILLS,
    VERSION,
    Answers,
    every_v2_combination,
    from_v2,
    normal,
    query_pairs,
)
from selector.engine.recommend import recommend
from selector.extensions import db
from selector.models import Decision, DecisionTally, TallyMark
from selector.schemas import DecisionInput

INSERT = insert(cast(Table, Decision.__table__))
BATCH = 50_000
MONTHS = 24
DATABASE = "bench_stats"
#: Version-3 answer sets drawn at random, beside the version-2 ones carried over.
SAMPLED = 2_000


def sampled_v3(rng: random.Random) -> Answers:
    """A valid version-3 answer set: the required answers, a few needs (often none, at most
    four), skills (or none of them) and the single-valued answers each often left out."""
    skills = [skill for skill in ANSWERS["team_skills"] if skill != NO_SKILLS]
    given: dict[str, object] = {
        "starting_point": rng.choice(ANSWERS["starting_point"]),
        "clients": rng.sample(ANSWERS["clients"], rng.choice((1, 1, 1, 2, 3))),
        "needs": rng.sample(ANSWERS["needs"], rng.choice((0, 1, 1, 2, 2, 3, 4))),
    }
    if rng.random() < 0.6:
        given["team_skills"] = (
            [NO_SKILLS] if rng.random() < 0.2 else rng.sample(skills, rng.choice((1, 1, 2)))
        )
    for key in ("team_size", "structure", "design_owner"):
        if rng.random() < 0.6:
            given[key] = rng.choice(ANSWERS[key])
    return normal(given)


def v3_answers() -> list[Answers]:
    """Every version-2 answer set carried over, then a seeded sample of others, each once."""
    rng = random.Random(3)
    found: dict[tuple[tuple[str, str], ...], Answers] = {}
    carried = (from_v2(old) for old in every_v2_combination())
    sampled = (sampled_v3(rng) for _ in range(SAMPLED))
    for answers in itertools.chain(carried, sampled):
        found.setdefault(tuple(query_pairs(answers)), answers)
    return list(found.values())


@functools.cache
def answer_sets(version: int) -> tuple[list[dict[str, Any]], list[float]]:
    """The answer sets of a version as decision rows (without their dates), as the form of that
    version stored them, and a weight for each: a few sets are common, most are rare, as with
    real readers."""
    model = content_model(read_content())
    rng = random.Random(version)
    rows, weights = [], []
    given: list[Any] = v3_answers() if version == VERSION else list(every_v2_combination())
    check = DecisionInput()
    for answers in given:
        result = recommend(from_v2(answers) if version != VERSION else answers, model)
        if version == VERSION:
            # As the form stores them: a multi-valued answer as a list.
            answers = {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}
            if problems := check.validate(answers):
                raise SystemExit(f"an invalid version-3 answer set {answers}: {problems}")
        rows.append(
            {
                "version": version,
                "answers": answers,
                "framework": result.framework,
                "runner_up": result.runner_up,
            }
        )
        weights.append(rng.random() ** 3)
    return rows, weights


def decisions(
    count: int, start: dt.datetime, end: dt.datetime, seed: int, v3_from: dt.datetime
) -> Iterator[list[dict[str, Any]]]:
    """count decision rows with created_at between start and end, in time order, in batches:
    version 2 before v3_from, version 3 from then on."""
    rng = random.Random(seed)
    span = (end - start).total_seconds()
    offsets = sorted(rng.random() * span for _ in range(count))
    times = [start + dt.timedelta(seconds=offset) for offset in offsets]
    older = bisect.bisect_left(times, v3_from)
    chosen = []
    for version, how_many in ((2, older), (VERSION, count - older)):
        kinds, weights = answer_sets(version)
        chosen += rng.choices(kinds, weights, k=how_many)
    for first in range(0, count, BATCH):
        yield [
            {**kind, "created_at": moment}
            for kind, moment in zip(
                chosen[first : first + BATCH], times[first : first + BATCH], strict=True
            )
        ]


def make_app(url: str, instance: str) -> Flask:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url}, instance_path=instance)
    logging.getLogger("selector.access").disabled = True
    return app


@contextlib.contextmanager
def postgresql_database(server: str) -> Iterator[str]:
    """A fresh database on the server, dropped afterwards; yields its URL."""
    admin_url = make_url(server).set(drivername="postgresql+psycopg")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {DATABASE}"))
    try:
        yield admin_url.set(database=DATABASE).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        admin.dispose()


def add_new(app: Flask, count: int, seed: int) -> None:
    """count decisions a few seconds older than the settling time (the youngest a refresh
    counts), and the last refresh two minutes back: the next statistics read counts them."""
    now = dt.datetime.now(dt.UTC)
    with app.app_context():
        settled = now - tally.SETTLE
        start = settled - dt.timedelta(seconds=10)
        rows = next(decisions(count, start, settled, seed, v3_from=start))
        db.session.execute(INSERT, rows)
        db.session.commit()
    make_due(app)


def make_due(app: Flask) -> None:
    """The last refresh two minutes back: the next statistics read refreshes."""
    with app.app_context():
        back = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)
        db.session.execute(update(TallyMark).values(refreshed_at=back))
        db.session.commit()


def forget_tallies(app: Flask) -> None:
    """Tallies as a database has them before its first refresh: every decision a backlog."""
    with app.app_context():
        db.session.execute(delete(DecisionTally))
        db.session.execute(update(TallyMark).values(last_decision=0))
        db.session.commit()
    make_due(app)


def timed_get(app: Flask, path: str) -> float:
    client = app.test_client()
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code}\n{response.get_data(as_text=True)}")
    return elapsed


def counted(app: Flask) -> tuple[int, int]:
    """(decisions stored, decisions in the tallies' total)."""
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Decision)) or 0
        tallied = tally.counted(db.session)
        db.session.rollback()
    return stored, tallied


def check_firsts(app: Flask) -> None:
    """The tallies' first choices agree with grouping the decisions themselves."""
    with app.app_context():
        grouped = dict(
            db.session.execute(
                select(Decision.framework, func.count()).group_by(Decision.framework)
            ).all()
        )
        tallied = dict(
            db.session.execute(
                select(DecisionTally.value, func.sum(DecisionTally.count))
                .where(DecisionTally.dimension == "first")
                .group_by(DecisionTally.value)
            ).all()
        )
        db.session.rollback()
    if grouped != tallied:
        raise SystemExit(f"tallies disagree with the decisions: {tallied} != {grouped}")


def check_needs(app: Flask) -> None:
    """The tallies' version-3 needs agree with counting each need of each version-3 decision
    (in Python, a page of decisions at a time), and the version-3 total with the decisions."""
    expected: Counter[str] = Counter()
    v3 = 0
    last = 0
    with app.app_context():
        while True:
            page = db.session.execute(
                select(Decision.id, Decision.answers)
                .where(Decision.version == VERSION, Decision.id > last)
                .order_by(Decision.id)
                .limit(BATCH)
            ).all()
            if not page:
                break
            for _, answers in page:
                expected.update(answers.get("needs", []))
            v3 += len(page)
            last = page[-1].id
        tallied = dict(
            db.session.execute(
                select(DecisionTally.value, func.sum(DecisionTally.count))
                .where(DecisionTally.dimension == tally.answer_dimension("needs"))
                .group_by(DecisionTally.value)
            ).all()
        )
        versions = db.session.scalar(
            select(func.sum(DecisionTally.count)).where(
                DecisionTally.dimension == tally.VERSIONS, DecisionTally.value == str(VERSION)
            )
        )
        db.session.rollback()
    if tallied != dict(expected) or versions != v3:
        raise SystemExit(
            f"the tallies' needs disagree with the decisions: {tallied} != {dict(expected)}, "
            f"or {versions} version-{VERSION} decisions tallied of {v3}"
        )


def bench(name: str, url: str, args: argparse.Namespace, instance: str) -> list[str]:
    print(f"{name}: building the schema and loading the content", file=sys.stderr)
    app = make_app(url, instance)
    with app.app_context():
        flask_migrate.upgrade()
        write_content(db.session(), read_content())
    # All settled, so that the catch-up counts every one.
    end = dt.datetime.now(dt.UTC) - tally.SETTLE - dt.timedelta(minutes=1)
    started = time.perf_counter()
    with app.app_context():
        start = end - dt.timedelta(days=MONTHS * 30.5)
        v3_from = end - dt.timedelta(days=args.v3_months * 30.5)
        for rows in decisions(args.decisions, start, end, 1, v3_from):
            db.session.execute(INSERT, rows)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE decision"))
            db.session.commit()
    inserted = time.perf_counter() - started
    print(f"{name}: {args.decisions:,} decisions stored in {inserted:.1f} s", file=sys.stderr)

    with app.app_context():
        started = time.perf_counter()
        tally.refresh(db.session, dt.datetime.now(dt.UTC), dt.timedelta(0))
        catch_up = time.perf_counter() - started
        tally_rows = db.session.scalar(select(func.count()).select_from(DecisionTally))
        db.session.rollback()
    stored, tallied = counted(app)
    if tallied != stored:
        raise SystemExit(f"{name}: the catch-up counted {tallied:,} of {stored:,} decisions")
    check_firsts(app)
    check_needs(app)
    print(f"{name}: catch-up {catch_up:.2f} s, {tally_rows:,} tally rows", file=sys.stderr)

    # A warm process: one request of each kind first, so that templates and content are read.
    warm = make_app(url, instance)
    for path in ("/stats", "/api/v1/stats"):
        timed_get(warm, path)

    def warm_process(path: str) -> float:
        store(warm).pages.clear()
        return timed_get(warm, path)

    def new_process(path: str) -> float:
        fresh = make_app(url, instance)
        try:
            return timed_get(fresh, path)
        finally:
            with fresh.app_context():
                db.engine.dispose()

    # A backlog, as when the release step (`flask stats refresh`) has not counted the stored
    # decisions: each /stats request counts what the view allows itself (one chunk) and draws.
    forget_tallies(app)
    backlog, per_request = [], []
    for _ in range(args.runs):
        before = counted(app)[1]
        make_due(app)
        backlog.append(warm_process("/stats"))
        per_request.append(counted(app)[1] - before)
    with app.app_context():
        tally.refresh(db.session, dt.datetime.now(dt.UTC), dt.timedelta(0))
    stored, tallied = counted(app)
    if tallied != stored:
        raise SystemExit(f"{name}: after the backlog, {tallied:,} of {stored:,} counted")

    seed = 100
    results: list[tuple[str, list[float]]] = []
    cold: list[tuple[str, Callable[[str], float]]] = [
        ("page store emptied", warm_process),
        ("new app", new_process),
    ]
    for how, measure in cold:
        for path in ("/stats", "/api/v1/stats"):
            times = []
            for _ in range(args.runs):
                seed += 1
                add_new(app, args.new, seed)
                times.append(measure(path))
                stored, tallied = counted(app)
                if tallied != stored:
                    raise SystemExit(
                        f"{name}: {path} left {stored - tallied:,} decisions uncounted"
                    )
            results.append((f"`{path}`, cold ({how})", times))
    check_firsts(app)
    check_needs(app)
    for each in (app, warm):
        with each.app_context():
            db.session.remove()
            db.engine.dispose()

    low, high = min(per_request), max(per_request)
    counts = f"{low:,}" if low == high else f"{low:,} to {high:,}"
    lines = [
        f"### {name}",
        "",
        f"{args.decisions:,} decisions stored in {inserted:.1f} s (executemany, "
        f"{BATCH:,} a batch), version 3 for the last {args.v3_months} of {MONTHS} months; "
        f"{tally_rows:,} tally rows after the catch-up.",
        "",
        "| measure | median | max |",
        "|---|---:|---:|",
        f"| first catch-up over {args.decisions:,} decisions (`tally.refresh` as "
        f"`flask stats refresh` calls it, the release step; once) | {catch_up:.2f} s | |",
        f"| `/stats` over a backlog of {args.decisions:,} (release step skipped; page store "
        f"emptied), each request counting {counts} of them, "
        f"{args.runs} runs | {statistics.median(backlog) * 1000:.0f} ms "
        f"| {max(backlog) * 1000:.0f} ms |",
    ]
    for label, times in results:
        lines.append(
            f"| {label}, {args.new:,} new decisions counted, {args.runs} runs "
            f"| {statistics.median(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms |"
        )
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--new", type=int, default=1_000, help="decisions added before each run")
    parser.add_argument(
        "--v3-months",
        type=int,
        default=6,
        help=f"the last months (of {MONTHS}) whose decisions are version 3; the older, version 2",
    )
    parser.add_argument(
        "--postgresql",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help=f"a server where the database {DATABASE} may be created and dropped",
    )
    parser.add_argument("--skip-postgresql", action="store_true")
    args = parser.parse_args()
    command = shlex.join([".venv/bin/python", f"bench/{Path(__file__).name}", *sys.argv[1:]])
    lines = [f"Command: `{command}`"]
    with tempfile.TemporaryDirectory(prefix="selector-stats-") as folder:
        sqlite_url = f"sqlite:///{Path(folder) / 'stats.sqlite'}"
        lines += ["", *bench("SQLite", sqlite_url, args, folder)]
        if not args.skip_postgresql:
            with postgresql_database(args.postgresql) as url:
                lines += bench("PostgreSQL", url, args, folder)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
