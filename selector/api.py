"""Blueprint: the JSON API and its OpenAPI document, generated from the marshmallow schemas."""

from __future__ import annotations

import json
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Response, current_app, jsonify, request
from flask_babel import force_locale
from marshmallow import ValidationError

from selector import language, stats, tally
from selector.explain import explain
from selector.extensions import csrf, limiter
from selector.page_cache import cached_page
from selector.recommend import recommend
from selector.schemas import (
    DecisionInput,
    ErrorSchema,
    RecommendationRequest,
    RecommendationSchema,
    StatsSchema,
)
from selector.snapshot import content
from selector.urls import permalink

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Schema instances keep no state between calls, and building one per request costs more.
REQUEST, RESPONSE, STATS = RecommendationRequest(), RecommendationSchema(), StatsSchema()
# Clients send JSON, not a browser form: there is no cookie for a forged request to ride on.
csrf.exempt(bp)


def _errors(status: int, errors: dict[str, Any]) -> tuple[Response, int]:
    return jsonify(errors=errors), status


def _per_key(messages: dict[str, Any]) -> dict[str, list[str]]:
    """Report errors inside "answers" per answer key, as the contract shows them."""
    errors = dict(messages)
    nested = errors.pop("answers", None)
    if isinstance(nested, dict):
        errors.update({key: value for key, value in nested.items() if key != "_schema"})
        nested = nested.get("_schema")
    if nested:
        errors["answers"] = nested
    if "_schema" in errors:
        errors["body"] = errors.pop("_schema")
    return errors


@bp.post("/recommendations")
@limiter.limit(lambda: current_app.config["POST_RATE_LIMIT"])
def recommendations() -> Response | tuple[Response, int]:
    if not request.is_json:
        return _errors(
            415, {"body": ["Send the answers as JSON (Content-Type: application/json)."]}
        )
    try:
        # Parsed here rather than by get_json(), which cannot tell a JSON null from no JSON.
        body = json.loads(request.get_data())
    except (ValueError, RecursionError):
        return _errors(400, {"body": ["The body is not valid JSON."]})
    try:
        asked = REQUEST.load(body)
    except ValidationError as error:
        return _errors(422, _per_key(error.messages))  # type: ignore[arg-type]
    answers, lang = asked["answers"], asked["lang"]
    # The words come from the edition asked for; the answers and the ranking are the same.
    with force_locale(lang):
        loaded = content(lang)
        result = explain(recommend(answers, loaded.model), loaded)
    return jsonify(
        RESPONSE.dump(
            {
                "framework": result.framework,
                "runner_up": result.runner_up,
                "runner_up_reason": result.runner_up_reason.text,
                "lang": lang,
                # The contract keeps a score, but only to order: the best gets the most points.
                "ranking": [
                    {"framework": place.framework, "score": float(len(result.ranking) - i)}
                    for i, place in enumerate(result.ranking)
                ],
                "reasons": [reason.text for reason in result.reasons],
                "tradeoffs": result.tradeoffs,
                "pivot": result.pivot,
                "permalink": language.in_edition(permalink(result.answers), lang),
            }
        )
    )


def _figure(value: str, cell: tally.Cell, whole: tally.Cell) -> dict[str, Any]:
    share = cell.share(whole)
    return {
        "value": value or None,
        "decisions": cell.shown,
        "share": None if share is None else round(share, 4),
        "withheld": cell.withheld,
    }


@bp.get("/stats")
@cached_page(period=stats.SECONDS, offers=False)
def stats_figures() -> Response:
    figures = stats.read()
    total = figures.total
    return jsonify(
        STATS.dump(
            {
                "threshold": tally.THRESHOLD,
                "rounded_to": tally.ROUNDING,
                "refreshed_at": figures.refreshed_at,
                "decisions": _figure("", total, total),
                "first_choice": [_figure(k, c, total) for k, c in figures.first.items()],
                "runner_up": [_figure(k, c, total) for k, c in figures.runner_up.items()],
                "answers": [
                    {"question": key, "figures": [_figure(v, c, total) for v, c in cells.items()]}
                    for key, cells in figures.answers.items()
                ],
                "months": [
                    {
                        "month": month,
                        "decisions": _figure("", whole, total),
                        "first_choice": [_figure(k, c, whole) for k, c in cells.items()],
                    }
                    for month, (whole, cells) in figures.months.items()
                ],
            }
        )
    )


def build_spec() -> dict[str, Any]:
    spec = APISpec(
        title="selector API",
        version="1",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={
            "description": "A ranked, explained web framework recommendation for a set of answers."
        },
    )
    spec.components.schema("DecisionInput", schema=DecisionInput)
    spec.components.schema("RecommendationRequest", schema=RecommendationRequest)
    spec.components.schema("Recommendation", schema=RecommendationSchema)
    spec.components.schema("Errors", schema=ErrorSchema)
    spec.components.schema("Stats", schema=StatsSchema)

    def error(description: str) -> dict[str, Any]:
        return {"description": description, "content": {"application/json": {"schema": "Errors"}}}

    spec.path(
        path="/api/v1/recommendations",
        operations={
            "post": {
                "summary": "Recommend a framework for a set of answers",
                "operationId": "recommend",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": "RecommendationRequest"}},
                },
                "responses": {
                    "200": {
                        "description": "The recommendation",
                        "content": {"application/json": {"schema": "Recommendation"}},
                    },
                    "400": error("The body is not JSON"),
                    "415": error("The body is not sent as application/json"),
                    "422": error("Unknown keys, unknown values or missing answers, per key"),
                },
            }
        },
    )
    spec.path(
        path="/api/v1/stats",
        operations={
            "get": {
                "summary": "What the decisions stored so far add up to",
                "description": "Anonymous counts, rounded, refreshed at most once a minute. A "
                "count under the threshold is null, with `withheld` saying why.",
                "operationId": "stats",
                "responses": {
                    "200": {
                        "description": "The aggregates",
                        "content": {"application/json": {"schema": "Stats"}},
                    },
                    "503": error("The database cannot be reached just now"),
                },
            }
        },
    )
    return spec.to_dict()


SPEC = build_spec()


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(SPEC)
