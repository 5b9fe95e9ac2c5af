"""How Flask serves, behind the edge: hashed static URLs and their cache headers, a session
cookie only when one is sent, request ids in log lines, and the build id of this code."""

from __future__ import annotations

import hashlib
import logging
import sys
from pathlib import Path
from typing import Any

from flask import Flask, Request, Response, has_request_context, request
from flask.logging import default_handler
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from selector.edge.middleware import access_log

STATIC_CACHE_CONTROL = "public, max-age=31536000, immutable"


class SessionOnlyWhenSent(SecureCookieSessionInterface):
    """Flask's signed-cookie session, without building a signer for requests that carry no cookie."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def request_id() -> str:
    """The id the edge gave this request; log lines and the 500 page name it."""
    return request.environ.get("selector.request_id", "-") if has_request_context() else "-"


class RequestIdFilter(logging.Filter):
    """Stamp every log record with the id of the request it belongs to."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


def static_versions(app: Flask) -> dict[str, str]:
    """A short content hash for each static file, read once at start-up."""
    folder = Path(app.static_folder or "")
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in folder.rglob("*")
        if path.is_file()
    }


def configure_logging(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    if not access_log.handlers:
        access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    access_log.propagate = False
    app.logger.addFilter(RequestIdFilter())
    # Flask-Limiter's records reach default_handler without passing app.logger's filter, so
    # each handler stamps the id as well.
    for handler in {default_handler, *app.logger.handlers}:
        if not any(isinstance(f, RequestIdFilter) for f in handler.filters):
            handler.addFilter(RequestIdFilter())
        handler.setFormatter(
            logging.Formatter("%(levelname)s request_id=%(request_id)s %(message)s")
        )
    # Flask-Limiter says when its store fails and it counts in memory instead; by itself
    # its logger has nowhere to write, and an operator would never learn of it.
    limits = logging.getLogger("flask-limiter")
    if default_handler not in limits.handlers:
        limits.addHandler(default_handler)
    limits.setLevel(logging.WARNING)


def build_id(app: Flask) -> str:
    """A hash of the code and templates this process serves, read once at start-up."""
    package = Path(__file__).parent.parent
    files = package / "content" / "files"
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (
            ".py",
            ".html",
            ".xml",
            ".md",
            ".css",
            ".svg",
        ) and not path.is_relative_to(files):
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
        # Only a file that exists, asked for with its current hash, may be kept a year.
        filename = (request.view_args or {}).get("filename")
        if (
            request.endpoint == "static"
            and response.status_code == 200
            and filename in versions
            and request.args.get("v") == versions[filename]
        ):
            response.headers["Cache-Control"] = STATIC_CACHE_CONTROL
        return response

    configure_logging(app)
