"""The edge: the one WSGI layer every response passes, whether stored or rendered.

It owns what all responses share: the HTTPS redirect, the request id, the security
headers, gzip and Content-Length, the access log, and the page-store lookup that
answers a repeat request without entering Flask. Flask behind it keeps the views;
`page_cache.cached_page` fills the store the edge reads. Because a stored page and a
rendered one leave through the same code, they get the same headers by construction.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.sansio.utils import host_is_trusted
from werkzeug.wsgi import get_current_url

from selector import language
from selector.edge import page_cache

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        # No script may run, so this allows nothing to readers; crawlers' audits (Lighthouse)
        # read /robots.txt with fetch() from the page and need it.
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Not no-referrer: CSRF checks over HTTPS compare the Referer with the host.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HSTS = "max-age=63072000; includeSubDomains"
COMPRESSIBLE = ("text/", "application/json", "application/xml")
#: The id a trusted proxy in front gives a request (nginx's $request_id is 32 hex digits).
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
#: Statuses that carry no body, and so no Content-Length.
BODILESS = (204, 304)

#: The security headers for plain HTTP, and over HTTPS with HSTS.
PLAIN_HEADERS = list(SECURITY_HEADERS.items())
SECURE_HEADERS = [*PLAIN_HEADERS, ("Strict-Transport-Security", HSTS)]

access_log = logging.getLogger("selector.access")
ACCESS_PATH_LIMIT = 2048
StartResponse = Callable[..., Any]
Headers = list[tuple[str, str]]
#: A response as the edge handles it: status, headers and the whole body.
Answer = tuple[int, Headers, bytes]


def request_id(environ: dict[str, Any], trust_proxy: bool) -> str:
    """The proxy's id when a trusted proxy sent one, so traces join up; otherwise a new one.

    A client reaching the app directly cannot choose the id its request is logged under.
    """
    given = environ.get("HTTP_X_REQUEST_ID", "")
    return given if trust_proxy and REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def access_record(method: str, path: str, status: int, started: float, request_id: str) -> str:
    """One JSON line per request: no query string, answers, address or user agent."""
    return json.dumps(
        {
            "method": method,
            # A hostile path could be tens of kilobytes; the start of it identifies the request.
            "path": path[:ACCESS_PATH_LIMIT],
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "request_id": request_id,
        }
    )


@functools.lru_cache(maxsize=64)
def _status_line(status: int) -> str:
    return f"{status} {HTTP_STATUS_CODES.get(status, 'UNKNOWN').upper()}"


class Edge:
    """WSGI middleware around Flask: every request in, every response out."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.flask = app.wsgi_app
        self.force_https = bool(app.config["FORCE_HTTPS"])
        self.server_name = app.config.get("SERVER_NAME")
        self.trust_proxy = app.config["PROXY_COUNT"] > 0
        self.trusted_hosts: list[str] | None = app.config.get("TRUSTED_HOSTS")
        app.extensions["selector.pages"] = page_cache.Store(app)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        method = environ["REQUEST_METHOD"]
        rid = environ["selector.request_id"] = request_id(environ, self.trust_proxy)
        secure = environ["wsgi.url_scheme"] == "https"
        answer = None
        bare = language.split(environ)
        if self.force_https and not secure:
            answer = self._to_https(environ)
        elif bare is not None:
            answer = 301, [("Location", bare)], b""
        elif self._host_trusted(environ):
            # A stored page is kept in the encoding asked for, so it needs no compressing.
            answer = page_cache.hit(self.app, environ)
        # Flask refuses a host it does not trust with a 400; no stored page skips that.
        status, headers, body = answer or _compressed(environ, *self._flask(environ))
        start_response(_status_line(status), _finished(status, headers, body, secure, rid))
        access_log.info(access_record(method, _path(environ), status, started, rid))
        return [] if method == "HEAD" else [body]

    def _host_trusted(self, environ: dict[str, Any]) -> bool:
        if not self.trusted_hosts:
            return True
        return host_is_trusted(environ.get("HTTP_HOST", ""), self.trusted_hosts)

    def _to_https(self, environ: dict[str, Any]) -> Answer:
        """The same address over HTTPS, on the configured host: whatever scheme or host the
        request claimed, the redirect leads nowhere else."""
        url = urlsplit(get_current_url(environ))
        host = self.server_name or url.netloc
        location = url._replace(scheme="https", netloc=host).geturl()
        # 308 keeps a POST a POST; 301 is what crawlers and the Observatory expect for pages.
        status = 301 if environ["REQUEST_METHOD"] in ("GET", "HEAD") else 308
        return status, [("Location", location)], b""

    def _flask(self, environ: dict[str, Any]) -> Answer:
        """Flask's response, read whole: pages and answers are small, and the edge must see
        every byte to compress it and to state its length."""
        # A HEAD is answered as a GET whose body is then left off, so that its headers
        # (Content-Length and Content-Encoding included) are the ones the GET gets.
        inner = (
            {**environ, "REQUEST_METHOD": "GET"} if environ["REQUEST_METHOD"] == "HEAD" else environ
        )
        answer: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer[:] = [int(status.split(" ", 1)[0]), list(headers)]
            return lambda data: None

        chunks = self.flask(inner, capture)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return answer[0], answer[1], body


def _path(environ: dict[str, Any]) -> str:
    return f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"


def _header(headers: Headers, name: str) -> str | None:
    lowered = name.lower()
    return next((value for key, value in headers if key.lower() == lowered), None)


def _without(headers: Headers, name: str) -> Headers:
    lowered = name.lower()
    return [(key, value) for key, value in headers if key.lower() != lowered]


def _compressed(environ: dict[str, Any], status: int, headers: Headers, body: bytes) -> Answer:
    """Gzip a text body for clients that accept it; small, bodiless or encoded ones stay."""
    if not _compressible(status, headers, body):
        return status, headers, body
    vary = {v.strip() for v in (_header(headers, "Vary") or "").split(",") if v.strip()}
    headers = [*_without(headers, "Vary"), ("Vary", ", ".join(sorted(vary | {"Accept-Encoding"})))]
    if not page_cache.accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")):
        return status, headers, body
    return status, [*headers, ("Content-Encoding", "gzip")], gzip.compress(body, 6, mtime=0)


def _compressible(status: int, headers: Headers, body: bytes) -> bool:
    """A whole text body, large enough to gain, not encoded already."""
    return not (
        status in BODILESS
        or status == 206
        or len(body) < page_cache.MIN_SIZE
        or _header(headers, "Content-Encoding") is not None
        or not (_header(headers, "Content-Type") or "").startswith(COMPRESSIBLE)
    )


def _finished(status: int, headers: Headers, body: bytes, secure: bool, rid: str) -> Headers:
    """What every response carries: its length, the security headers, its id."""
    done = _without(headers, "Content-Length")
    if status not in BODILESS:
        done.append(("Content-Length", str(len(body))))
    done += SECURE_HEADERS if secure else PLAIN_HEADERS
    done.append(("X-Request-ID", rid))
    return done
