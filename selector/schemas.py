"""Marshmallow schemas: the decision answers, the query strings and the API's shapes (the
content files' own schemas are in content/schemas.py).

Every schema of a request body refuses unknown keys (marshmallow's default), so a typo in a
request is reported instead of silently ignored.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from selector.decisions.tally import FEWER
from selector.engine.answers import ANSWERS, MULTI, NO_SKILLS, REQUIRED, V2_ANSWERS, V2_REQUIRED
from selector.language import DEFAULT, LANGUAGES

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG = validate.Regexp(SLUG_PATTERN, error="Use lowercase letters, digits and hyphens.")
#: How a framework provides a capability, as the comparison table classifies each cell: in its
#: own core, in an add-on its own project maintains, in someone else's package, or not at all.
PROVISIONS = ("built-in", "official", "third-party", "none")


class _Says:
    """A field whose own messages may be lazy strings, said in the reader's language when
    raised (marshmallow formats only plain strings, and would split a lazy one into letters)."""

    error_messages: dict[str, Any]

    def make_error(self, key: str, **kwargs: Any) -> ValidationError:
        if key in self.error_messages:
            return ValidationError(str(self.error_messages[key]).format(**kwargs))
        made: ValidationError = super().make_error(key, **kwargs)  # type: ignore[misc]
        return made


class _Said(_Says, fields.String):
    pass


class _SaidList(_Says, fields.List):  # type: ignore[type-arg]
    """A list whose wrong items are said once each, under the answer's key, not by position."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError as error:
            said = error.messages.values() if isinstance(error.messages, dict) else []
            messages = [m for item in said for m in (item if isinstance(item, list) else [item])]
            raise ValidationError(list(dict.fromkeys(messages)) or error.messages) from error


def _value(values: tuple[str, ...], required: bool) -> _Said:
    """One answer's value, one of the contract's."""
    return _Said(
        required=required,
        validate=validate.OneOf(values, error=_l("Choose one of: {choices}.")),
        error_messages={
            "required": _l("Choose an answer."),
            "invalid": _l("Give the answer as text."),
        },
    )


def _answer(key: str) -> fields.Field[Any]:
    """One answer of the contract: a value, or a list of values for a multi-valued key."""
    if key not in MULTI:
        return _value(ANSWERS[key], key in REQUIRED)
    return _SaidList(
        _value(ANSWERS[key], False),
        required=key in REQUIRED,
        # Zero values of an optional key are as good as none given.
        validate=validate.Length(min=1 if key in REQUIRED else 0, error=_l("Choose at least one.")),
        error_messages={
            "required": _l("Choose at least one."),
            "invalid": _l("Give the answers as a list."),
        },
    )


class DecisionInput(Schema.from_dict({key: _answer(key) for key in ANSWERS})):  # type: ignore[misc]
    """Version-3 answers, from the form, a permalink or the API (lists for multi-valued keys)."""

    @validates_schema(skip_on_field_errors=False)
    def _no_skills_alone(self, data: dict[str, Any], **kwargs: Any) -> None:
        skills = data.get("team_skills") or []
        if NO_SKILLS in skills and len(set(skills)) > 1:
            raise ValidationError(
                str(_l("“None of these” cannot be given beside a skill.")), "team_skills"
            )


class _Language(Schema):
    lang = fields.String(
        load_default=DEFAULT,
        validate=validate.OneOf(LANGUAGES, error="Choose one of: {choices}."),
        metadata={
            "description": "The language of the reasons and the permalink's edition; a "
            "regional tag (ja-JP) and any case name their language."
        },
    )

    @pre_load
    def _language_tag(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("lang"), str):
            data = {**data, "lang": data["lang"].strip().split("-")[0].lower()}
        return data


class RecommendationRequest(_Language):
    answers = fields.Nested(DecisionInput, required=True)


V2Input = Schema.from_dict(
    {key: _value(values, key in V2_REQUIRED) for key, values in V2_ANSWERS.items()},
    name="V2Input",
)


class V1RecommendationRequest(_Language):
    """The version-1 API's request: version-2 answers, carried over to version 3."""

    answers = fields.Nested(V2Input, required=True)


class StackPart(Schema):
    need = fields.String(required=True)
    component = fields.String(required=True)
    provided = fields.String(required=True, validate=validate.OneOf(PROVISIONS))


class OutsideTools(Schema):
    need = fields.String(required=True)
    tools = fields.String(required=True)


class ReasonSchema(Schema):
    text = fields.String(required=True, metadata={"description": "Inline Markdown."})
    rests_on = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The answers it rests on, each as key=value."},
    )


class PlaceSchema(Schema):
    framework = fields.String(required=True)
    reason = fields.String(required=True)


class ChangeSchema(Schema):
    answers = fields.Dict(required=True)
    framework = fields.String(required=True)


class RecommendationSchema(Schema):
    """The version-2 API's answer; the result page shows the same facts."""

    framework = fields.String(required=True)
    runner_up = fields.String(required=True, allow_none=True)
    runner_up_reason = fields.Nested(ReasonSchema, required=True, allow_none=True)
    lang = fields.String(required=True, metadata={"description": "The language of the words."})
    stack = fields.List(fields.Nested(StackPart), required=True)
    outside = fields.List(fields.Nested(OutsideTools), required=True)
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)
    gives_up = fields.List(fields.String(), required=True)
    ranking = fields.List(fields.Nested(PlaceSchema), required=True)
    change = fields.Nested(ChangeSchema, required=True, allow_none=True)
    permalink = fields.String(required=True)


class RankedFramework(Schema):
    framework = fields.String(required=True)
    score = fields.Float(
        required=True,
        metadata={"description": "Orders the ranking, highest first; it does not measure fit."},
    )


class V1RecommendationSchema(Schema):
    """The version-1 API's answer, in the shape it has always had."""

    framework = fields.String(required=True)
    runner_up = fields.String(required=True, allow_none=True)
    runner_up_reason = fields.String(required=True)
    lang = fields.String(required=True, metadata={"description": "The language of the words."})
    ranking = fields.List(fields.Nested(RankedFramework), required=True)
    reasons = fields.List(fields.String(), required=True)
    tradeoffs = fields.List(fields.String(), required=True)
    pivot = fields.Raw(
        required=True,
        allow_none=True,
        metadata={"description": "Always null: a version-2 answer no longer decides alone."},
    )
    permalink = fields.String(required=True)


class ErrorSchema(Schema):
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)


class CompareQuery(Schema):
    """The compare page's query string; other parameters (tracking tags) are ignored."""

    class Meta:
        unknown = EXCLUDE

    f = fields.List(fields.String(), load_default=list)
    diff = fields.Boolean(load_default=False)


class ScenarioFilter(Schema):
    """The scenario matrix's query string."""

    class Meta:
        unknown = EXCLUDE

    first = fields.String(load_default=None, validate=SLUG)


#: The longest search a reader may type; the search box says so too.
SEARCH_MAX = 200


#: Control characters and bidirectional overrides a pasted or forged query may hold: read as
#: spaces, so that none reaches the page's title or its box.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text with its control and direction characters read as spaces: what a page may echo."""
    return _CONTROL.sub(" ", text)


class SearchQuery(Schema):
    """The search page's query string."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(
        load_default="",
        validate=[
            validate.Length(
                max=SEARCH_MAX,
                error=_l("That search is too long: keep it to {max} characters or fewer."),
            ),
        ],
    )

    @pre_load
    def _spaces(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        if isinstance(data.get("q"), str):
            data = {**data, "q": printable(data["q"])}
        return data


class StatsFigureSchema(Schema):
    """One count of /api/v1/stats: shown, or withheld with the reason."""

    value = fields.String(
        allow_none=True,
        metadata={"description": "A framework slug or an answer value; null: none, unanswered."},
    )
    decisions = fields.Integer(
        allow_none=True,
        metadata={"description": "Rounded to the nearest `rounded_to`; null when withheld."},
    )
    share = fields.Float(
        allow_none=True,
        metadata={
            "description": "Of all decisions (of the month, by month; of `answered`, for an "
            "answer), from the rounded counts."
        },
    )
    withheld = fields.String(
        allow_none=True,
        validate=validate.OneOf([FEWER]),
        metadata={"description": "Why the count is not given, when it is not."},
    )


class StatsQuestionSchema(Schema):
    """A current question: how many of the decisions made with it gave each value (a value of
    a multi-valued question counts each decision that ticked it); a null value: none given."""

    question = fields.String(required=True)
    figures = fields.List(fields.Nested(StatsFigureSchema), required=True)


class StatsMonthSchema(Schema):
    month = fields.String(required=True, metadata={"description": "YYYY-MM, UTC"})
    decisions = fields.Nested(StatsFigureSchema, required=True)
    first_choice = fields.List(fields.Nested(StatsFigureSchema), required=True)


class StatsSchema(Schema):
    """Anonymous aggregates of the decisions stored; no count under the threshold is given."""

    threshold = fields.Integer(required=True)
    rounded_to = fields.Integer(required=True)
    refreshed_at = fields.AwareDateTime(required=True)
    decisions = fields.Nested(StatsFigureSchema, required=True)
    first_choice = fields.List(fields.Nested(StatsFigureSchema), required=True)
    runner_up = fields.List(fields.Nested(StatsFigureSchema), required=True)
    answered = fields.Nested(
        StatsFigureSchema,
        required=True,
        metadata={
            "description": "The decisions made with the current questions (decision contract "
            "version 3), and their share of all: the whole that `answers` count and take "
            "their shares of. Earlier decisions count in `decisions`, `first_choice`, "
            "`runner_up` and `months` only."
        },
    )
    answers = fields.List(fields.Nested(StatsQuestionSchema), required=True)
    months = fields.List(fields.Nested(StatsMonthSchema), required=True)
