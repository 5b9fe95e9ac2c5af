"""Decision statistics: a rollup of the stored decisions, and the aggregates /stats shows.

A form POST stays one INSERT. The tallies (decisions per month and per first choice, runner-up,
and answer) are brought up to date when the statistics are read, at most once a minute, from
the decisions stored since the last mark; so a page over a million decisions reads a few
hundred tally rows instead of grouping the million.

Each decision keeps the version of the decision contract its answers were given in. Every
decision counts in the total, the first choices and the runner-ups, whose meaning has not
changed. Answers count per version, never mixed: a dimension of answers names its version
("answer:v3:needs"), and each value of a multi-valued answer (a JSON list) counts once. The
statistics read the current version's answers only, out of the decisions made in it. Version
2's answers are counted no more: the tallies they were counted into before version 3
("answer:<key>") stay as they were, and are shown nowhere.

Only anonymous aggregates leave this module, and never an exact count:
- a count under THRESHOLD reads "fewer than 10";
- every other count is rounded to the nearest ROUNDING, and every share is worked out from
  rounded counts, so that subtracting figures from a total, across tables too, gives a range
  rather than a small count;
- the tallies move only in steps of at least BATCH decisions, so that comparing the figures
  before and after a refresh never isolates one decision's answers; and since the answers
  shown count the current version's decisions only, a step holds either none of those or at
  least BATCH of them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import TextClause, case, func, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, scoped_session

from selector.engine.answers import ANSWERS, FRAMEWORKS, MULTI, REQUIRED, VERSION
from selector.extensions import db
from selector.models import Decision, DecisionTally, TallyMark

#: The smallest count shown as a number.
THRESHOLD = 10
FEWER = f"fewer than {THRESHOLD}"
#: Counts are shown to the nearest ten (halves up).
ROUNDING = 10
#: The fewest decisions one refresh adds to the tallies.
BATCH = THRESHOLD
#: Decisions counted per transaction while catching up, so that no refresh holds the
#: database's write lock for long: about 0.4 s on SQLite (bench/stats.py). A version-3
#: decision gives about twice the tally rows a version-2 one gave (a row per need, client and
#: skill), so this is smaller than the 50,000 it was.
CHUNK = 20_000
#: Decisions younger than this wait for a later refresh. A decision takes its id when it is
#: inserted and is seen when its request commits, so one may be seen after a newer one; the mark
#: must never pass a decision still to be seen. A request that has not committed within this
#: time has long been stopped by the server's timeout (and its transaction rolled back), and
#: app hosts' clocks agree far better than this.
SETTLE = dt.timedelta(minutes=5)
NONE = ""

Session_ = Session | scoped_session[Any]

#: The version whose answers the statistics show; see answer_dimension for the others'.
SHOWN_VERSION = VERSION
#: The version every decision stored before versions were recorded was made in.
FIRST_VERSION = 2


def answer_dimension(key: str, version: int = SHOWN_VERSION) -> str:
    """The tally dimension of one answer key of one contract version (FIRST_VERSION's answers
    are no longer counted: their tallies from before stay as they were, under their old name)."""
    return f"answer:{key}" if version == FIRST_VERSION else f"answer:v{version}:{key}"


def answered_dimension(version: int = SHOWN_VERSION) -> str:
    """The tally dimension whose values are the multi-valued answer keys: decisions of that
    version that gave the key one value or more. (Those that gave a single-valued key are the
    sum of its values' tallies.)"""
    return f"answered:v{version}"


#: The tally dimension whose values are contract versions after the first: decisions made in
#: each. (A decision without one was made in FIRST_VERSION: every decision counted before
#: versions were recorded was.)
VERSIONS = "version"

_MONTH = {
    "sqlite": "substr(d.created_at, 1, 7)",
    "postgresql": "to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM')",
}
_COUNTED = "d.id > :after AND d.id <= :upto"
#: The rows of answers of the decisions counted, but FIRST_VERSION's: one per value given, a
#: list-valued answer giving a row for each of its values (answer_dimension), and one per list
#: that holds a value or more (answered_dimension).
_ANSWERS = {
    # One walk of each decision's JSON: a value is a leaf (an atom) of the object or of one of
    # its lists (whose path, '$.needs' or '$."team_skills"', names the key); a list is a node
    # of the object itself.
    "sqlite": """
    SELECT {month},
        CASE WHEN t.atom IS NULL THEN 'answered:v' || d.version
        ELSE 'answer:v' || d.version || ':'
            || CASE t.path WHEN '$' THEN t.key ELSE trim(substr(t.path, 3), '"') END
        END,
        CASE WHEN t.atom IS NULL THEN t.key ELSE t.atom END
    FROM decision AS d, json_tree(d.answers) AS t
    WHERE {counted} AND d.version <> {first_version}
        AND (t.atom IS NOT NULL OR (t.type = 'array' AND t.path = '$' AND t.value <> '[]'))
    """,
    "postgresql": """
    SELECT {month}, 'answer:v' || cast(d.version AS text) || ':' || a.key, v.value
    FROM decision AS d, json_each(d.answers) AS a, json_array_elements_text(
        CASE json_typeof(a.value) WHEN 'array' THEN a.value ELSE json_build_array(a.value) END
    ) AS v
    WHERE {counted} AND d.version <> {first_version} AND v.value IS NOT NULL
    UNION ALL
    SELECT {month}, 'answered:v' || cast(d.version AS text), a.key
    FROM decision AS d, json_each(d.answers) AS a
    WHERE {counted} AND d.version <> {first_version}
        AND CASE json_typeof(a.value) WHEN 'array' THEN json_array_length(a.value) > 0 END
    """,
}
_COUNT = """
INSERT INTO decision_tally (month, dimension, value, count)
SELECT month, dimension, value, count(*) FROM (
    SELECT {month} AS month, 'total' AS dimension, '' AS value
    FROM decision AS d WHERE {counted}
    UNION ALL
    SELECT {month}, '{versions}', cast(d.version AS text)
    FROM decision AS d WHERE {counted} AND d.version <> {first_version}
    UNION ALL
    SELECT {month}, 'first', d.framework
    FROM decision AS d WHERE {counted}
    UNION ALL
    SELECT {month}, 'runner_up', coalesce(d.runner_up, '')
    FROM decision AS d WHERE {counted}
    UNION ALL
    {answers}
) AS counted
-- SQLite reads the ON of an upsert after a bare SELECT as a join's; a WHERE settles it.
WHERE true
GROUP BY month, dimension, value
ON CONFLICT (month, dimension, value) DO UPDATE SET count = decision_tally.count + excluded.count
"""


def _counting(dialect: str) -> TextClause:
    names = {
        "month": _MONTH[dialect],
        "counted": _COUNTED,
        "versions": VERSIONS,
        "first_version": int(FIRST_VERSION),
    }
    return text(_COUNT.format(answers=_ANSWERS[dialect].format(**names), **names))


def refresh(
    session: Session_, now: dt.datetime, every: dt.timedelta, chunks: int | None = None
) -> None:
    """Count the decisions stored since the mark into the tallies, at most `chunks` chunks of
    about CHUNK (None: all), unless that was done less than `every` ago or no step may be
    taken yet (see _step). Workers refreshing at once cannot count a decision
    twice: each moves the mark only from the value it read, and the one that finds it moved
    gives way."""
    counting = _counting(session.get_bind().dialect.name)
    while True:
        mark = session.execute(select(TallyMark.last_decision, TallyMark.refreshed_at)).one()
        after = mark.last_decision
        if every and mark.refreshed_at and _aware(mark.refreshed_at) > now - every:
            session.rollback()
            return
        step = _step(session, after, now - SETTLE)
        session.rollback()
        if step is None:
            return
        upto, more = step
        if not _count(session, counting, after, upto, now) or not more:
            return
        if chunks is not None:
            chunks -= 1
            if not chunks:
                return
        every = dt.timedelta(0)


def _count(
    session: Session_, counting: TextClause, after: int, upto: int, now: dt.datetime
) -> bool:
    """Count the decisions after `after` up to `upto` into the tallies and move the mark, in
    one transaction; False when another worker moved the mark first or holds the lock."""
    try:
        # Written first, so that on SQLite this transaction holds the write lock before it
        # reads anything, and on PostgreSQL a second refresh waits for this one's commit.
        # The step was chosen from settled decisions only, which no commit can add to.
        moved = session.execute(
            update(TallyMark)
            .where(TallyMark.id == 1, TallyMark.last_decision == after)
            .values(last_decision=upto, refreshed_at=now)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            session.rollback()
            return False
        if session.get_bind().dialect.name == "postgresql":
            # The planner guesses a hundred rows from each JSON function, so ten thousand
            # per decision, and would compile the counting (JIT) for a cost it never
            # meets: tens of milliseconds of every refresh.
            session.execute(text("SET LOCAL jit = off"))
        session.execute(counting, {"after": after, "upto": upto})
        session.commit()
    except OperationalError:
        # Another worker holds the write lock: the tallies as they stand will do.
        session.rollback()
        return False
    return True


def _step(session: Session_, after: int, settled_before: dt.datetime) -> tuple[int, bool] | None:
    """The last decision the next refresh counts, and whether more may be waiting past it; or
    None when no step may be taken yet.

    A step is the decisions after the mark, settled, in id order, at most CHUNK of them (one
    more chunk only to reach a batch, below); it holds at least BATCH decisions, and either
    none of SHOWN_VERSION or at least BATCH of them. So where a few of that version come
    among older ones (the release that brings a version in, or a rolling restart), the older
    ones before them are counted alone if they are a batch, and the few wait for a batch of
    their own."""
    settled = select(Decision.id, Decision.version).where(
        Decision.id > after, Decision.created_at < settled_before
    )
    # In id order, so that PostgreSQL walks the primary key from the mark, not the table.
    first_batch = settled.order_by(Decision.id).limit(BATCH).subquery()
    if (session.scalar(select(func.count()).select_from(first_batch)) or 0) < BATCH:
        return None
    ready = settled.order_by(Decision.id).limit(CHUNK).subquery()
    shown = ready.c.version == SHOWN_VERSION
    size, of_shown, first_shown, last = session.execute(
        select(
            func.count(),
            func.count(case((shown, 1))),
            func.min(case((shown, ready.c.id))),
            func.max(ready.c.id),
        )
    ).one()
    full = size >= CHUNK
    if not of_shown or of_shown >= BATCH:
        return last, full
    before, before_last = session.execute(
        select(func.count(), func.max(ready.c.id)).where(ready.c.id < first_shown)
    ).one()
    if before >= BATCH:
        return before_last, True
    if not full:
        return None
    # A whole chunk with only a few of the version, early: reach on to a batch of them.
    batch_end = session.scalar(
        settled.with_only_columns(Decision.id)
        .where(Decision.version == SHOWN_VERSION)
        .order_by(Decision.id)
        .offset(BATCH - 1)
        .limit(1)
    )
    return None if batch_end is None else (batch_end, True)


def counted(session: Session_) -> int:
    """How many decisions the tallies hold."""
    total = select(func.coalesce(func.sum(DecisionTally.count), 0)).where(
        DecisionTally.dimension == "total"
    )
    return session.scalar(total) or 0


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def rounded(count: int) -> int:
    return (count + ROUNDING // 2) // ROUNDING * ROUNDING


@dataclass(frozen=True)
class Cell:
    """One figure as it may be shown: rounded, or withheld when under the threshold. The exact
    count stays here; only `shown`, `withheld`, `text` and `share` leave."""

    count: int

    @property
    def shown(self) -> int | None:
        return None if self.count < THRESHOLD else rounded(self.count)

    @property
    def withheld(self) -> str | None:
        return FEWER if self.count < THRESHOLD else None

    def text(self) -> str:
        return self.withheld or f"{rounded(self.count):,}"

    def share(self, whole: Cell) -> float | None:
        """This figure as a fraction of a whole, from the rounded figures, when both are shown."""
        part, of = self.shown, whole.shown
        return None if part is None or not of else part / of


@dataclass
class Statistics:
    """Every figure /stats, its API and its downloads show."""

    #: Every decision, whatever the version of its answers.
    total: Cell
    #: framework slug -> decisions that ranked it first; likewise second ("" for none).
    first: dict[str, Cell]
    runner_up: dict[str, Cell]
    #: The decisions made with the current questions (SHOWN_VERSION): the whole of `answers`.
    answered: Cell
    #: answer key -> value -> decisions of the current version that gave it ("" for those that
    #: gave none; none for a required key). A decision counts once for each value of a
    #: multi-valued answer, so a key's figures may add up to more than `answered`.
    answers: dict[str, dict[str, Cell]]
    #: "YYYY-MM" -> (decisions that month, framework slug -> those that ranked it first).
    months: dict[str, tuple[Cell, dict[str, Cell]]]
    refreshed_at: dt.datetime


def statistics(
    session: Session_, frameworks: Sequence[str], questions: dict[str, Sequence[str]]
) -> Statistics:
    """The tallies as aggregates over the given frameworks (page order) and the current
    version's questions (key -> values)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    by_month: dict[tuple[str, str, str], int] = defaultdict(int)
    for month, dimension, value, count in session.execute(
        select(
            DecisionTally.month, DecisionTally.dimension, DecisionTally.value, DecisionTally.count
        )
    ):
        counts[dimension, value] += count
        if dimension in ("total", "first"):
            by_month[month, dimension, value] += count
    refreshed_at = _aware(session.scalar(select(TallyMark.refreshed_at)) or dt.datetime.now(dt.UTC))
    session.rollback()
    total = Cell(counts["total", NONE])
    first = {slug: Cell(counts["first", slug]) for slug in frameworks}
    runner_up = {slug: Cell(counts["runner_up", slug]) for slug in [*frameworks, NONE]}
    answered = Cell(counts[VERSIONS, str(SHOWN_VERSION)])
    answers = {key: _answer(counts, key, values, answered) for key, values in questions.items()}
    months = {
        month: (
            Cell(by_month[month, "total", NONE]),
            {slug: Cell(by_month[month, "first", slug]) for slug in frameworks},
        )
        for month in sorted({month for month, _, _ in by_month})
    }
    return Statistics(total, first, runner_up, answered, answers, months, refreshed_at)


def _answer(
    counts: dict[tuple[str, str], int], key: str, values: Sequence[str], answered: Cell
) -> dict[str, Cell]:
    """How many decisions gave each value of a question; for an optional one, how many gave
    none (NONE), of those made with the current questions."""
    given = {value: Cell(counts[answer_dimension(key), value]) for value in values}
    if key in REQUIRED:
        return given
    gave = (
        counts[answered_dimension(), key]
        if key in MULTI
        else sum(cell.count for cell in given.values())
    )
    return {**given, NONE: Cell(answered.count - gave)}


#: Statistics are brought up to date at most this often, and a page showing them kept as long.
PERIOD_SECONDS = 60


def clock() -> dt.datetime:
    """Now, in UTC; tests move it to see a refresh come due."""
    return dt.datetime.now(dt.UTC)


def read() -> Statistics:
    """The tallies brought up to date (at most once a period), as they may be shown."""
    # One chunk at most: a reader never waits for a backlog, which `flask stats refresh` (the
    # release step) counts whole.
    refresh(db.session, clock(), dt.timedelta(seconds=PERIOD_SECONDS), chunks=1)
    return statistics(
        db.session, list(FRAMEWORKS), {key: list(values) for key, values in ANSWERS.items()}
    )
