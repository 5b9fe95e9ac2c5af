"""Decision statistics: a rollup of the stored decisions, and the aggregates /stats shows.

A form POST stays one INSERT. The tallies (decisions per month and per first choice, runner-up,
and answer) are brought up to date when the statistics are read, at most once a minute, from
the decisions stored since the last mark; so a page over a million decisions reads a few
hundred tally rows instead of grouping the million.

Only anonymous aggregates leave this module, and no count under THRESHOLD: such a cell reads
"fewer than 10". Where a total and all but one of its parts would give that count away by
subtraction, one more part is withheld too (see protect).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, scoped_session

from selector.models import Decision, DecisionTally, TallyMark

#: The smallest count shown as a number.
THRESHOLD = 10
FEWER = f"fewer than {THRESHOLD}"
#: A part withheld so that a small count cannot be worked out from a total.
WITHHELD = "withheld"
#: Decisions counted per transaction while catching up, so that no refresh holds the
#: database's write lock for long.
CHUNK = 50_000
#: Decisions younger than this wait for the next refresh: one whose id was taken just before
#: a newer one's may commit just after it, and must not be passed over.
SETTLE = dt.timedelta(seconds=2)
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
WHERE true
GROUP BY month, dimension, value
ON CONFLICT (month, dimension, value) DO UPDATE SET count = decision_tally.count + excluded.count
"""


def refresh(session: Session_, now: dt.datetime, every: dt.timedelta) -> None:
    """Count the decisions stored since the mark into the tallies, unless that was done less
    than `every` ago. Workers refreshing at once cannot count a decision twice: each moves
    the mark only from the value it read, and the one that finds it moved gives way."""
    dialect = session.get_bind().dialect.name
    counting = text(_COUNT.format(month=_MONTH[dialect], each=_EACH_ANSWER[dialect]))
    while True:
        mark = session.execute(select(TallyMark.last_decision, TallyMark.refreshed_at)).one()
        session.rollback()
        if every and mark.refreshed_at and _aware(mark.refreshed_at) > now - every:
            return
        after = mark.last_decision
        ready = (
            select(Decision.id)
            .where(Decision.id > after, Decision.created_at < now - SETTLE)
            .order_by(Decision.id)
            .limit(CHUNK)
            .subquery()
        )
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
            if counted_to != after:
                session.execute(counting, {"after": after, "upto": counted_to})
            session.commit()
        except OperationalError:
            # Another worker holds the write lock: the tallies as they stand will do.
            session.rollback()
            return
        if counted_to is None or counted_to - after < CHUNK:
            return
        every = dt.timedelta(0)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@dataclass(eq=False)
class Cell:
    """One figure: a count of decisions, shown or withheld."""

    count: int
    withheld: str | None = None

    @property
    def shown(self) -> int | None:
        return None if self.withheld else self.count

    def text(self) -> str:
        return self.withheld or f"{self.count:,}"

    def share(self, whole: Cell) -> float | None:
        """This count as a fraction of a whole, when both are shown."""
        if self.withheld or whole.withheld or not whole.count:
            return None
        return self.count / whole.count


@dataclass(frozen=True)
class Line:
    """Parts that add up to a whole, both shown on the page."""

    parts: Sequence[Cell]
    whole: Cell


def protect(cells: Iterable[Cell], lines: Sequence[Line]) -> None:
    """Withhold every count under THRESHOLD; then, while some whole and its parts leave exactly
    one figure unknown (which subtraction would give), withhold the smallest shown part too."""
    for cell in cells:
        if cell.count < THRESHOLD:
            cell.withheld = FEWER
    changed = True
    while changed:
        changed = False
        for line in lines:
            figures = [*line.parts, line.whole]
            if sum(1 for cell in figures if cell.withheld) != 1:
                continue
            shown = [cell for cell in line.parts if not cell.withheld]
            if shown:
                min(shown, key=lambda cell: cell.count).withheld = WITHHELD
                changed = True


@dataclass
class Statistics:
    """Every figure /stats, its API and its downloads show, already protected."""

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
    values), with every small count withheld."""
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
        unanswered = total.count - sum(cell.count for cell in given.values())
        answers[key] = {**given, NONE: Cell(unanswered)} if unanswered else given
    months = {
        month: (
            Cell(by_month[month, "total", NONE]),
            {slug: Cell(by_month[month, "first", slug]) for slug in frameworks},
        )
        for month in sorted({month for month, _, _ in by_month})
    }
    lines = [
        Line(list(first.values()), total),
        Line(list(runner_up.values()), total),
        *(Line(list(cells.values()), total) for cells in answers.values()),
        *(Line(list(cells.values()), whole) for whole, cells in months.values()),
        Line([whole for whole, _ in months.values()], total),
        *(Line([cells[slug] for _, cells in months.values()], first[slug]) for slug in frameworks),
    ]
    everything = [
        total,
        *first.values(),
        *runner_up.values(),
        *(cell for cells in answers.values() for cell in cells.values()),
        *(cell for whole, cells in months.values() for cell in [whole, *cells.values()]),
    ]
    protect(everything, lines)
    return Statistics(total, first, runner_up, answers, months, refreshed_at)
