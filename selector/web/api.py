"""Blueprint: the JSON API and its OpenAPI document, generated from the marshmallow schemas."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Response, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from marshmallow import Schema, ValidationError
from werkzeug.http import http_date

from selector import language
from selector.content.snapshot import content
from selector.decisions import tally
from selector.edge.page_cache import cached_page
from selector.engine.answers import ANSWERS, NO_SKILLS, as_lists, from_v2, normal
from selector.engine.explain import Explained, Said, explain
from selector.engine.recommend import recommend
from selector.extensions import csrf, post_limit
from selector.schemas import (
    DecisionInput,
    ErrorSchema,
    RecommendationRequest,
    RecommendationSchema,
    StatsSchema,
    V1RecommendationRequest,
    V1RecommendationSchema,
    V2Input,
)
from selector.web.urls import absolute_url, permalink

bp = Blueprint("api", __name__, url_prefix="/api")
# Schema instances keep no state between calls, and building one per request costs more.
REQUEST, RESPONSE, STATS = RecommendationRequest(), RecommendationSchema(), StatsSchema()
V1_REQUEST, V1_RESPONSE = V1RecommendationRequest(), V1RecommendationSchema()
# Clients send JSON, not a browser form: there is no cookie for a forged request to ride on.
csrf.exempt(bp)
#: The version-1 recommendations API (version-2 answers) is deprecated from the day version 3
#: of the contract was published, and answers until its sunset, six months and more on.
DEPRECATED = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
SUNSET = dt.datetime(2027, 6, 30, tzinfo=dt.UTC)


@bp.after_request
def announce_the_end(response: Response) -> Response:
    """Every answer of the version-1 recommendations, refusals and 429s included, says when it
    ends and where its successor is."""
    if request.endpoint == "api.recommendations_v1":
        response.headers["Deprecation"] = f"@{int(DEPRECATED.timestamp())}"
        response.headers["Sunset"] = http_date(SUNSET)
        successor = absolute_url("api.openapi")
        response.headers["Link"] = (
            f'<{successor}>; rel="successor-version", <{successor}>; rel="deprecation"'
        )
    return response


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


def _asked(schema: Schema) -> dict[str, Any] | tuple[Response, int]:
    """The request body loaded by schema, or the error response that says what is wrong."""
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
        asked: dict[str, Any] = schema.load(body)
    except ValidationError as error:
        return _errors(422, _per_key(error.messages))  # type: ignore[arg-type]
    return asked


def _explained(answers: dict[str, Any], lang: str) -> Explained:
    # The words come from the edition asked for; the answers and the ranking are the same.
    with force_locale(lang):
        loaded = content(lang)
        return explain(recommend(answers, loaded.model), loaded.words)


def _cited(reason: Said) -> dict[str, Any]:
    return {"text": reason.text, "rests_on": [f"{key}={value}" for key, value in reason.rests_on]}


@bp.post("/v2/recommendations")
@post_limit
def recommendations() -> Response | tuple[Response, int]:
    asked = _asked(REQUEST)
    if not isinstance(asked, dict):
        return asked
    result = _explained(normal(asked["answers"]), asked["lang"])
    change = result.change
    return jsonify(
        RESPONSE.dump(
            {
                "framework": result.framework,
                "runner_up": result.runner_up,
                "runner_up_reason": result.runner_up_reason and _cited(result.runner_up_reason),
                "lang": asked["lang"],
                "stack": [vars(part) for part in result.stack],
                "outside": [{"need": need, "tools": tools} for need, tools in result.outside],
                "reasons": [_cited(reason) for reason in result.reasons],
                "gives_up": result.gives_up,
                "ranking": [
                    {"framework": place.framework, "reason": place.reason.text}
                    for place in result.ranking
                ],
                "change": change
                and {"answers": as_lists(change.answers), "framework": change.framework},
                "permalink": language.in_edition(
                    permalink(result.answers, external=True), asked["lang"]
                ),
            }
        )
    )


@bp.post("/v1/recommendations")
@post_limit
def recommendations_v1() -> Response | tuple[Response, int]:
    """Version-2 answers, as the version-1 API took them: carried over to version 3 and
    answered in the version-1 shape (announce_the_end adds the headers that say it ends)."""
    asked = _asked(V1_REQUEST)
    if not isinstance(asked, dict):
        return asked
    result = _explained(from_v2(asked["answers"]), asked["lang"])
    second = result.runner_up_reason
    return jsonify(
        V1_RESPONSE.dump(
            {
                "framework": result.framework,
                "runner_up": result.runner_up,
                "runner_up_reason": second.text if second else "",
                "lang": asked["lang"],
                # The shape keeps a score, but only to order: the best gets the most points.
                "ranking": [
                    {"framework": place.framework, "score": float(len(result.ranking) - i)}
                    for i, place in enumerate(result.ranking)
                ],
                "reasons": [reason.text for reason in result.reasons],
                "tradeoffs": result.gives_up,
                "pivot": None,
                "permalink": language.in_edition(
                    permalink(result.answers, external=True), asked["lang"]
                ),
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


@bp.get("/v1/stats")
@cached_page(period=tally.PERIOD_SECONDS, offers=False)
def stats_figures() -> Response:
    figures = tally.read()
    total, answered = figures.total, figures.answered
    return jsonify(
        STATS.dump(
            {
                "threshold": tally.THRESHOLD,
                "rounded_to": tally.ROUNDING,
                "refreshed_at": figures.refreshed_at,
                "decisions": _figure("", total, total),
                "answered": _figure("", answered, total),
                "first_choice": [_figure(k, c, total) for k, c in figures.first.items()],
                "runner_up": [_figure(k, c, total) for k, c in figures.runner_up.items()],
                "answers": [
                    {
                        "question": key,
                        "figures": [_figure(v, c, answered) for v, c in cells.items()],
                    }
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
        version="2",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={
            "description": "A ranked, explained web framework recommendation for a set of "
            "answers (decision contract version 3), with the stack that meets each need."
        },
    )
    spec.components.schema("DecisionInput", schema=DecisionInput)
    spec.components.schema("RecommendationRequest", schema=RecommendationRequest)
    spec.components.schema("Recommendation", schema=RecommendationSchema)
    spec.components.schema("V2Input", schema=V2Input)
    spec.components.schema("V1RecommendationRequest", schema=V1RecommendationRequest)
    spec.components.schema("V1Recommendation", schema=V1RecommendationSchema)
    spec.components.schema("Errors", schema=ErrorSchema)
    spec.components.schema("Stats", schema=StatsSchema)

    def error(description: str) -> dict[str, Any]:
        return {"description": description, "content": {"application/json": {"schema": "Errors"}}}

    def recommend_path(request_schema: str, response_schema: str, **more: Any) -> dict[str, Any]:
        return {
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": request_schema}},
                },
                "responses": {
                    "200": {
                        "description": "The recommendation",
                        "content": {"application/json": {"schema": response_schema}},
                    },
                    "400": error("The body is not JSON"),
                    "415": error("The body is not sent as application/json"),
                    "422": error("Unknown keys, unknown values or missing answers, per key"),
                },
                **more,
            }
        }

    spec.path(
        path="/api/v2/recommendations",
        operations=recommend_path(
            "RecommendationRequest",
            "Recommendation",
            summary="Recommend a framework and its stack for version-3 answers",
            operationId="recommend",
        ),
    )
    spec.path(
        path="/api/v1/recommendations",
        operations=recommend_path(
            "V1RecommendationRequest",
            "V1Recommendation",
            summary="Recommend a framework for version-2 answers (deprecated)",
            description="Version-2 answers are carried over to version 3 as the decision "
            "contract maps them. Every answer says `Deprecation`, `Sunset` "
            f"({SUNSET:%Y-%m-%d}) and a `Link` to this document.",
            operationId="recommendV1",
            deprecated=True,
        ),
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
    document: dict[str, Any] = spec.to_dict()
    # "None of these" stands alone, which a list of one enum cannot say.
    answers = document["components"]["schemas"]["DecisionInput"]["properties"]
    skills = answers["team_skills"]
    known_skills = [skill for skill in ANSWERS["team_skills"] if skill != NO_SKILLS]
    answers["team_skills"] = {
        "anyOf": [
            {**skills, "items": {**skills["items"], "enum": known_skills}},
            {**skills, "items": {**skills["items"], "enum": [NO_SKILLS]}, "minItems": 1},
        ],
        "description": f"Skills the team knows well, or `{NO_SKILLS}` alone.",
    }
    return document


SPEC = build_spec()


@bp.get("/v2/openapi.json")
def openapi() -> Response:
    return jsonify(SPEC)


@bp.get("/v1/openapi.json")
def openapi_v1() -> ResponseReturnValue:
    """The document moved with version 2; it describes version 1 too."""
    return redirect(url_for("api.openapi"), 301)
