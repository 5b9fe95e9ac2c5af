"""Blueprint: the home page, the comparison article, framework pages and the compare table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, render_template, request
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError

from selector.content.loaded import Aspect, Framework, SampleTask, Section
from selector.content.snapshot import content
from selector.edge.page_cache import WHOLE_QUERY, cached_page
from selector.engine.recommend import rule_keys
from selector.engine.rules import RULES, Rule
from selector.language import gettext as _
from selector.schemas import CompareQuery
from selector.web.charts import BarChart, bar_chart
from selector.web.urls import compare_url, section_url

bp = Blueprint("article", __name__)
COMPARE_QUERY = CompareQuery()


@dataclass(frozen=True)
class Cell:
    text: str
    checked: dt.date | None = None
    #: How the framework provides the row's capability (schemas.PROVISIONS), if it is one.
    provided: str | None = None
    #: The component that meets the row's need, where the row is one of the coverage table's.
    component: str | None = None


@dataclass(frozen=True)
class Row:
    name: str
    cells: list[Cell]

    @property
    def differs(self) -> bool:
        return len({cell.component or cell.text for cell in self.cells}) > 1


def comparison(frameworks: Sequence[Framework], aspects: Sequence[Aspect]) -> list[Row]:
    """The comparison table: one row per aspect, then the version rows taken from the frameworks."""
    rows = []
    for aspect in aspects:
        cells = {value.framework.slug: value for value in aspect.values}
        rows.append(
            Row(
                aspect.name,
                [
                    Cell(
                        cells[f.slug].text,
                        provided=cells[f.slug].provided,
                        component=cells[f.slug].component,
                    )
                    for f in frameworks
                ],
            )
        )
    rows.append(Row(_("Current version"), [Cell(f.version, f.version_checked) for f in frameworks]))
    rows.append(Row(_("Minimum Python"), [Cell(f.min_python) for f in frameworks]))
    return rows


@bp.get("/")
@cached_page()
def home() -> str:
    loaded = content()
    return render_template(
        "article/home.html",
        questions=[q for q in loaded.questions if q.required],
        frameworks=loaded.frameworks,
        scenarios=loaded.scenarios,
        **_rules(),
    )


def weight(points: float) -> str:
    """How much a rule moves a framework, in a word rather than a number: the numbers only
    order, and a reader must not take them for a measure."""
    size = abs(points)
    return ("strong" if size >= 3 else "clear" if size >= 1.5 else "slight") + (
        "-for" if points > 0 else "-against"
    )


@dataclass(frozen=True)
class PrintedRule:
    """A rule as the guide prints it: when it applies, and each framework it moves and how."""

    when: tuple[tuple[str, str], ...]
    key: str
    moves: list[tuple[str, str]]


def _printed(rule: Rule) -> PrintedRule:
    moves = sorted(rule.points.items(), key=lambda item: -item[1])
    return PrintedRule(rule.when, rule.key, [(slug, weight(points)) for slug, points in moves])


#: The rules as the pages print them; the table is fixed, so this is built once.
PRINTED_RULES = [_printed(rule) for rule in RULES]


def _by_family(frameworks: list[str]) -> dict[str, list[tuple[str, str]]]:
    """The rules about where the work starts and the runner-up, by family ("extend", "move",
    "stay"...): (framework, key) for each framework the family has words for."""
    families: dict[str, list[tuple[str, str]]] = {}
    keys = rule_keys(frameworks)
    for slug in frameworks:
        for family in ("extend", "extend-unfamiliar", "move", "stay", "no-second"):
            if f"{family}.{slug}" in keys:
                families.setdefault(family, []).append((slug, f"{family}.{slug}"))
    return families


def _rules() -> dict[str, object]:
    """The engine's own rules, coverage table and the words to show them in, for the pages that
    explain them."""
    loaded = content()
    return {
        "printed_rules": PRINTED_RULES,
        "families": _by_family([f.slug for f in loaded.frameworks]),
        "coverage_rows": [aspect for aspect in loaded.aspects if aspect.need],
        "by_key": loaded.question,
        "by_slug": loaded.framework,
    }


@dataclass(frozen=True)
class Measured:
    """One benchmarked task: its figures in page order, the chart drawn from them, and the
    series put in order by throughput and by p99 latency, best first."""

    title: str
    rows: list[dict[str, Any]]
    chart: BarChart
    #: Labels in order, each group the series too close to tell apart (their rounds overlap).
    by_throughput: list[list[str]]
    by_p99: list[list[str]]


def _what(task: SampleTask) -> str:
    """What a task's figures measured, for its chart's title: the request and its work."""
    return {
        "json-endpoint": _("GET /hello, a JSON object of a few dozen bytes"),
        "database-row": _("GET /items/1, one row read by its id from SQLite"),
    }.get(task.slug, task.title)


def _ranked(rows: list[dict[str, Any]], figure: str, most_first: bool) -> list[list[str]]:
    """The series' labels by the median of a figure, best first. A series whose rounds
    overlap those of the series before it in that order joins its group: the rounds moved
    each of them by more than their gap, so the run does not rank them."""
    ordered = sorted(rows, key=lambda r: r[figure], reverse=most_first)
    groups: list[list[str]] = []
    last: tuple[float, float] | None = None
    for r in ordered:
        each = [one[figure] for one in r["per_round"]]
        spread = (min(each), max(each))
        if last is not None and spread[0] <= last[1] and last[0] <= spread[1]:
            groups[-1].append(r["label"])
        else:
            groups.append([r["label"]])
        last = spread
    return groups


def _measured() -> list[Measured]:
    """The framework benchmark by task, each series labelled by framework and server."""
    loaded = content()
    if loaded.benchmark is None:
        return []
    measured = []
    for task in loaded.tasks:
        rows = [
            {
                **asdict(r),
                "label": f"{loaded.framework[r.framework].name} · {r.server.split()[0]}",
            }
            for r in loaded.benchmark.results
            if r.task == task.slug
        ]
        if not rows:
            continue
        chart = bar_chart(
            _("%(what)s: requests per second, longer is faster", what=_what(task)),
            [
                (r["label"], r["requests_per_second"], f"{r['requests_per_second']:,.0f}")
                for r in rows
            ],
        )
        measured.append(
            Measured(
                task.title,
                rows,
                chart,
                _ranked(rows, "requests_per_second", most_first=True),
                _ranked(rows, "p99_ms", most_first=False),
            )
        )
    return measured


@dataclass(frozen=True)
class PartChart:
    """A chart a guide part draws after its text: its rows (label, figure as the fact states it,
    when and where that was checked) for the table, and the bars drawn from the same figures."""

    title: str
    measure: str
    rows: list[dict[str, Any]]
    chart: BarChart


def _part_charts(sections: Sequence[Section]) -> dict[str, list[PartChart]]:
    """Each part's charts by its slug, each scaled to its own largest figure."""
    charts: dict[str, list[PartChart]] = {}
    for section in sections:
        for chart in section.charts:
            rows = [
                {**row, "checked": dt.date.fromisoformat(row["checked"])} for row in chart["rows"]
            ]
            bars = bar_chart(chart["title"], [(r["label"], r["value"], r["text"]) for r in rows])
            charts.setdefault(section.slug, []).append(
                PartChart(chart["title"], chart["measure"], rows, bars)
            )
    return charts


def _includes() -> dict[str, Any]:
    """What a guide part may include after its text, wherever the part is read."""
    loaded = content()
    return {
        "frameworks": loaded.framework,
        "rows": comparison(loaded.frameworks, loaded.aspects),
        "columns": loaded.frameworks,
        "scenarios": loaded.scenarios,
        "closing": sorted(
            (s for s in loaded.scenarios if s.closing_position is not None),
            key=lambda s: s.closing_position or 0,
        ),
        "benchmark": loaded.benchmark,
        "measured": _measured(),
        "part_charts": _part_charts(loaded.sections),
        **_rules(),
    }


@bp.get("/guide")
@cached_page()
def guide() -> str:
    return render_template("article/guide.html", sections=content().sections, **_includes())


@bp.get("/guide/<slug>")
@cached_page()
def part(slug: str) -> ResponseReturnValue:
    """A part read on a page of its own; a part that lives elsewhere redirects there."""
    section = content().section.get(slug) or abort(404)
    if not section.standalone:
        return redirect(section_url(section), 301)
    return render_template("article/part.html", section=section, **_includes())


#: The guide part that explains who keeps each framework and how it releases.
GOVERNANCE = "governance"


def governance_url(framework: Framework) -> str | None:
    """Where the guide explains who maintains the framework and how it releases: the heading of
    the governance part that names it, else the part itself."""
    part = content().section.get(GOVERNANCE)
    if part is None:
        return None
    heading = next((h for h in part.headings if framework.name in h["title"]), None)
    return section_url(part, heading["id"] if heading else "")


def fit_part(framework: Framework) -> Section | None:
    """The guide part that says when the framework is the right call, when it is not and what
    to choose then: one per framework, under the same headings, found by its slug."""
    return content().section.get(f"when-{framework.slug}")


@bp.get("/frameworks/<slug>")
@cached_page()
def framework(slug: str) -> str:
    loaded = content()
    chosen = loaded.framework.get(slug) or abort(404)
    return render_template(
        "article/framework.html",
        framework=chosen,
        governance=governance_url(chosen),
        fit=fit_part(chosen),
        section=next((s for s in loaded.sections if s.framework_slug == slug), None),
        frameworks=loaded.frameworks,
        scenarios=[s for s in loaded.scenarios if chosen in (s.first, s.runner_up)],
        samples=[
            (task, sample)
            for task in loaded.tasks
            for sample in task.samples
            if sample.framework.slug == slug
        ],
    )


@bp.get("/compare")
@cached_page(WHOLE_QUERY)
def compare() -> ResponseReturnValue:
    loaded = content()
    raw: dict[str, Any] = {"f": request.args.getlist("f")}
    if "diff" in request.args:
        raw["diff"] = request.args["diff"]
    try:
        query, errors = COMPARE_QUERY.load(raw), []
    except ValidationError as error:
        query = {"f": [], "diff": False, **cast(dict[str, Any], error.valid_data)}
        errors = [_("“Only where they differ” takes on or off; the full table is shown.")]
    chosen = [slug for slug in dict.fromkeys(query["f"]) if slug in loaded.framework]
    errors += [
        _("There is no framework called “%(slug)s”.", slug=slug)
        for slug in dict.fromkeys(query["f"])
        if slug not in loaded.framework
    ][:10]
    if len(chosen) == 1:
        errors.append(_("Choose at least two frameworks to compare."))
    # One page for one choice: frameworks in another order, twice, or diff spelled another way
    # answer 301 to it, so the page store holds a few dozen compare pages, not thousands.
    canonical = compare_url(*chosen, diff=query["diff"])
    if not errors and urlsplit(canonical).query != request.query_string.decode("latin-1"):
        return redirect(canonical, 301)
    columns = (
        [f for f in loaded.frameworks if f.slug in chosen] if len(chosen) > 1 else loaded.frameworks
    )
    rows = comparison(columns, loaded.aspects)
    if query["diff"]:
        rows = [row for row in rows if row.differs]
    return render_template(
        "article/compare.html",
        frameworks=loaded.frameworks,
        columns=columns,
        rows=rows,
        chosen=set(chosen),
        diff=query["diff"],
        errors=errors,
        tasks=loaded.tasks,
    ), 400 if errors else 200
