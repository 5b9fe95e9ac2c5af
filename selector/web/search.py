"""Blueprint: /search over the guide, the framework pages, the scenarios and the code samples,
and the OpenSearch description that lets a browser add it."""

from __future__ import annotations

from itertools import groupby

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from werkzeug.exceptions import TooManyRequests

from selector import language
from selector.content.snapshot import content
from selector.edge.page_cache import cached_page
from selector.extensions import limiter
from selector.language import gettext as _
from selector.language import ngettext
from selector.schemas import SEARCH_MAX, SearchQuery, printable
from selector.search.index import Hit, index
from selector.search.query import terms
from selector.web import errors
from selector.web.urls import absolute_url, section_url

bp = Blueprint("search", __name__)
QUERY = SearchQuery()
#: Each kind of passage under its heading on the results page.
KINDS = {
    "part": _l("In the guide"),
    "framework": _l("Framework pages"),
    "scenario": _l("Scenarios"),
    "sample": _l("Code samples"),
}
#: What a passage belongs to, when it is a whole page (a subsection names its part, a
#: framework's code its framework).
CONTEXTS = {
    "part": _l("Guide"),
    "framework": _l("Framework"),
    "scenario": _l("Scenario"),
    "sample": _l("Code sample"),
}
#: The most of a refused query a page gives back.
ECHO_LIMIT = 2000
#: What an empty search page offers to try, in words the page's edition uses.
EXAMPLES = (
    _l("websockets"),
    _l("admin"),
    _l("migrations"),
    _l("type hints"),
    _l("background jobs"),
)


def hit_url(hit: Hit) -> str:
    """The page, and the place on it, where a passage is read."""
    if hit.kind == "part":
        return section_url(content().section[hit.slug], hit.anchor)
    if hit.kind == "framework":
        return url_for("article.framework", slug=hit.slug)
    if hit.kind == "scenario":
        return url_for("matrix.scenario", slug=hit.slug)
    return url_for("samples.task", slug=hit.slug, _anchor=hit.anchor or None)


def context_of(hit: Hit) -> str:
    return hit.context or str(CONTEXTS[hit.kind])


def _grouped(hits: list[Hit]) -> list[tuple[str, list[Hit]]]:
    """Hits by kind, each kind's best first; the kinds in the order of their best hit."""
    order = {kind: rank for rank, kind in reversed(list(enumerate(h.kind for h in hits)))}
    ranked = sorted(hits, key=lambda h: order[h.kind])
    return [
        (str(KINDS[kind]), list(group)) for kind, group in groupby(ranked, key=lambda h: h.kind)
    ]


def _page(query: str, status: int = 200, problem: str = "", **found: object) -> tuple[str, int]:
    page = render_template(
        "search/results.html",
        query=query,
        problem=problem,
        examples=[str(example) for example in EXAMPLES],
        **found,
    )
    return page, status


@bp.get("/search")
@cached_page("q", shared=False)
@limiter.limit(lambda: current_app.config["SEARCH_RATE_LIMIT"])
def results() -> tuple[str, int]:
    given = request.args.get("q", "")
    try:
        query = QUERY.load({"q": given})["q"].strip()
    except ValidationError as error:
        # The reader's words stay in the box to be shortened (as much of them as anyone types).
        messages: dict[str, list[str]] = error.messages  # type: ignore[assignment]
        return _page(printable(given[:ECHO_LIMIT]), 400, " ".join(messages["q"]))
    if not query:
        return _page("")
    lang = language.current()
    words = terms(query, lang)
    if not words:
        return _page(
            query,
            problem=_(
                "Type a word to look for: words such as “the” or “how” are "
                "left out, and so are signs."
            ),
        )
    searched = index(lang)
    hits, total = searched.find(words)
    suggestion = None if hits else searched.suggestion(words)
    return _page(
        query,
        hits=total,
        shown=len(hits),
        groups=_grouped(hits),
        suggestion=" ".join(suggestion) if suggestion else None,
        hit_url=hit_url,
        context_of=context_of,
    )


@bp.errorhandler(TooManyRequests)
def too_many(error: TooManyRequests) -> Response:
    """The reader's words stay in the box, with when to try again."""
    seconds = errors.limit_reset_seconds()
    problem = ngettext(
        "Too many searches came from your address in a short time: "
        "please search again in %(num)s second.",
        "Too many searches came from your address in a short time: "
        "please search again in %(num)s seconds.",
        seconds,
    )
    page, status = _page(printable(request.args.get("q", "")[:ECHO_LIMIT]), 429, problem)
    return errors.retry_later(make_response(page, status), seconds)


def register(app: Flask) -> None:
    # The header's box on every page and this page's own box hold as much as a search may.
    app.jinja_env.globals["search_max"] = SEARCH_MAX


@bp.get("/opensearch.xml")
@cached_page(offers=False)
def opensearch() -> Response:
    xml = render_template(
        "search/opensearch.xml",
        template=absolute_url("search.results") + "?q={searchTerms}",
        page=absolute_url("search.results"),
        icon=language.in_edition(absolute_url("static", filename="favicon.svg"), language.DEFAULT),
    )
    return Response(xml, mimetype="application/opensearchdescription+xml")
