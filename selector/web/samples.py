"""Blueprint: the code samples, the same tasks in every framework, and their source files."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from selector.content.schemas import SAMPLE_CODE
from selector.content.snapshot import content
from selector.edge.page_cache import cached_page

bp = Blueprint("samples", __name__)


@bp.get("/samples")
@cached_page()
def index() -> str:
    return render_template("samples/index.html", tasks=content().tasks)


@bp.get("/samples/<slug>")
@cached_page()
def task(slug: str) -> str:
    loaded = content()
    chosen = loaded.task.get(slug) or abort(404)
    return render_template("samples/task.html", task=chosen, tasks=loaded.tasks)


@bp.get("/samples/<slug>/<framework>/<name>")
@cached_page(offers=False)
def source(slug: str, framework: str, name: str) -> Response:
    """One file as plain text, to read or save exactly as the tests ran it."""
    chosen = content().task.get(slug) or abort(404)
    if name not in SAMPLE_CODE:
        abort(404)
    sample = next((s for s in chosen.samples if s.framework.slug == framework), None) or abort(404)
    text = next(f["text"] for f in sample.files if f["name"] == name)
    return Response(text, mimetype="text/plain")
