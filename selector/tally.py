"""Decision statistics: a rollup of the stored decisions, and the aggregates /stats shows.

A form POST stays one INSERT. The tallies (decisions per month and per first choice, runner-up,
and answer) are brought up to date when the statistics are read, at most once a minute, from
the decisions stored since the last mark; so a page over a million decisions reads a few
hundred tally rows instead of grouping the million.

Only anonymous aggregates leave this module, and never an exact count:
- a count under THRESHOLD reads "fewer than 10";
- every other count is rounded to the nearest ROUNDING, and every share is worked out from
  rounded counts, so that subtracting figures from a total, across tables too, gives a range
  rather than a small count;
- the tallies move only in steps of at least BATCH decisions, so that comparing the figures
  before and after a refresh never isolates one decision's answers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, scoped_session

from selector.answers import REQUIRED
from selector.models import Decision, DecisionTally, TallyMark

#: The smallest count shown as a number.
THRESHOLD = 10
FEWER = f"fewer than {THRESHOLD}"
#: Counts are shown to the nearest ten (halves up).
ROUNDING = 10
#: The fewest decisions one refresh adds to the tallies.
BATCH = THRESHOLD
#: Decisions counted per transaction while catching up, so that no refresh holds the
#: database's write lock for long.
CHUNK = 50_000
#: Decisions younger than this wait for a later refresh. A decision takes its id when it is
#: inserted and is seen when its request commits, so one may be seen after a newer one; the mark
#: must never pass a decision still to be seen. A request that has not committed within this
#: time has long been stopped by the server's timeout (and its transaction rolled back), and
#: app hosts' clocks agree far better than this.
SETTLE = dt.timedelta(minutes=5)
NONE = ""

Session_ = Session | scoped_session[Any]

_MONTH = {
    "sqlite": "substr(d.created_at, 1, 7)",
    "postgresql": "to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM')",
}
_EACH_ANSWER = {"sqlite": "json_each(d.answers)", "postgresql": "json_each_text(d.answers)"}
_COUNT = """
INSERT INTO decision_tally (month, dimension, value, count)
SELECT month, dimension, value, count(*) FROM (
    SELECT {month} AS month, 'total' AS dimension, '' AS value
    FROM decision AS d WHERE d.id > :after AND d.id <= :upto
    UNION ALL
    SELECT {month}, 'first', d.framework
    FROM decision AS d WHERE d.id > :after AND d.id <= :upto
    UNION ALL
    SELECT {month}, 'runner_up', coalesce(d.runner_up, '')
    FROM decision AS d WHERE d.id > :after AND d.id <= :upto
    UNION ALL
    SELECT {month}, 'answer:' || a.key, a.value
    FROM decision AS d, {each} AS a WHERE d.id > :after AND d.id <= :upto
) AS counted
-- SQLite reads the ON of an upsert after a bare SELECT as a join's; a WHERE settles it.
WHERE true
GROUP BY month, dimension, value
ON CONFLICT (month, dimension, value) DO UPDATE SET count = decision_tally.count + excluded.count
"""


def refresh(
    session: Session_, now: dt.datetime, every: dt.timedelta, chunks: int | None = None
) -> None:
    """Count the decisions stored since the mark into the tallies, at most `chunks` chunks of
    CHUNK (None: all), unless that was done less than `every` ago or fewer than BATCH are
    waiting. Workers refreshing at once cannot count a decision
    twice: each moves the mark only from the value it read, and the one that finds it moved
    gives way."""
    dialect = session.get_bind().dialect.name
    counting = text(_COUNT.format(month=_MONTH[dialect], each=_EACH_ANSWER[dialect]))
    while True:
        mark = session.execute(select(TallyMark.last_decision, TallyMark.refreshed_at)).one()
        after = mark.last_decision
        settled = select(Decision.id).where(Decision.id > after, Decision.created_at < now - SETTLE)
        ready = settled.order_by(Decision.id).limit(CHUNK).subquery()
        if every and mark.refreshed_at and _aware(mark.refreshed_at) > now - every:
            session.rollback()
            return
        # In id order, so that PostgreSQL walks the primary key from the mark, not the table.
        first_batch = settled.order_by(Decision.id).limit(BATCH).subquery()
        waiting = session.scalar(select(func.count()).select_from(first_batch))
        session.rollback()
        if waiting is None or waiting < BATCH:
            return
        upto = select(func.coalesce(func.max(ready.c.id), after)).scalar_subquery()
        try:
            # Written first, so that on SQLite this transaction holds the write lock before it
            # reads anything, and on PostgreSQL a second refresh waits for this one's commit.
            moved = session.execute(
                update(TallyMark)
                .where(TallyMark.id == 1, TallyMark.last_decision == after)
                .values(last_decision=upto, refreshed_at=now)
            )
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                session.rollback()
                return
            counted_to = session.scalar(select(TallyMark.last_decision))
            session.execute(counting, {"after": after, "upto": counted_to})
            session.commit()
        except OperationalError:
            # Another worker holds the write lock: the tallies as they stand will do.
            session.rollback()
            return
        if counted_to is None or counted_to - after < CHUNK:
            return
        if chunks is not None:
            chunks -= 1
            if not chunks:
                return
        every = dt.timedelta(0)


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

    total: Cell
    #: framework slug -> decisions that ranked it first; likewise second ("" for none).
    first: dict[str, Cell]
    runner_up: dict[str, Cell]
    #: answer key -> value -> decisions that gave it ("" for those that left it unanswered).
    answers: dict[str, dict[str, Cell]]
    #: "YYYY-MM" -> (decisions that month, framework slug -> those that ranked it first).
    months: dict[str, tuple[Cell, dict[str, Cell]]]
    refreshed_at: dt.datetime


def statistics(
    session: Session_, frameworks: Sequence[str], questions: dict[str, Sequence[str]]
) -> Statistics:
    """The tallies as aggregates over the given frameworks (page order) and questions (key ->
    values)."""
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
    answers: dict[str, dict[str, Cell]] = {}
    for key, values in questions.items():
        given = {value: Cell(counts[f"answer:{key}", value]) for value in values}
        if key in REQUIRED:
            answers[key] = given
        else:
            unanswered = total.count - sum(cell.count for cell in given.values())
            answers[key] = {**given, NONE: Cell(unanswered)}
    months = {
        month: (
            Cell(by_month[month, "total", NONE]),
            {slug: Cell(by_month[month, "first", slug]) for slug in frameworks},
        )
        for month in sorted({month for month, _, _ in by_month})
    }
    return Statistics(total, first, runner_up, answers, months, refreshed_at)
