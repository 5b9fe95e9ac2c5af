"""Error pages in the site's own layout; nothing about the failure itself reaches the reader."""

from __future__ import annotations

import contextlib
import time

from flask import Flask, current_app, jsonify, render_template, request
from flask.globals import request_ctx
from flask.wrappers import Response
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import InterfaceError, InternalError, OperationalError
from werkzeug.exceptions import HTTPException, ServiceUnavailable, TooManyRequests

from selector.content.snapshot import WordsMissing
from selector.edge.serving import request_id
from selector.extensions import db, limiter

#: Werkzeug's names of the errors the site answers, and the descriptions it gives them by default,
#: word for word: in the catalogue, so that a page in another edition says them in its language.
NAMES = {
    400: _l("Bad Request"),
    404: _l("Not Found"),
    405: _l("Method Not Allowed"),
    413: _l("Request Entity Too Large"),
    429: _l("Too Many Requests"),
    500: _l("Internal Server Error"),
    503: _l("Service Unavailable"),
}
DESCRIPTIONS = {
    400: _l("The browser (or proxy) sent a request that this server could not understand."),
    405: _l("The method is not allowed for the requested URL."),
    413: _l("The data value transmitted exceeds the capacity limit."),
}


def _wants_json() -> bool:
    # By path, not blueprint: a 404 or 405 under /api/ matched no API view.
    return request.path.startswith("/api/")


def _page(error: HTTPException) -> Response:
    status = error.code or 500
    if request_ctx.url_adapter is None:
        # An untrusted Host: no URL can be built for it, so no site page either.
        return error.get_response()  # type: ignore[return-value]
    if _wants_json():
        response = jsonify(errors={"request": [error.description or error.name]})
    else:
        description = error.description
        if status in DESCRIPTIONS and description == type(error).description:
            description = str(DESCRIPTIONS[status])
        page = render_template(
            "errors/error.html",
            error=error,
            name=str(NAMES.get(status, error.name)),
            description=description,
            request_id=request_id(),
        )
        response = current_app.make_response(page)
    response.status_code = status
    # Keep what the error itself says in headers, such as Allow on a 405.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


#: The database is away, full or read-only: nothing a reader did is wrong, so 503.
UNAVAILABLE = (OperationalError, InterfaceError, InternalError)


def retry_later(response: Response, seconds: int) -> Response:
    response.headers["Retry-After"] = str(max(1, seconds))
    return response


def limit_reset_seconds() -> int:
    """Seconds until the rate limit that was hit lets requests through again."""
    limit = limiter.current_limit
    return int(limit.reset_at - time.time()) if limit else 60


def database_unavailable(error: Exception) -> Response:
    """The database cannot be reached: say so and ask to come back shortly."""
    current_app.logger.warning("database unavailable: %s", type(error).__name__)
    with contextlib.suppress(*UNAVAILABLE):
        db.session.rollback()
    return retry_later(_page(ServiceUnavailable()), current_app.config["RETRY_AFTER_SECONDS"])


def not_loaded(error: WordsMissing) -> Response:
    current_app.logger.warning("%s", error)
    return retry_later(_page(ServiceUnavailable()), current_app.config["RETRY_AFTER_SECONDS"])


def too_many_requests(error: TooManyRequests) -> Response:
    return retry_later(_page(error), limit_reset_seconds())


def register(app: Flask) -> None:
    # Unhandled exceptions reach _page too, as a 500, after Flask has logged them.
    app.register_error_handler(HTTPException, _page)
    app.register_error_handler(TooManyRequests, too_many_requests)
    # Lost connections, missing tables, a full disk, a read-only database: not usable now.
    for error in UNAVAILABLE:
        app.register_error_handler(error, database_unavailable)
    # Content loaded without every edition's words: not ready until the next load.
    app.register_error_handler(WordsMissing, not_loaded)
