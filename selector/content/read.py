"""Content files -> marshmallow schemas -> validated content, or every problem found.

Each kind of file is read and validated on its own, then the checks across files run
(check.py), then the other editions are read (read_edition.py); every problem is collected,
with the file and field it concerns, before anything is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

from selector.content.check import check
from selector.content.editions import EDITIONS
from selector.content.markup import render_markdown
from selector.content.paths import DEFAULT_DIR, Files, digest
from selector.content.read_edition import read_edition
from selector.content.read_samples import read_samples
from selector.content.reader import ContentError, Problem, Reader
from selector.content.records import (
    Aspect,
    Chart,
    Content,
    Fact,
    Framework,
    Question,
    Scenario,
    Section,
    framework_slugs,
)
from selector.content.schemas import (
    AspectSchema,
    BenchmarkSchema,
    FactSchema,
    FrameworkSchema,
    QuestionSchema,
    ScenarioSchema,
    SectionSchema,
)
from selector.engine.recommend import rule_keys

__all__ = ["DEFAULT_DIR", "ContentError", "read_content"]


def read_content(root: Path = DEFAULT_DIR) -> Content:
    """Read and validate every content file under root, or raise ContentError."""
    files = Files(root)
    missing = [path for path in files.all() if not path.is_file()]
    if missing or not files.frameworks:
        raise ContentError([Problem(str(path), "(file)", "missing") for path in missing or [root]])
    reader = Reader(root)
    content = Content(digest=digest(root))
    _read_files(reader, files, content)
    check(reader, content)
    if not reader.problems:
        content.editions = {lang: read_edition(reader, content, lang) for lang in EDITIONS}
    if reader.problems:
        raise ContentError(reader.problems)
    return content


def _read_files(reader: Reader, files: Files, content: Content) -> None:
    """Each kind of file on its own; the facts first, since every other text may cite them."""
    frameworks = _read_frameworks(reader, files.frameworks)
    content.facts = _read_facts(reader, files.facts)
    reader.facts = {
        **{fact.id: fact.text for fact in content.facts},
        **_framework_facts(frameworks),
    }
    content.frameworks = [_cited_framework(reader, record) for record in frameworks]
    content.aspects = _read_aspects(reader, files.aspects)
    content.sections = _read_sections(reader, files.sections, content.facts)
    content.scenarios = _read_scenarios(reader, files.scenarios)
    content.questions = _read_questions(reader, files.questions)
    content.pins, content.tasks = read_samples(reader, files)
    content.rules = _read_rules(reader, files.rules, framework_slugs(content))
    if files.benchmarks.is_file():
        content.benchmark = reader.validate(
            files.benchmarks, BenchmarkSchema(), reader.yaml(files.benchmarks)
        )


def _read_rules(reader: Reader, path: Path, frameworks: set[str]) -> dict[str, str]:
    """The words of every rule the engine may name, and of no other."""
    rules = reader.yaml(path)
    if not isinstance(rules, dict) or not all(isinstance(v, str) and v for v in rules.values()):
        reader.problem(path, "(file)", "must map each rule's key to its text")
        return {}
    keys = rule_keys(sorted(frameworks))
    for key in sorted(keys - set(rules)):
        reader.problem(path, key, "missing: the engine names this rule")
    for key in sorted(set(rules) - keys):
        reader.problem(path, key, "no rule of the engine has this key")
    resolved: dict[str, str] = reader.resolve(rules, path)
    return resolved


def _read_frameworks(reader: Reader, paths: list[Path]) -> list[Framework]:
    """The frameworks as their files give them, before any fact is cited: their versions are
    facts the other texts cite."""
    records = []
    for path in paths:
        record = reader.validate(path, FrameworkSchema(), reader.yaml(path))
        if record:
            records.append(replace(record, file=reader.name(path)))
    reader.unique(((r.slug, r.file) for r in records), "slug", "framework")
    return records


def _cited_framework(reader: Reader, record: Framework) -> Framework:
    cited: Framework = reader.resolve(record, reader.root / record.file)
    return replace(cited, summary_html=render_markdown(cited.summary)[0])


def _read_facts(reader: Reader, path: Path) -> list[Fact]:
    """Facts that age, each stated once, with its date and source; text cites them as {{id}}."""
    records: list[Fact] = reader.validate(path, FactSchema(), reader.yaml(path), many=True) or []
    reader.unique(((r.id, reader.name(path)) for r in records), "id", "fact")
    return records


def _framework_facts(frameworks: list[Framework]) -> dict[str, str]:
    """Each framework's version block, citable as {{flask.version}} or {{django.min_python}}."""
    facts = {}
    for record in frameworks:
        facts[f"{record.slug}.version"] = record.version.current
        facts[f"{record.slug}.min_python"] = record.version.min_python
    return facts


def _read_aspects(reader: Reader, path: Path) -> list[Aspect]:
    records = reader.validate(path, AspectSchema(), reader.yaml(path), many=True) or []
    records = [replace(reader.resolve(r, path), file=reader.name(path)) for r in records]
    reader.unique(((r.slug, r.file) for r in records), "slug", "aspect")
    return records


def _read_sections(reader: Reader, paths: list[Path], facts: list[Fact]) -> list[Section]:
    records = []
    by_id = {fact.id: fact for fact in facts}
    for path in paths:
        meta, body = reader.front_matter(path)
        record = reader.validate(path, SectionSchema(), meta)
        body = reader.resolve(body, path)
        if record:
            html, headings = render_markdown(body, f"{record.slug}-", label=record.title)
            charts = tuple(_charted(reader, path, chart, by_id) for chart in record.charts)
            records.append(
                replace(
                    record,
                    charts=charts,
                    body_html=html,
                    headings=tuple(headings),
                    file=reader.name(path),
                )
            )
    reader.unique(((r.slug, r.file) for r in records), "slug", "section")
    return records


#: The figure a fact states, for a chart to draw: its first number ("38%", "480 million").
FIGURE = re.compile(r"\d+(?:\.\d+)?")


def _charted(reader: Reader, path: Path, chart: Chart, facts: dict[str, Fact]) -> Chart:
    """A chart with each row's fact put in: the text shown, the figure drawn, when and where
    it was checked. A row that names no fact, or a fact that states no figure, is a problem."""
    rows = []
    for row in chart.rows:
        fact = facts.get(row.fact)
        figure = FIGURE.search(fact.text.replace(",", "")) if fact else None
        if fact is None or figure is None:
            why = "states no figure" if fact else "is not in facts.yaml"
            reader.problem(path, f"charts: {chart.title}", f"the fact {row.fact!r} {why}")
            continue
        rows.append(
            replace(
                row,
                value=float(figure.group()),
                text=fact.text,
                checked=fact.checked.isoformat(),
                source=fact.source,
            )
        )
    return replace(chart, rows=tuple(rows))


def _read_scenarios(reader: Reader, paths: list[Path]) -> list[Scenario]:
    records = []
    for path in paths:
        record = reader.validate(path, ScenarioSchema(), reader.yaml(path))
        if record:
            record = reader.resolve(record, path)
            why_html = render_markdown(record.why)[0]
            records.append(replace(record, why_html=why_html, file=reader.name(path)))
    reader.unique(((r.slug, r.file) for r in records), "slug", "scenario")
    reader.unique(
        [(alias, r.file) for r in records for alias in r.aliases]
        + [(r.slug, r.file) for r in records],
        "slug",
        "scenario slug or alias",
    )
    return records


def _read_questions(reader: Reader, path: Path) -> list[Question]:
    records: list[Question] = (
        reader.validate(path, QuestionSchema(), reader.yaml(path), many=True) or []
    )
    return [reader.resolve(record, path) for record in records]


def checked_dates(content: Content) -> list[tuple[str, dt.date]]:
    """Every checked-on date of the content, with where it is stated."""
    return [
        *((f"{r.file}: version.checked", r.version.checked) for r in content.frameworks),
        *((f"facts.yaml: {r.id}", r.checked) for r in content.facts),
        *((f"{r.file}: checked", r.checked) for r in content.sections if r.checked),
    ]
