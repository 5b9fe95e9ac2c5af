"""HTTP behaviour the responses share: security headers, HTTPS, request ids, access log,
gzip and hashed static URLs."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import logging
import re
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from flask import Flask, Request, Response, current_app, g, has_request_context, redirect, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.http import parse_accept_header

from selector.extensions import limiter

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
MIN_SIZE = 1024
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

STATIC_CACHE_CONTROL = "public, max-age=31536000, immutable"

access_log = logging.getLogger("selector.access")
# Only POSTs are rate limited; skipping the limiter's bookkeeping on reads saves a fifth of a hit.
limiter.request_filter(lambda: request.method != "POST")


class SessionOnlyWhenSent(SecureCookieSessionInterface):
    """Flask's signed-cookie session, without building a signer for requests that carry no cookie."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def request_id() -> str:
    return g.get("request_id", "-") if has_request_context() else "-"


class RequestIdFilter(logging.Filter):
    """Stamp every log record with the id of the request it belongs to."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


def new_request_id(given: str) -> str:
    """The caller's X-Request-ID when it is a plain token, so traces join up; else a new one."""
    return given if REQUEST_ID.match(given) else uuid.uuid4().hex


@functools.lru_cache(maxsize=64)
def accepts_gzip(accept_encoding: str) -> bool:
    # Quality 0 means "not this one"; "*" with a quality above 0 admits gzip.
    return parse_accept_header(accept_encoding)["gzip"] > 0


def security_headers(secure: bool) -> list[tuple[str, str]]:
    headers = list(SECURITY_HEADERS.items())
    if secure:
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


def access_record(method: str, path: str, status: int, started: float, request_id: str) -> str:
    """One JSON line per request: no query string, answers, address or user agent."""
    return json.dumps(
        {
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "request_id": request_id,
        }
    )


def start() -> Response | None:
    g.request_id = new_request_id(request.headers.get("X-Request-ID", ""))
    g.started = time.perf_counter()
    if current_app.config["FORCE_HTTPS"] and not request.is_secure:
        # 308 keeps a POST a POST; 301 is what crawlers and the Observatory expect for pages.
        status = 301 if request.method in ("GET", "HEAD") else 308
        return redirect(request.url.replace("http://", "https://", 1), status)
    return None


def secure(response: Response) -> Response:
    response.headers.extend(security_headers(request.is_secure))
    response.headers["X-Request-ID"] = request_id()
    return response


def static_versions(app: Flask) -> dict[str, str]:
    """A short content hash for each static file, read once at start-up."""
    folder = Path(app.static_folder or "")
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in folder.rglob("*")
        if path.is_file()
    }


def compress(response: Response) -> Response:
    """Gzip a text body for clients that accept it; small and streamed bodies stay as they are."""
    if (
        response.direct_passthrough
        or response.status_code < 200
        or "Content-Encoding" in response.headers
        or not (response.mimetype or "").startswith(COMPRESSIBLE)
        or not accepts_gzip(request.headers.get("Accept-Encoding", ""))
    ):
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def log_request(response: Response) -> Response:
    started = g.get("started", time.perf_counter())
    access_log.info(
        access_record(request.method, request.path, response.status_code, started, request_id())
    )
    return response


def configure_logging(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    if not access_log.handlers:
        access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    access_log.propagate = False
    app.logger.addFilter(RequestIdFilter())
    for existing in app.logger.handlers:
        existing.setFormatter(
            logging.Formatter("%(levelname)s request_id=%(request_id)s %(message)s")
        )


def build_id(app: Flask) -> str:
    """A hash of the code and templates this process serves, read once at start-up."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if (
            path.suffix in (".py", ".html", ".xml", ".md", ".css", ".svg")
            and "content" not in path.parts
        ):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def register(app: Flask) -> None:
    app.session_interface = SessionOnlyWhenSent()
    app.config["BUILD_ID"] = build_id(app)
    versions = static_versions(app)

    @app.url_defaults
    def version_static(endpoint: str, values: dict[str, Any]) -> None:
        # The content hash in the URL lets browsers keep static files for a year.
        if endpoint == "static" and values.get("filename") in versions:
            values.setdefault("v", versions[values["filename"]])

    @app.after_request
    def cache_static(response: Response) -> Response:
        if request.endpoint == "static" and request.args.get("v") == versions.get(
            (request.view_args or {}).get("filename", "")
        ):
            response.headers["Cache-Control"] = STATIC_CACHE_CONTROL
        return response

    app.before_request(start)
    # after_request runs in reverse order: compress, then add headers, then log.
    app.after_request(log_request)
    app.after_request(secure)
    app.after_request(compress)
    configure_logging(app)
