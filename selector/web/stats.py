"""Blueprint: /stats, what other teams answered and were advised, as charts with their tables,
and each table as CSV. The figures come from tally.py, already stripped of small counts.

Every decision counts in the first choices, the runner-ups and the months; the answers' charts
are the current questions' (needs, starting points, clients...) and count only the decisions
made with them, as the page says."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from babel.dates import format_skeleton
from flask import Blueprint, Response, abort, render_template
from flask_babel import lazy_gettext as _l

from selector import language
from selector.content.snapshot import content
from selector.decisions import tally
from selector.decisions.tally import Cell, Statistics
from selector.edge.page_cache import cached_page
from selector.engine.answers import MULTI
from selector.language import gettext as _
from selector.web.charts import BarChart, bar_chart

bp = Blueprint("stats", __name__, url_prefix="/stats")
#: The months the page charts; the tables' downloads hold every month.
MONTHS_SHOWN = 12
NO_RUNNER_UP = _l("No close second")
UNANSWERED = _l("Not answered")
#: A question that takes several answers, left with none ticked (no need, no skill).
NONE_TICKED = _l("None ticked")


def shown(cell: Cell) -> str:
    """A count as the page says it, in the page's language; the downloads and the API keep
    tally's own words for a withheld one."""
    if cell.withheld:
        return _("fewer than %(threshold)s", threshold=tally.THRESHOLD)
    return cell.text()


@dataclass(frozen=True)
class Figure:
    """A row of a table and the bar drawn for it."""

    label: str
    cell: Cell
    share: float | None

    def text(self) -> str:
        if self.share is None:
            return shown(self.cell)
        share = f"{self.share:.0%}"
        return _("%(count)s (%(share)s)", count=shown(self.cell), share=share)


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    figures: list[Figure]

    @property
    def chart(self) -> BarChart:
        rows = [(f.label, f.cell.shown or 0, f.text()) for f in self.figures]
        return bar_chart(self.title, rows)


def _figures(cells: dict[str, Cell], whole: Cell, labels: dict[str, str]) -> list[Figure]:
    return [Figure(str(labels[key]), cell, cell.share(whole)) for key, cell in cells.items()]


def tables(stats: Statistics) -> dict[str, list[Table]]:
    """The page's tables in page order, each drawn as a chart too."""
    loaded = content()
    names = {f.slug: f.name for f in loaded.frameworks}
    firsts = [Table("first", _("First choice"), _figures(stats.first, stats.total, names))]
    runner_up_names = {**names, tally.NONE: NO_RUNNER_UP}
    seconds = [
        Table("runner-up", _("Runner-up"), _figures(stats.runner_up, stats.total, runner_up_names))
    ]
    # The current questions' answers, of the decisions made with them.
    answers = [
        Table(
            f"answer-{q.key}",
            q.short,
            _figures(
                stats.answers[q.key],
                stats.answered,
                {
                    tally.NONE: NONE_TICKED if q.key in MULTI else UNANSWERED,
                    **{c["value"]: q.brief(c["value"]) for c in q.choices},
                },
            ),
        )
        for q in loaded.questions
    ]
    months = [
        Table(
            f"month-{slug}",
            _("%(name)s first: share of the decisions of each month", name=name),
            [
                Figure(_month(month), cells[slug], cells[slug].share(whole))
                for month, (whole, cells) in recent(stats)
            ],
        )
        for slug, name in names.items()
    ]
    return {"first": firsts, "runner-up": seconds, "answers": answers, "months": months}


def recent(stats: Statistics) -> list[tuple[str, tuple[Cell, dict[str, Cell]]]]:
    """The months the page shows, oldest first."""
    return list(stats.months.items())[-MONTHS_SHOWN:]


def _month(month: str) -> str:
    """A month as the page's language writes it: November 2026, 2026年11月."""
    return format_skeleton("yMMMM", dt.date.fromisoformat(f"{month}-01"), locale=language.current())


@bp.get("")
@cached_page(period=tally.PERIOD_SECONDS)
def index() -> str:
    stats = tally.read()
    return render_template(
        "stats/index.html",
        stats=stats,
        tables=tables(stats),
        recent=recent(stats),
        names={f.slug: f.name for f in content().frameworks},
        month_name=_month,
        threshold=tally.THRESHOLD,
        rounding=tally.ROUNDING,
        settle=int(tally.SETTLE.total_seconds() // 60),
        downloads={name: str(title) for name, title in DOWNLOADS.items()},
        shown=shown,
    )


#: Each download: its file name and what it holds.
DOWNLOADS = {
    "first-choice": _l("First choice and runner-up"),
    "answers": _l("Answers to each question"),
    "months": _l("Decisions and first choices by month"),
}


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _share(share: float | None) -> str:
    return "" if share is None else f"{share:.3f}"


def csv_rows(name: str, stats: Statistics) -> list[list[str]]:
    """One download: the same figures as the page's table, every month included."""
    if name == "first-choice":
        return _first_choice_rows(stats)
    if name == "answers":
        return _answer_rows(stats)
    slugs = [f.slug for f in content().frameworks]
    rows = [["month", "decisions", *(f"{slug} first" for slug in slugs)]]
    rows += [
        [month, whole.text(), *(cells[slug].text() for slug in slugs)]
        for month, (whole, cells) in stats.months.items()
    ]
    return rows


def _first_choice_rows(stats: Statistics) -> list[list[str]]:
    rows = [["place", "framework", "decisions", "share"]]
    for place, cells in (("first", stats.first), ("runner-up", stats.runner_up)):
        rows += [
            [place, slug or "none", cell.text(), _share(cell.share(stats.total))]
            for slug, cell in cells.items()
        ]
    return rows


def _answer_rows(stats: Statistics) -> list[list[str]]:
    """The current questions' answers; each share is of the decisions made with them."""
    rows = [["question", "answer", "decisions", "share"]]
    for q in content().questions:
        rows += [
            [q.key, value or "unanswered", cell.text(), _share(cell.share(stats.answered))]
            for value, cell in stats.answers[q.key].items()
        ]
    return rows


@bp.get("/<name>.csv")
@cached_page(period=tally.PERIOD_SECONDS, offers=False)
def download(name: str) -> Response:
    if name not in DOWNLOADS:
        abort(404)
    return Response(
        _csv(csv_rows(name, tally.read())),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="selector-{name}.csv"'},
    )
