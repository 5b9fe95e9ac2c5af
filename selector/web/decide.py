"""Blueprint: the decision form, the result permalink and its decision record."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy import Table, insert
from sqlalchemy.exc import InterfaceError, InternalError, OperationalError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import TooManyRequests

from selector.content import history
from selector.content.history import KINDS, SHORT
from selector.content.loaded import Question, Scenario
from selector.content.snapshot import content
from selector.edge.page_cache import WHOLE_QUERY, cached_page
from selector.engine.answers import (
    ANSWERS,
    MULTI,
    V2_ANSWERS,
    VERSION,
    Value,
    as_lists,
    from_v2,
    normal,
    query_pairs,
)
from selector.engine.explain import explain
from selector.engine.recommend import recommend
from selector.extensions import csrf, db, post_limit, result_limit
from selector.forms import DecisionForm, decision_form
from selector.language import gettext as _
from selector.models import Decision
from selector.schemas import DecisionInput
from selector.web import errors
from selector.web.urls import absolute_url, answers_url, content_rev, permalink

bp = Blueprint("decide", __name__, url_prefix="/decide")
#: The `rev` a permalink carries: the first characters of a content digest.
REV = re.compile(f"[0-9a-f]{{{SHORT}}}")


@bp.after_request
def private(response: Response) -> Response:
    """The form carries a per-reader token: no cache may keep or share it."""
    if request.endpoint in ("decide.form", "decide.submit"):
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Cookie")
    return response


Errors = dict[str, list[str]]
# Schema instances keep no state between calls, and building one per request costs more.
DECISION_INPUT = DecisionInput()
#: A plain INSERT: the row is never read back, so the ORM's unit of work would only add cost.
INSERT_DECISION = insert(cast(Table, Decision.__table__))


def read_answers(values: MultiDict[str, str]) -> tuple[dict[str, Value], Errors]:
    """Validate answers from a form or a query string.

    An empty value means the question was left unanswered; a single-valued key given twice is
    an error. Returns the valid answers, in the contract's order, and the errors per key.
    """
    raw: dict[str, Any] = {}
    errors: Errors = {}
    for key, listed in values.lists():
        given = [value for value in listed if value != ""]
        if not given:
            continue
        if key in MULTI:
            raw[key] = given
        elif len(given) > 1:
            errors[key] = [_("Give one answer only.")]
        else:
            raw[key] = given[0]
    try:
        answers = DECISION_INPUT.load(raw)
    except ValidationError as error:
        for key, messages in error.messages.items():  # type: ignore[union-attr]
            errors.setdefault(key, messages)
        answers = {k: v for k, v in error.valid_data.items() if k not in errors}  # type: ignore[union-attr]
        # The values of a multi-valued answer that could be read stay, beside its error.
        for key in MULTI:
            if key in errors and isinstance(raw.get(key), list):
                answers[key] = [value for value in raw[key] if value in ANSWERS[key]]
    return normal(answers), errors


def _questions() -> Sequence[Question]:
    return content().questions


def _render_form(
    form: DecisionForm,
    questions: Sequence[Question],
    status: int = 200,
    errors: Errors | None = None,
    notice: str | None = None,
    scenario: Scenario | None = None,
) -> tuple[str, int]:
    errors = errors or {}
    for key, messages in errors.items():
        if key in form:
            form[key].errors = messages
    general = [
        _("“%(name)s”: %(problem)s", name=key, problem=" ".join(m))
        for key, m in errors.items()
        if key not in form
    ]
    return render_template(
        "decide/form.html",
        form=form,
        questions=questions,
        general=general,
        notice=notice,
        scenario=scenario,
    ), status


@bp.get("")
def form() -> tuple[str, int]:
    questions = _questions()
    data: dict[str, Any] = {}
    notice = scenario = None
    if slug := request.args.get("preset"):
        scenario = content().scenario.get(slug)
        if scenario is None:
            notice = _(
                "There is no scenario called “%(slug)s”, so the form starts empty.", slug=slug
            )
        else:
            data.update(scenario.preset)
    given = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k != "preset"])
    data.update(read_answers(given)[0])
    return _render_form(decision_form(questions, data), questions, notice=notice, scenario=scenario)


@bp.post("")
@post_limit
def submit() -> ResponseReturnValue:
    # Checked here rather than before every request, so that a post with a missing or stale
    # token has already counted against the rate limit.
    if current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()
    questions = _questions()
    answers, problems = read_answers(posted_answers())
    if problems:
        form = decision_form(questions, formdata=posted_answers())
        return _render_form(form, questions, 422, problems)
    result = recommend(answers, content().model)
    db.session.execute(
        INSERT_DECISION,
        {
            "version": VERSION,
            "answers": as_lists(result.answers),
            "framework": result.framework,
            "runner_up": result.runner_up,
        },
    )
    db.session.commit()
    return redirect(permalink(result.answers), 303)


def posted_answers() -> MultiDict[str, str]:
    """What the form posted, without its token."""
    return MultiDict([(k, v) for k, v in request.form.items(multi=True) if k != "csrf_token"])


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> tuple[str, int]:
    """A missing or stale token: give the reader's answers back, store nothing."""
    questions = _questions()
    notice = _(
        "Your answers were not sent: the form had expired or came from another page. "
        "They are filled in below; please submit again."
    )
    form = decision_form(questions, formdata=posted_answers())
    return _render_form(form, questions, 400, notice=notice)


def _not_saved(status: int, message: str, seconds: int) -> Response:
    """The posted answers come back in a form that sends them again, with the reason."""
    page = render_template("decide/not_saved.html", answers=posted_answers(), message=message)
    return errors.retry_later(make_response(page, status), seconds)


@bp.errorhandler(TooManyRequests)
def too_many(error: TooManyRequests) -> Response:
    seconds = errors.limit_reset_seconds()
    if request.method != "POST":
        # A result opened too often: its link is the reader's answers, and still works.
        said = _(
            "Too many results were opened from your address in a short time. This link keeps "
            "its answers: open it again in %(seconds)s seconds.",
            seconds=seconds,
        )
        return errors.too_many_requests(TooManyRequests(description=said))
    message = _("Too many answers came from your address in a short time, so these were not saved.")
    return _not_saved(429, message, seconds)


@bp.errorhandler(OperationalError)
@bp.errorhandler(InterfaceError)
@bp.errorhandler(InternalError)
def database_down(error: Exception) -> Response:
    if request.method != "POST":
        return errors.database_unavailable(error)
    errors.database_unavailable(error)  # logs and rolls back
    message = _("The guide cannot store anything just now, so your answers were not saved.")
    return _not_saved(503, message, current_app.config["RETRY_AFTER_SECONDS"])


def _result_context() -> dict[str, Any]:
    """Everything a result needs, or a 400 page that names the bad answers and keeps the rest.

    Keys the contract does not know (tracking tags other sites append) never break a shared
    link: the same permalink without them, in the contract's order, answers instead; so does
    a link made with the version-2 questions, its answers carried over, marked `from=v2`.
    """
    # A link of the earlier questions has their keys and none of today's but the one both
    # share; a stray old key in today's link is just an unknown key.
    keys = set(request.args)
    old, new = set(V2_ANSWERS) - set(ANSWERS), set(ANSWERS) - set(V2_ANSWERS)
    if keys & old and not keys & new:
        abort(redirect(_carried_over(), 301))
    known = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k in ANSWERS])
    answers, errors = read_answers(known)
    questions = content().question
    if errors:
        page = render_template(
            "decide/invalid.html",
            errors=errors,
            questions=questions,
            retry=answers_url("decide.form", answers),
        )
        abort(Response(page, 400))
    # The revision a permalink was made on is not an answer: kept, last, when it names one this
    # site loaded; then the page lists what changed since. Any other is dropped.
    rev, since = _revision()
    carried = request.args.get("from") == "v2"
    canonical = urlencode(
        query_pairs(answers) + [("rev", rev)] * bool(rev) + [("from", "v2")] * carried
    )
    if request.query_string.decode("latin-1") != canonical:
        abort(redirect(f"{request.script_root}{request.path}?{canonical}", 301))
    loaded = content()
    result = explain(recommend(answers, loaded.model), loaded.words)
    return {
        "result": result,
        "names": {f.slug: f.name for f in loaded.frameworks},
        "questions": questions,
        "permalink": permalink(result.answers, rev, external=True),
        "rev": rev or content_rev(),
        "since": since,
        "kinds": KINDS,
        "carried": carried,
        "multi": MULTI,
        "change": answers_url("decide.form", result.answers),
    }


def _revision() -> tuple[str, list[Any]]:
    """The revision a permalink was made on, and what changed since, when it names one this
    site loaded; otherwise nothing, and the link is sent on without it."""
    rev = request.args.get("rev", "")
    since = history.since(rev) if REV.fullmatch(rev) and rev != content_rev() else []
    if since is None or not REV.fullmatch(rev):
        return "", []
    return rev, since


def _carried_over() -> str:
    """Where a version-2 permalink's answers lead now: the version-3 permalink of the answers
    the contract maps them to, marked as carried over. Answers version 2 did not know are
    dropped, as its own links dropped them; a value it did not know leaves that answer out."""
    old = {
        key: value
        for key, value in request.args.items()
        if key in V2_ANSWERS and value in V2_ANSWERS[key]
    }
    rev = _revision()[0]
    kept = {"rev": rev} if rev else {}
    return answers_url(request.endpoint or "decide.result", from_v2(old), **kept, **{"from": "v2"})


# Results are not shared between processes, and a client's results that miss the worker's
# store are rate limited: version 3's answers make millions of valid permalinks, which a
# client could walk to push the content pages out of the stores.
@bp.get("/result")
@cached_page(WHOLE_QUERY, shared=False)
@result_limit
def result() -> str:
    context = _result_context()
    canonical = absolute_url("decide.result", **context["result"].answers)
    return render_template("decide/result.html", canonical_url=canonical, **context)


@bp.get("/result.md")
@cached_page(WHOLE_QUERY, shared=False, offers=False)
@result_limit
def record() -> Response:
    # A record is written now, on the guide as it is now, whatever revision the link named.
    context = _result_context()
    context.update(rev=content_rev(), permalink=permalink(context["result"].answers, external=True))
    return Response(
        render_template("decide/record.md", **context),
        mimetype="text/markdown",
        headers={
            "Content-Disposition": "attachment; "
            f'filename="decision-record-{context["result"].framework}.md"'
        },
    )
