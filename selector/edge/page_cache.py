"""The page cache: each content page is rendered once per content revision, then served from
memory, with a strong ETag that answers a conditional GET without rendering or a query.

A page's key is canonical: the configured host (not whatever Host or port a client sends),
the path, and only the query parameters the view declares, sorted by name. The view is
rendered from that query alone (see cached_page), so no page can depend on a parameter its
key leaves out, and tracking tags and junk parameters never make a new entry, here or in the
shared cache. Each process keeps pages in a bounded store that the edge reads before Flask;
the shared cache (Redis when configured) keeps them for every worker. A page's gzip bytes
are made the first time a client asks for them and stored beside the plain ones.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlencode

from flask import Flask, Response, current_app, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_accept_header, parse_etags
from werkzeug.routing import RequestRedirect

from selector import language
from selector.content import freshness
from selector.content.snapshot import current_revision, fresh_revision
from selector.shared_cache import shared_get, shared_set

#: Content pages: browsers keep them a minute, shared caches five; the ETag revalidates after.
PAGE_CACHE_CONTROL = "public, max-age=60, s-maxage=300"
#: How many rendered pages each process keeps; the oldest goes first.
LOCAL_PAGES = 256
#: How many pages keyed by free text (searches) it keeps besides.
FREE_TEXT_PAGES = 128
#: Paths and queries longer than this are not remembered by the memo caches.
MEMO_LIMIT = 2048
#: Bodies smaller than this are not worth compressing.
MIN_SIZE = 1024
#: For a view that answers any query but its canonical one with a redirect: the whole query
#: is the key, and only the canonical one (answered 200) is ever stored.
WHOLE_QUERY = "*"


class Rule(NamedTuple):
    """How a view's pages are kept: the query parameters it takes, and for pages of figures
    that change without a content load, how many seconds one is kept (None: per revision)."""

    params: tuple[str, ...]
    period: int | None
    #: False for pages keyed by free text (a search): kept only in this process's bounded
    #: store, so that a flood of unique queries cannot fill the shared cache.
    shared: bool
    #: Whether the English edition's page carries the line that offers the Japanese one (HTML
    #: pages do; feeds, files and JSON do not), and so is kept once for each.
    offers: bool


class Page(NamedTuple):
    content_type: str
    disposition: str | None
    body: bytes
    #: None until a client that accepts gzip asks for the page (and always for small pages).
    zipped: bytes | None
    #: The strong ETag of the plain bytes; the gzip bytes add "-gz".
    tag: str
    cache_control: str
    vary: str

    def needs_zip(self) -> bool:
        return self.zipped is None and len(self.body) >= MIN_SIZE


class Store:
    """This process's pages by canonical key, and which query parameters each path's view takes.

    Pages keyed by free text (searches) are kept apart, in a smaller store of their own, so
    that a flood of one-off searches cannot push the content pages out.
    """

    def __init__(self, app: Flask) -> None:
        #: Least recently read first: a page read often stays while one-off pages pass through.
        self.pages: OrderedDict[str, Page] = OrderedDict()
        self.free_text: OrderedDict[str, Page] = OrderedDict()
        self.lock = threading.Lock()
        self.rule = functools.lru_cache(maxsize=512)(functools.partial(_view_rule, app))

    def get(self, key: str) -> Page | None:
        for pages in (self.pages, self.free_text):
            page = pages.get(key)
            if page is not None:
                with contextlib.suppress(KeyError):  # another thread may have just evicted it
                    pages.move_to_end(key)
                return page
        return None

    def put(self, key: str, page: Page, free_text: bool = False) -> None:
        pages, limit = (self.free_text, FREE_TEXT_PAGES) if free_text else (self.pages, LOCAL_PAGES)
        with self.lock:
            if key in pages:
                pages.move_to_end(key)
            elif len(pages) >= limit:
                pages.popitem(last=False)
            pages[key] = page


def _view_rule(app: Flask, script_name: str, path: str) -> Rule | None:
    """How the view at path keeps its pages, or None when it serves no cached page."""
    try:
        endpoint, _ = app.url_map.bind("", script_name=script_name).match(path, method="GET")
    except (HTTPException, RequestRedirect):
        return None
    rule: Rule | None = getattr(app.view_functions.get(endpoint), "cache_rule", None)
    return rule


def store(app: Flask) -> Store:
    """The app's page store; the edge makes it when it wraps the app."""
    pages: Store = app.extensions["selector.pages"]
    return pages


def page_key(app: Flask, environ: dict[str, Any], revision: str, rule: Rule) -> str:
    """The canonical key: build, revision, day (or period), scheme, configured host, path, and
    the view's own parameters as the view is given them (see cached_page)."""
    query = canonical_query(environ.get("QUERY_STRING", ""), rule.params)
    period = f".{int(time.time() // rule.period)}" if rule.period else ""
    host = app.config.get("SERVER_NAME") or environ.get("HTTP_HOST", "")
    # A reader of the English edition whose browser prefers Japanese sees a line offering it.
    offer = f"+{offered}" if rule.offers and (offered := language.offer(environ)) else ""
    # The day is part of the key: pages say how many days ago their facts were checked.
    return (
        f"{app.config['BUILD_ID']}:{revision}:{freshness.today().isoformat()}{period}:"
        f"{environ['wsgi.url_scheme']}://{host}"
        f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}?{query}{offer}"
    )


@functools.lru_cache(maxsize=64)
def accepts_gzip(accept_encoding: str) -> bool:
    # Quality 0 means "not this one"; "*" with a quality above 0 admits gzip.
    return parse_accept_header(accept_encoding)["gzip"] > 0


def canonical_query(raw: str, params: tuple[str, ...]) -> str:
    """The query as the view is given it, and as the key holds it."""
    # A flood of long, unique queries must not fill the memo: those are worked out each time.
    canonical = _canonical_query if len(raw) <= MEMO_LIMIT else _canonical_query.__wrapped__
    return canonical(raw, params)


@functools.lru_cache(maxsize=1024)
def _canonical_query(raw: str, params: tuple[str, ...]) -> str:
    if params == (WHOLE_QUERY,) or not raw:
        return raw
    # Decoded as Flask decodes request.args (bytes that are not UTF-8 stay percent-encoded),
    # so that two queries Flask reads differently never share a page.
    query = parse_qsl(
        raw.encode("latin-1").decode("utf-8", "werkzeug.url_quote"),
        keep_blank_values=True,
        errors="werkzeug.url_quote",
    )
    return urlencode(_given_to_the_view(query, params))


def _given_to_the_view(
    query: list[tuple[str, str]], params: tuple[str, ...]
) -> list[tuple[str, str]]:
    """The parameters as the view is given them, in name order: the first value of a name, or
    for a list parameter (marked "name*") its values once each, in the order given. Repeats
    and extra values then cannot make new entries."""
    read: list[tuple[str, str]] = []
    for param in sorted(params):
        name = param.rstrip("*")
        values = [value for key, value in query if key == name]
        kept = list(dict.fromkeys(values)) if param.endswith("*") else values[:1]
        read += [(name, value) for value in kept]
    return read


def _accepts_gzip(environ: dict[str, Any]) -> bool:
    return accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))


def _not_modified(environ: dict[str, Any], etag: str) -> bool:
    given = environ.get("HTTP_IF_NONE_MATCH")
    if not given:
        return False
    tags = parse_etags(given)
    # Weak comparison, as RFC 9110 asks: caches in front may weaken the tag when they compress.
    # "*" would also match a page that does not exist, so it is left to the view.
    return not tags.star_tag and tags.contains_weak(etag)


def _etag(tag: str, environ: dict[str, Any]) -> str:
    # Each encoding is its own representation, so each has its own strong ETag.
    return f"{tag}-gz" if _accepts_gzip(environ) else tag


def _cache_control(rule: Rule) -> str:
    # A page kept for a period is not kept longer anywhere else.
    return f"public, max-age={rule.period}" if rule.period else PAGE_CACHE_CONTROL


def _vary(rule: Rule, environ: dict[str, Any]) -> str:
    if rule.offers and language.varies(environ):
        return "Accept-Encoding, Accept-Language"
    return "Accept-Encoding"


def _validators(etag: str, cache_control: str, vary: str) -> list[tuple[str, str]]:
    return [("ETag", f'"{etag}"'), ("Cache-Control", cache_control), ("Vary", vary)]


def representation(page: Page, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """The status, headers (without the ones the edge adds to all) and body for this request."""
    etag = _etag(page.tag, environ)
    headers = _validators(etag, page.cache_control, page.vary)
    if _not_modified(environ, etag):
        return 304, headers, b""
    body = page.zipped if etag != page.tag and page.zipped is not None else page.body
    headers.append(("Content-Type", page.content_type))
    if body is page.zipped:
        headers.append(("Content-Encoding", "gzip"))
    if page.disposition:
        headers.append(("Content-Disposition", page.disposition))
    return 200, headers, body


def hit(app: Flask, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """The stored answer to a GET or HEAD, when this process holds it for the current revision
    in the encoding asked for; None sends the request on to Flask."""
    if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
        return None
    revision = fresh_revision(app)
    if revision is None:
        return None
    pages = store(app)
    path = environ.get("PATH_INFO", "")
    if len(path) > MEMO_LIMIT:
        return None  # no page has such a path; remembering it would only fill the memo
    rule = pages.rule(environ.get("SCRIPT_NAME", ""), path)
    if rule is None:
        return None
    page = pages.get(page_key(app, environ, revision, rule))
    if page is None or (page.needs_zip() and _accepts_gzip(environ)):
        # Flask renders, or makes the gzip bytes this client asks for, and stores them.
        return None
    return representation(page, environ)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def _keep_here(*args: Any) -> None:
    """Neither read nor write the shared cache."""


def _keep_only(query: str) -> None:
    """Leave the request holding only the query its page's key holds. The view, the helpers
    it calls, its templates and its error pages read the query from request.args or
    request.query_string (and full_path and url, made from it): none of them can see a
    parameter the view did not declare, so none can make the page depend on one."""
    if request.query_string.decode("latin-1") == query:
        return
    request.query_string = query.encode("ascii")
    request.args = ImmutableMultiDict(parse_qsl(query, keep_blank_values=True))


def cached_page(
    *params: str, period: int | None = None, shared: bool = True, offers: bool = True
) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    """Serve a content page from the page cache, rendering it only when no store holds it.

    params names the query parameters the view reads (the first value of each; "name*" for a
    list the view reads whole, once each value). The key holds those values, and the view is
    rendered from a request whose query holds them and nothing else: a parameter or value not
    declared is not there for the view to read, so it neither makes a new entry nor changes
    the page, and a view cannot read a parameter its key leaves out. WHOLE_QUERY keys by, and
    renders from, the exact query, for views that redirect every query but their canonical
    one. A page of figures that change between content loads names the period, in seconds, for
    which one rendering serves; one keyed by free text is not shared between processes. What is
    not an HTML page (a feed, a file, JSON) says so with offers=False: it carries no offer line
    to vary by.
    """
    rule = Rule(params, period, shared, offers)
    share = shared_set if shared else _keep_here
    look_up = shared_get if shared else _keep_here

    def decorate(view: Callable[..., Any]) -> Callable[..., Response]:
        @functools.wraps(view)
        def wrapper(**kwargs: Any) -> Response:
            environ = request.environ
            key = page_key(current_app, environ, current_revision(), rule)
            pages = store(current_app)
            page = pages.get(key) or look_up(key)
            # A content page's tag follows from its key, so a 304 needs no page at hand. A page
            # of figures is tagged by its bytes: two workers may draw one period differently.
            tag = page.tag if page else None if period else _digest(key.encode())
            if tag and _not_modified(environ, _etag(tag, environ)):
                etag = _etag(tag, environ)
                headers = _validators(etag, _cache_control(rule), _vary(rule, environ))
                return Response(status=304, headers=headers)
            if page is None:
                _keep_only(canonical_query(environ.get("QUERY_STRING", ""), rule.params))
                response = current_app.make_response(view(**kwargs))
                if response.status_code != 200:
                    return response
                body = response.get_data()
                page = Page(
                    response.content_type,
                    response.headers.get("Content-Disposition"),
                    body,
                    None,
                    tag or _digest(body),
                    _cache_control(rule),
                    _vary(rule, environ),
                )
                share(key, page)
            if _etag(page.tag, environ) != page.tag and page.needs_zip():
                page = page._replace(zipped=gzip.compress(page.body, 6, mtime=0))
                share(key, page)
            pages.put(key, page, free_text=not shared)
            status, headers, body = representation(page, environ)
            return Response(body, status=status, headers=headers)

        wrapper.cache_rule = rule  # type: ignore[attr-defined]
        return wrapper

    return decorate
