"""Blueprint: the home page, the comparison article, framework pages and the compare table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Blueprint, render_template, request
from marshmallow import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from selector.extensions import db
from selector.models import Aspect, Framework, Question, Scenario, Section
from selector.schemas import CompareQuery

bp = Blueprint("article", __name__)


@dataclass(frozen=True)
class Cell:
    text: str
    checked: dt.date | None = None


@dataclass(frozen=True)
class Row:
    name: str
    cells: list[Cell]

    @property
    def differs(self) -> bool:
        return len({cell.text for cell in self.cells}) > 1


def _frameworks() -> Sequence[Framework]:
    return db.session.scalars(select(Framework).order_by(Framework.position)).all()


def _aspects() -> Sequence[Aspect]:
    query = select(Aspect).options(selectinload(Aspect.values)).order_by(Aspect.position)
    return db.session.scalars(query).all()


def comparison(frameworks: Sequence[Framework], aspects: Sequence[Aspect]) -> list[Row]:
    """The comparison table: one row per aspect, then the version rows taken from the frameworks."""
    rows = []
    for aspect in aspects:
        texts = {value.framework_id: value.text for value in aspect.values}
        rows.append(Row(aspect.name, [Cell(texts.get(f.id, "")) for f in frameworks]))
    rows.append(Row("Current version", [Cell(f.version, f.version_checked) for f in frameworks]))
    rows.append(Row("Minimum Python", [Cell(f.min_python) for f in frameworks]))
    return rows


@bp.get("/")
def home() -> str:
    questions = db.session.scalars(
        select(Question).where(Question.required).order_by(Question.position)
    ).all()
    return render_template("article/home.html", questions=questions, frameworks=_frameworks())


@bp.get("/guide")
def guide() -> str:
    sections = db.session.scalars(select(Section).order_by(Section.position)).all()
    scenarios = db.session.scalars(
        select(Scenario)
        .options(joinedload(Scenario.first), joinedload(Scenario.runner_up))
        .order_by(Scenario.position)
    ).all()
    frameworks = _frameworks()
    return render_template(
        "article/guide.html",
        sections=sections,
        frameworks={f.slug: f for f in frameworks},
        rows=comparison(frameworks, _aspects()),
        columns=frameworks,
        scenarios=scenarios,
        closing=sorted(
            (s for s in scenarios if s.closing_position is not None),
            key=lambda s: s.closing_position or 0,
        ),
    )


@bp.get("/frameworks/<slug>")
def framework(slug: str) -> str:
    chosen = db.one_or_404(select(Framework).where(Framework.slug == slug))
    section = db.session.scalar(select(Section).where(Section.include == f"framework:{slug}"))
    scenarios = db.session.scalars(
        select(Scenario)
        .where(or_(Scenario.first_id == chosen.id, Scenario.runner_up_id == chosen.id))
        .order_by(Scenario.position)
    ).all()
    return render_template(
        "article/framework.html",
        framework=chosen,
        section=section,
        frameworks=_frameworks(),
        scenarios=scenarios,
    )


@bp.get("/compare")
def compare() -> tuple[str, int]:
    frameworks = _frameworks()
    known = {f.slug for f in frameworks}
    raw = {"f": request.args.getlist("f")}
    if "diff" in request.args:
        raw["diff"] = request.args["diff"]
    try:
        query, errors = CompareQuery().load(raw), []
    except ValidationError as error:
        query = {"f": [], "diff": False, **error.valid_data}
        errors = ["“Only where they differ” takes on or off; the full table is shown."]
    chosen = [slug for slug in dict.fromkeys(query["f"]) if slug in known]
    errors += [
        f"There is no framework called “{slug}”." for slug in query["f"] if slug not in known
    ]
    if len(chosen) == 1:
        errors.append("Choose at least two frameworks to compare.")
    columns = [f for f in frameworks if f.slug in chosen] if len(chosen) > 1 else list(frameworks)
    rows = comparison(columns, _aspects())
    if query["diff"]:
        rows = [row for row in rows if row.differs]
    return render_template(
        "article/compare.html",
        frameworks=frameworks,
        columns=columns,
        rows=rows,
        chosen=set(chosen),
        diff=query["diff"],
        errors=errors,
    ), 400 if errors else 200
