"""Blueprint: what crawlers and link previews read: the sitemap, robots.txt, absolute URLs."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, render_template

from selector.content.snapshot import Snapshot, content
from selector.edge.page_cache import cached_page
from selector.web.urls import absolute_url

bp = Blueprint("site", __name__)


@bp.get("/sitemap.xml")
@cached_page(offers=False)
def sitemap() -> Response:
    loaded = content()
    frameworks, scenarios = loaded.frameworks, loaded.scenarios
    latest = max(
        [f.version_checked for f in frameworks] + [s.updated for s in scenarios],
        default=dt.date.today(),
    )
    pages = [
        (absolute_url("article.home"), latest),
        (absolute_url("article.guide"), latest),
        (absolute_url("article.compare"), latest),
        (absolute_url("matrix.index"), latest),
        (absolute_url("samples.index"), latest),
        (absolute_url("changes.index"), latest),
        (absolute_url("stats.index"), dt.date.today()),
        (absolute_url("about.page"), latest),
        *_item_pages(loaded, latest),
    ]
    xml = render_template("site/sitemap.xml", pages=pages)
    return Response(xml, mimetype="application/xml")


def _item_pages(loaded: Snapshot, latest: dt.date) -> list[tuple[str, dt.date]]:
    """Each item's page, with when what it states was last checked or run."""
    return [
        *(
            (absolute_url("article.framework", slug=f.slug), f.version_checked)
            for f in loaded.frameworks
        ),
        *((absolute_url("matrix.scenario", slug=s.slug), s.updated) for s in loaded.scenarios),
        *(
            (absolute_url("samples.task", slug=t.slug), max(s.ran_on for s in t.samples))
            for t in loaded.tasks
            if t.samples
        ),
        *(
            (absolute_url("article.part", slug=s.slug), s.checked or latest)
            for s in loaded.sections
            if s.standalone
        ),
    ]


@bp.get("/robots.txt")
@cached_page(offers=False)
def robots() -> Response:
    text = f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url('site.sitemap')}\n"
    return Response(text, mimetype="text/plain")
