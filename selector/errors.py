"""Error pages in the site's own layout; nothing about the failure reaches the reader."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException


def _page(error: HTTPException) -> tuple[str, int]:
    return render_template("errors/error.html", error=error), error.code or 500


def register(app: Flask) -> None:
    # Unhandled exceptions reach this too, as a 500, after Flask has logged them.
    app.register_error_handler(HTTPException, _page)
