"""Blueprint: the scenario matrix and one permanent page per scenario."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from selector.content.snapshot import content
from selector.edge.page_cache import cached_page
from selector.language import gettext as _
from selector.schemas import ScenarioFilter

SCENARIO_FILTER = ScenarioFilter()
bp = Blueprint("matrix", __name__, url_prefix="/scenarios")


@bp.get("")
@cached_page("first")
def index() -> tuple[str, int]:
    loaded = content()
    errors = []
    try:
        first = SCENARIO_FILTER.load(request.args.to_dict())["first"]
    except ValidationError:
        # The only field: reported below as unknown, or empty, which is the form's "Any".
        first = request.args["first"] or None
    if first and first not in loaded.framework:
        errors.append(
            _("There is no framework called “%(slug)s”; all scenarios are shown.", slug=first)
        )
        first = None
    shown = [s for s in loaded.scenarios if first is None or s.first.slug == first]
    return render_template(
        "matrix/index.html",
        scenarios=shown,
        frameworks=loaded.frameworks,
        first=first,
        errors=errors,
    ), 400 if errors else 200


@bp.get("/<slug>")
@cached_page()
def scenario(slug: str) -> str | Response:
    loaded = content()
    if slug in loaded.aliases:
        return redirect(url_for("matrix.scenario", slug=loaded.aliases[slug]), 301)
    chosen = loaded.scenario.get(slug) or abort(404)
    return render_template(
        "matrix/scenario.html",
        scenario=chosen,
        related=[loaded.scenario[s] for s in chosen.related if s in loaded.scenario],
        questions=loaded.questions,
        section=loaded.section.get(chosen.section),
    )
