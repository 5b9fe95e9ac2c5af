"""Marshmallow schemas: the content files' shapes and the decision answers.

Every schema refuses unknown keys (marshmallow's default), so a typo in a
content file or a request is reported instead of silently ignored.
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
#: What a guide part shows after its text, built from other content.
INCLUDES = ("comparison", "scenarios", "rules", "recommendations", "benchmarks")
#: How a framework provides a capability, as the comparison table classifies each cell: in its
#: own core, in an add-on its own project maintains, in someone else's package, or not at all.
PROVISIONS = ("built-in", "official", "third-party", "none")
#: The files of a code sample a reader sees: the sample and its own test.
SAMPLE_CODE = ("app.py", "test_app.py")


def _text(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Length(min=1), **kwargs)


def _texts(**kwargs: Any) -> fields.List[str]:
    return fields.List(_text(), **kwargs)


def _changes() -> fields.String:
    """What changed, in the author's words, for the change history: used when a load finds the
    item changed and the note differs from the last one told."""
    return _text(load_default=None)


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


def _https_url(**kwargs: Any) -> fields.Url:
    return fields.Url(
        schemes={"https"},
        require_tld=True,
        error_messages={"invalid": "Give an absolute https URL."},
        **kwargs,
    )


class SourceSchema(Schema):
    """A primary source: official documentation, release notes, the package index page."""

    title = _text(required=True)
    url = _https_url(required=True)


def _sources(**kwargs: Any) -> fields.List[Any]:
    return fields.List(fields.Nested(SourceSchema), **kwargs)


class FactSchema(Schema):
    """A fact that ages, stated once: the text every page cites, when and where it was checked."""

    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9._-]*$"))
    text = _text(required=True)
    checked = fields.Date(required=True)
    source = _https_url(required=True)


class VersionSchema(Schema):
    current = _text(required=True)
    #: When the package index says the current release came out (flask content versions).
    released = fields.Date(load_default=None)
    checked = fields.Date(required=True)
    min_python = _text(required=True)
    note = fields.String(load_default="")


class FeatureSchema(Schema):
    area = _text(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(["built-in", "partial", "add-on"])
    )
    detail = fields.String(load_default="")
    addon = fields.String(load_default="")


class FrameworkSchema(Schema):
    slug = fields.String(required=True, validate=SLUG)
    name = _text(required=True)
    order = fields.Integer(required=True, strict=True)
    tagline = _text(required=True)
    summary = _text(required=True)
    version = fields.Nested(VersionSchema, required=True)
    #: Its licence as an SPDX expression, as the package index gives it.
    licence = fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Za-z0-9.+-]+( (AND|OR|WITH) [A-Za-z0-9.+-]+)*$"),
    )
    maintainer = _text(required=True)
    #: Whether any release gets long-term support, and how long releases are kept, in a line.
    release_model = _text(required=True)
    #: The fact card's two lines: the project it suits best, and when to look elsewhere.
    best_for = _text(required=True)
    think_twice = _text(required=True)
    features = fields.List(fields.Nested(FeatureSchema), required=True)
    strengths = _texts(required=True)
    weaknesses = _texts(required=True)
    fits = _texts(required=True)
    sources = _sources(required=True, validate=validate.Length(min=1))
    changes = _changes()


class AspectSchema(Schema):
    slug = fields.String(required=True, validate=SLUG)
    name = _text(required=True)
    values = fields.Dict(keys=fields.String(), values=_text(), required=True)
    #: For a capability (an admin screen, migrations), how each framework provides it; a row
    #: that describes (philosophy, learning curve) has none.
    provided = fields.Dict(
        keys=fields.String(),
        values=fields.String(validate=validate.OneOf(PROVISIONS, error="Use one of: {choices}.")),
        load_default=None,
    )
    #: For a row of the coverage table: the need (an answer value of `needs`) it covers, the
    #: component each framework meets it with, and tools outside the four that beat them all.
    need = fields.String(
        load_default=None,
        validate=validate.OneOf(ANSWERS["needs"], error="Use one of: {choices}."),
    )
    components = fields.Dict(keys=fields.String(), values=_text(), load_default=None)
    outside = _text(load_default=None)
    #: The other needs, one of which must be named too for the outside tools to beat the four.
    outside_with = fields.List(
        fields.String(validate=validate.OneOf(ANSWERS["needs"], error="Use one of: {choices}.")),
        load_default=None,
    )

    @validates_schema
    def _a_need_is_covered_whole(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("need") and not (data.get("components") and data.get("provided")):
            raise ValidationError("a row with a need gives components and provided", "need")


class SectionSchema(Schema):
    """The front matter of a guide section; the Markdown body is read beside it."""

    slug = fields.String(required=True, validate=SLUG)
    title = _text(required=True)
    summary = _text(required=True)
    include = fields.String(
        load_default=None, validate=validate.OneOf(INCLUDES, error="Use one of: {choices}.")
    )
    #: The framework whose own page carries this part; the guide shows its summary and a link.
    framework = fields.String(load_default=None, validate=SLUG)
    #: A part read on a page of its own (/guide/<slug>); the guide shows its summary and a link.
    standalone = fields.Boolean(load_default=False)
    #: When the facts in the part that age were last checked.
    checked = fields.Date(load_default=None)
    sources = _sources(load_default=list)

    changes = _changes()

    @validates_schema
    def _placed_once_and_dated(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["framework"] and data["standalone"]:
            raise ValidationError("A part is on a framework's page or on its own, not both.")
        if data["sources"] and data["checked"] is None:
            raise ValidationError("A part that cites sources says when it checked them.", "checked")


class ClosingSchema(Schema):
    order = fields.Integer(required=True, strict=True)
    note = _text(required=True)


class ScenarioSchema(Schema):
    slug = fields.String(required=True, validate=SLUG)
    order = fields.Integer(required=True, strict=True)
    title = _text(required=True)
    situation = _text(required=True)
    first = fields.String(required=True, validate=SLUG)
    runner_up = fields.String(required=True, allow_none=True, validate=SLUG)
    reason = _text(required=True)
    why = _text(required=True)
    #: Why the runner-up would win instead, or why there is none.
    runner_up_when = _text(required=True)
    gives_up = _texts(required=True)
    preset = fields.Nested(DecisionInput, required=True)
    related = fields.List(fields.String(validate=SLUG), load_default=list)
    section = fields.String(required=True, validate=SLUG)
    updated = fields.Date(required=True)
    aliases = fields.List(fields.String(validate=SLUG), load_default=list)
    closing = fields.Nested(ClosingSchema, load_default=None)
    changes = _changes()


class ChoiceSchema(Schema):
    value = _text(required=True)
    label = _text(required=True)


class QuestionSchema(Schema):
    key = fields.String(required=True, validate=validate.OneOf(list(ANSWERS)))
    required = fields.Boolean(required=True)
    short = fields.String(required=True, validate=validate.Length(min=1, max=60))
    prompt = _text(required=True)
    help = _text(required=True)
    choices = fields.List(fields.Nested(ChoiceSchema), required=True)


class AddonSchema(Schema):
    """A package a code sample needs beyond its framework."""

    name = _text(required=True)
    package = fields.String(
        required=True, validate=validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    )
    url = _https_url(required=True)


class SampleTaskSchema(Schema):
    """A task every framework's code sample does the same way (samples/<task>/task.yaml)."""

    title = _text(required=True)
    order = fields.Integer(required=True, strict=True)
    summary = _text(required=True)
    #: The file a reader studies first; for the testing task, that is the test.
    lead = fields.String(load_default="app.py", validate=validate.OneOf(SAMPLE_CODE))
    changes = _changes()


class SampleSchema(Schema):
    """What one framework needs for a task (samples/<task>/<framework>/sample.yaml)."""

    addons = fields.List(fields.Nested(AddonSchema), load_default=list)
    note = _text(required=True)


class SampleRunSchema(Schema):
    """What a sample's own test last passed against, as `flask samples run` wrote it."""

    ran = fields.Date(required=True)
    python = fields.String(required=True, validate=validate.Regexp(r"^\d+\.\d+\.\d+$"))
    packages = fields.Dict(keys=fields.String(), values=_text(), required=True)
    #: The hash of app.py and test_app.py as they ran (sample_env.code_digest).
    code = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{16}$"))


class BenchmarkResultSchema(Schema):
    """One task served by one framework under one server: the median of the rounds."""

    task = fields.String(required=True, validate=SLUG)
    framework = fields.String(required=True, validate=SLUG)
    #: The server and its version: "gunicorn 27.0.1".
    server = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9-]* \S+$"))
    version = _text(required=True)
    requests_per_second = fields.Float(required=True, validate=validate.Range(min=0))
    p50_ms = fields.Float(required=True, validate=validate.Range(min=0))
    p99_ms = fields.Float(required=True, validate=validate.Range(min=0))


class BenchmarkSchema(Schema):
    """benchmarks.yaml, as bench/frameworks.py writes it."""

    measured = fields.Date(required=True)
    command = _text(required=True)
    cores = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    python = _text(required=True)
    workers = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    connections = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    seconds = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    rounds = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    results = fields.List(
        fields.Nested(BenchmarkResultSchema), required=True, validate=validate.Length(min=1)
    )


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
