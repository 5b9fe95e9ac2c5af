"""HTTP behaviour shared by every response: compression of text bodies."""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

COMPRESSIBLE = ("text/", "application/json", "application/xml")
MIN_SIZE = 1024


def compress(response: Response) -> Response:
    """Gzip a text body for clients that accept it; small and streamed bodies stay as they are."""
    if (
        response.direct_passthrough
        or response.status_code < 200
        or "Content-Encoding" in response.headers
        or not (response.mimetype or "").startswith(COMPRESSIBLE)
        or "gzip" not in request.accept_encodings
    ):
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def register(app: Flask) -> None:
    app.after_request(compress)
