"""Marshmallow schemas of the content files: each kind of file read into its record.

Every schema refuses unknown keys (marshmallow's default), so a typo in a content file is
reported instead of silently ignored; a valid file leaves its schema as an immutable record
(records.py), lists as tuples.
"""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from selector.content import records
from selector.engine.answers import ANSWERS
from selector.schemas import PROVISIONS, SLUG, DecisionInput

#: What a guide part shows after its text, built from other content.
INCLUDES = ("comparison", "scenarios", "rules", "recommendations", "benchmarks")
#: The files of a code sample a reader sees: the sample and its own test.
SAMPLE_CODE = ("app.py", "test_app.py")
SAMPLE_CASE_METHODS = ("GET", "POST", "WEBSOCKET")


class _Record(Schema):
    """A schema whose valid data becomes its record."""

    record: ClassVar[type[Any]]

    @post_load
    def _record(self, data: dict[str, Any], **kwargs: Any) -> Any:
        return self.record(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def _text(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Length(min=1), **kwargs)


def _texts(**kwargs: Any) -> fields.List[str]:
    return fields.List(_text(), **kwargs)


def _changes() -> fields.String:
    """What changed, in the author's words, for the change history: used when a load finds the
    item changed and the note differs from the last one told."""
    return _text(load_default=None)


def _https_url(**kwargs: Any) -> fields.Url:
    return fields.Url(
        schemes={"https"},
        require_tld=True,
        error_messages={"invalid": "Give an absolute https URL."},
        **kwargs,
    )


class SourceSchema(_Record):
    """A primary source: official documentation, release notes, the package index page."""

    record = records.Source

    title = _text(required=True)
    url = _https_url(required=True)
    lang = fields.String(load_default="en", validate=validate.OneOf(["en", "ja"]))


def _sources(**kwargs: Any) -> fields.List[Any]:
    return fields.List(fields.Nested(SourceSchema), **kwargs)


class FactSchema(_Record):
    """A fact that ages, stated once: the text every page cites, when and where it was checked."""

    record = records.Fact

    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9._-]*$"))
    text = _text(required=True)
    checked = fields.Date(required=True)
    source = _https_url(required=True)


class VersionSchema(_Record):
    record = records.Version

    current = _text(required=True)
    #: When the package index says the current release came out (flask content versions).
    released = fields.Date(load_default=None)
    checked = fields.Date(required=True)
    min_python = _text(required=True)
    note = fields.String(load_default="")


class FeatureSchema(_Record):
    record = records.Feature

    area = _text(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(["built-in", "partial", "add-on"])
    )
    detail = fields.String(load_default="")
    addon = fields.String(load_default="")


class FrameworkSchema(_Record):
    record = records.Framework

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


class AspectSchema(_Record):
    record = records.Aspect

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


class ChartRowSchema(_Record):
    record = records.ChartRow

    label = _text(required=True)
    #: The id of the fact in facts.yaml whose text states the figure.
    fact = fields.String(required=True)


class ChartSchema(_Record):
    record = records.Chart

    title = _text(required=True)
    measure = _text(required=True)
    rows = fields.List(
        fields.Nested(ChartRowSchema), required=True, validate=validate.Length(min=1)
    )


class SectionSchema(_Record):
    """The front matter of a guide section; the Markdown body is read beside it."""

    record = records.Section

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
    #: Figures drawn as charts after the text, each row citing a fact by its id.
    charts = fields.List(fields.Nested(ChartSchema), load_default=list)

    changes = _changes()

    @validates_schema
    def _placed_once_and_dated(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["framework"] and data["standalone"]:
            raise ValidationError("A part is on a framework's page or on its own, not both.")
        if data["sources"] and data["checked"] is None:
            raise ValidationError("A part that cites sources says when it checked them.", "checked")


class ClosingSchema(_Record):
    record = records.Closing

    order = fields.Integer(required=True, strict=True)
    note = _text(required=True)


class ScenarioSchema(_Record):
    record = records.Scenario

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


class ChoiceSchema(_Record):
    record = records.Choice

    value = _text(required=True)
    label = _text(required=True)


class QuestionSchema(_Record):
    record = records.Question

    key = fields.String(required=True, validate=validate.OneOf(list(ANSWERS)))
    required = fields.Boolean(required=True)
    short = fields.String(required=True, validate=validate.Length(min=1, max=60))
    prompt = _text(required=True)
    help = _text(required=True)
    choices = fields.List(fields.Nested(ChoiceSchema), required=True)


class AddonSchema(_Record):
    """A package a code sample needs beyond its framework."""

    record = records.Addon

    name = _text(required=True)
    package = fields.String(
        required=True, validate=validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    )
    url = _https_url(required=True)


class SampleCaseSchema(_Record):
    """One request that every framework's sample of a task must answer in the same way."""

    record = records.SampleCase

    name = _text(required=True)
    #: WEBSOCKET opens a connection at path, sends `send` and expects each message back.
    method = fields.String(load_default="GET", validate=validate.OneOf(SAMPLE_CASE_METHODS))
    path = fields.String(required=True, validate=validate.Regexp(r"^/"))
    query = fields.Dict(keys=fields.String(), values=fields.String(), load_default=None)
    json_body = fields.Raw(data_key="json", load_default=None)
    form = fields.Dict(keys=fields.String(), values=fields.String(), load_default=None)
    headers = fields.Dict(keys=fields.String(), values=fields.String(), load_default=None)
    send = _texts(load_default=None)
    status = fields.Integer(required=True, strict=True, validate=validate.Range(100, 599))
    #: The whole JSON answer, when every framework's is the same to the byte.
    body = fields.Raw(load_default=None)
    #: The JSON object's keys, when its values vary (a new id, a token).
    keys = _texts(load_default=None)
    #: The fields a validation error names: {"detail": [{"loc": [..., field], "msg": ...}]}.
    invalid = _texts(load_default=None)
    html = fields.Boolean(load_default=False)


class SampleTaskSchema(_Record):
    """A task every framework's code sample does the same way (samples/<task>/task.yaml)."""

    record = records.SampleTask

    title = _text(required=True)
    order = fields.Integer(required=True, strict=True)
    summary = _text(required=True)
    #: The file a reader studies first; for the testing task, that is the test.
    lead = fields.String(load_default="app.py", validate=validate.OneOf(SAMPLE_CODE))
    #: What every framework's sample answers alike; tests/test_samples.py sends them to all four.
    #: None only where the four share no request (see UNSHARED in that test).
    cases = fields.List(fields.Nested(SampleCaseSchema), load_default=list)
    changes = _changes()


class SampleSchema(_Record):
    """What one framework needs for a task (samples/<task>/<framework>/sample.yaml)."""

    record = records.SampleNeeds

    addons = fields.List(fields.Nested(AddonSchema), load_default=list)
    note = _text(required=True)


class SampleRunSchema(_Record):
    """What a sample's own test last passed against, as `flask samples run` wrote it."""

    record = records.SampleRun

    ran = fields.Date(required=True)
    python = fields.String(required=True, validate=validate.Regexp(r"^\d+\.\d+\.\d+$"))
    packages = fields.Dict(keys=fields.String(), values=_text(), required=True)
    #: The hash of app.py and test_app.py as they ran (sample_env.code_digest).
    code = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{16}$"))


#: A CPU list as taskset takes it: "0", "0,1".
CPUS = r"^\d+(,\d+)*$"
#: A framework setting's name, as Django spells them: "CONN_MAX_AGE".
SETTING = validate.Regexp(r"^[A-Z][A-Z0-9_]*$")


class _Figures(Schema):
    """What wrk measured of a series: in a round, or the medians of the rounds."""

    requests_per_second = fields.Float(required=True, validate=validate.Range(min=0))
    p50_ms = fields.Float(required=True, validate=validate.Range(min=0))
    p99_ms = fields.Float(required=True, validate=validate.Range(min=0))


class BenchmarkRoundSchema(_Figures, _Record):
    """One series' figures in one round."""

    record = records.BenchmarkRound


class BenchmarkResultSchema(_Figures, _Record):
    """One task served by one framework under one server: its configuration, the median of the
    rounds and each round's figures."""

    record = records.BenchmarkResult

    task = fields.String(required=True, validate=SLUG)
    framework = fields.String(required=True, validate=SLUG)
    #: The server and its version: "gunicorn 27.0.1".
    server = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9-]* \S+$"))
    version = _text(required=True)
    worker_class = _text(required=True)
    server_cpus = fields.String(required=True, validate=validate.Regexp(CPUS))
    load_cpus = fields.String(required=True, validate=validate.Regexp(CPUS))
    settings = fields.Dict(keys=fields.String(validate=SETTING), values=_text(), required=True)
    per_round = fields.List(
        fields.Nested(BenchmarkRoundSchema), required=True, validate=validate.Length(min=1)
    )


class BenchmarkSchema(_Record):
    """benchmarks.yaml, as bench/frameworks.py writes it."""

    record = records.Benchmark

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
