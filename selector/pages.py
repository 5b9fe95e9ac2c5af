"""The page cache: each content page is rendered once per content revision, then served from
memory, with a strong ETag that answers a conditional GET without rendering or a query.

Two stores sit behind each other. Each process keeps pages under the exact request target
(scheme, host, path and raw query), which lets `FastPath` answer a repeat request before Flask
builds a request context; the shared cache (Redis when configured) keeps them under the
normalised query for every worker. A page's gzip bytes are made the first time a client asks
for them and stored beside the plain ones.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple
from urllib.parse import urlencode

from flask import Flask, Response, current_app, request
from werkzeug.http import parse_etags

from selector.http import (
    MIN_SIZE,
    accepts_gzip,
    access_log,
    access_record,
    new_request_id,
    security_headers,
)
from selector.snapshot import current_revision, fresh_revision, shared_get, shared_set

#: Content pages: browsers keep them a minute, shared caches five; the ETag revalidates after.
PAGE_CACHE_CONTROL = "public, max-age=60, s-maxage=300"
#: How many rendered pages each process keeps in front of the shared page cache.
LOCAL_PAGES = 256


class Page(NamedTuple):
    content_type: str
    disposition: str | None
    body: bytes
    #: None until a client that accepts gzip asks for the page (and always for small pages).
    zipped: bytes | None
    #: The strong ETag of the plain bytes; the gzip bytes add "-gz".
    tag: str

    def needs_zip(self) -> bool:
        return self.zipped is None and len(self.body) >= MIN_SIZE


class Store:
    """This process's pages by exact request target, the oldest dropped first when full."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.lock = threading.Lock()

    def put(self, key: str, page: Page) -> None:
        with self.lock:
            if key not in self.pages and len(self.pages) >= LOCAL_PAGES:
                self.pages.pop(next(iter(self.pages)), None)
            self.pages[key] = page


def local_key(environ: dict[str, Any], build: str, revision: str) -> str:
    # Raw, unnormalised target: a request for the same bytes of URL is the same page. Pages hold
    # absolute URLs, so scheme and host belong to the key; the build keeps a deploy's new templates
    # from being answered with old pages.
    return (
        f"{build}:{revision}:{environ['wsgi.url_scheme']}://{environ.get('HTTP_HOST', '')}"
        f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"
        f"?{environ.get('QUERY_STRING', '')}"
    )


def _store(app: Flask) -> Store:
    return app.extensions.setdefault("selector.pages", Store())


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
    return f"{tag}-gz" if accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")) else tag


def _validators(etag: str) -> list[tuple[str, str]]:
    return [
        ("ETag", f'"{etag}"'),
        ("Cache-Control", PAGE_CACHE_CONTROL),
        ("Vary", "Accept-Encoding"),
    ]


def representation(page: Page, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """The status, headers (without the ones every response shares) and body for this request."""
    etag = _etag(page.tag, environ)
    headers = _validators(etag)
    if _not_modified(environ, etag):
        return 304, headers, b""
    packed = etag != page.tag
    body = page.zipped if packed and page.zipped is not None else page.body
    headers.append(("Content-Type", page.content_type))
    if body is page.zipped:
        headers.append(("Content-Encoding", "gzip"))
    if page.disposition:
        headers.append(("Content-Disposition", page.disposition))
    return 200, headers, body


def cached_page(view: Callable[..., Any]) -> Callable[..., Response]:
    """Serve a content page from the page cache, rendering it only when no store holds it."""

    @functools.wraps(view)
    def wrapper(**kwargs: Any) -> Response:
        environ = request.environ
        build, revision = current_app.config["BUILD_ID"], current_revision()
        # Parameters in name order; a name's values keep theirs, since views read the first.
        query = urlencode(sorted(request.args.items(multi=True), key=lambda item: item[0]))
        target = f"{request.host}{request.script_root}{request.path}?{query}"
        shared = f"page:{build}:{revision}:{target}"
        tag = hashlib.sha256(shared.encode()).hexdigest()[:32]
        etag = _etag(tag, environ)
        if _not_modified(environ, etag):
            return Response(status=304, headers=_validators(etag))
        store = _store(current_app)
        key = local_key(environ, build, revision)
        page = store.pages.get(key) or shared_get(shared)
        if page is None:
            response = current_app.make_response(view(**kwargs))
            if response.status_code != 200:
                return response
            body = response.get_data()
            page = Page(
                response.content_type, response.headers.get("Content-Disposition"), body, None, tag
            )
            shared_set(shared, page)
        if etag != tag and page.needs_zip():
            page = page._replace(zipped=gzip.compress(page.body, 6, mtime=0))
            shared_set(shared, page)
        store.put(key, page)
        return _response(page, environ)

    return wrapper


def _response(page: Page, environ: dict[str, Any]) -> Response:
    status, headers, body = representation(page, environ)
    return Response(body, status=status, headers=headers)


class FastPath:
    """WSGI middleware: answer a GET for a page this process already holds without Flask.

    It answers only when the response would be the one Flask gives: the revision was read
    within the last second, and the page and the encoding asked for are stored. Pages are
    stored by scheme, and Flask redirects plain HTTP under FORCE_HTTPS before storing any,
    so such a request never finds one. Everything else goes on to the application.
    """

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.next = app.wsgi_app
        self.store = _store(app)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        started = time.perf_counter()
        page = self._page(environ)
        if page is None or (
            page.needs_zip() and accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
        ):
            # Flask renders, or makes the gzip bytes this client asks for, and stores them.
            return self.next(environ, start_response)
        status, headers, body = representation(page, environ)
        request_id = new_request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        secure = environ["wsgi.url_scheme"] == "https"
        if status == 200:
            # What werkzeug adds on the Flask path (and leaves off a 304).
            headers.append(("Content-Length", str(len(body))))
        start_response(
            "304 NOT MODIFIED" if status == 304 else "200 OK",
            [*headers, *security_headers(secure), ("X-Request-ID", request_id)],
        )
        access_log.info(
            access_record(
                environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), status, started, request_id
            )
        )
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]

    def _page(self, environ: dict[str, Any]) -> Page | None:
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return None
        revision = fresh_revision(self.app)
        if revision is None:
            return None
        return self.store.pages.get(local_key(environ, self.app.config["BUILD_ID"], revision))
