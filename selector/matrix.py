"""Blueprint: the scenario matrix and one permanent page per scenario."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, abort, redirect, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from selector.extensions import db
from selector.models import Framework, Question, Scenario, ScenarioAlias, Section
from selector.schemas import ScenarioFilter

bp = Blueprint("matrix", __name__, url_prefix="/scenarios")


def all_scenarios() -> Sequence[Scenario]:
    """Every scenario with its first choice and runner-up, in one query."""
    return (
        db.session.scalars(
            select(Scenario)
            .options(joinedload(Scenario.first), joinedload(Scenario.runner_up))
            .order_by(Scenario.position)
        )
        .unique()
        .all()
    )


@bp.get("")
def index() -> tuple[str, int]:
    frameworks = db.session.scalars(select(Framework).order_by(Framework.position)).all()
    scenarios = all_scenarios()
    errors = []
    try:
        first = ScenarioFilter().load(request.args.to_dict())["first"]
    except ValidationError:
        first = request.args["first"]  # the only field; reported below as unknown
    if first and first not in {f.slug for f in frameworks}:
        errors.append(f"There is no framework called “{first}”; all scenarios are shown.")
        first = None
    shown = [s for s in scenarios if first is None or s.first.slug == first]
    return render_template(
        "matrix/index.html",
        scenarios=shown,
        frameworks=frameworks,
        first=first,
        errors=errors,
    ), 400 if errors else 200


@bp.get("/<slug>")
def scenario(slug: str) -> str | Response:
    scenarios = {s.slug: s for s in all_scenarios()}
    if slug not in scenarios:
        alias = db.session.get(ScenarioAlias, slug)
        if alias is None:
            abort(404)
        target = next(s for s in scenarios.values() if s.id == alias.scenario_id)
        return redirect(url_for("matrix.scenario", slug=target.slug), 301)
    chosen = scenarios[slug]
    questions = db.session.scalars(select(Question).order_by(Question.position)).all()
    section = db.session.scalar(select(Section).where(Section.slug == chosen.section))
    return render_template(
        "matrix/scenario.html",
        scenario=chosen,
        related=[scenarios[s] for s in chosen.related if s in scenarios],
        questions=questions,
        section=section,
    )
