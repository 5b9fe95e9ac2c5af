"""Blueprint: the About page, in both editions: who keeps the guide, how it is made and checked,
its sources and licence, and where to report an error."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from selector.content.snapshot import content
from selector.edge.page_cache import cached_page

bp = Blueprint("about", __name__)


@bp.get("/about")
@cached_page()
def page() -> str:
    """Where to report an error (REPORT_URL) and the content's licence (CONTENT_LICENCE) are
    configuration, and either may be unset: the page then says so."""
    loaded = content()
    config = current_app.config
    return render_template(
        "about/page.html",
        sourced=[s for s in loaded.sections if s.sources],
        frameworks=loaded.frameworks,
        report_url=config["REPORT_URL"],
        licence=config["CONTENT_LICENCE"],
        licence_url=config["CONTENT_LICENCE_URL"],
        stale_after=config["STALE_AFTER_DAYS"],
    )
