"""Blueprint: what changed in the guide, as a page and as Atom feeds (the whole site, each
framework, each scenario)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Container
from typing import Any
from urllib.parse import urljoin

from flask import Blueprint, Flask, Response, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from selector import language
from selector.content.history import KINDS, note, recent, title
from selector.content.snapshot import content
from selector.edge.page_cache import cached_page
from selector.extensions import db
from selector.language import gettext as _
from selector.models import ContentChange, ContentRevision
from selector.web.urls import absolute_url, section_url

bp = Blueprint("changes", __name__)


def utc(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back the stored UTC time without its zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def rfc3339(moment: dt.datetime) -> str:
    return utc(moment).isoformat(timespec="seconds")


def register(app: Flask) -> None:
    app.add_template_global(item_url)
    app.add_template_filter(rfc3339)
    app.add_template_filter(note, "change_note")
    app.add_template_filter(item_title, "change_title")
    app.add_template_global(entry_id)


def item_title(change: ContentChange) -> str:
    """The changed item's title as the page's edition words it now; one removed since keeps
    the title it was recorded with."""
    loaded = content()
    kinds: dict[str, dict[str, Any]] = {
        "framework": loaded.framework,
        "scenario": loaded.scenario,
        "part": loaded.section,
        "sample": loaded.task,
    }
    item = kinds.get(change.kind, {}).get(change.slug)
    if item is None:
        return title(change.title)
    return str(item.name if change.kind == "framework" else item.title)


def entry_id(change: ContentChange) -> str:
    """The Atom id of a change in the page's edition: the English one as recorded, another
    edition's derived from it, so that the entries of the two feeds are never merged."""
    if language.current() == language.DEFAULT:
        return f"urn:uuid:{change.uid}"
    return uuid.uuid5(uuid.UUID(change.uid), language.current()).urn


def item_url(change: ContentChange) -> str:
    """Where the changed item is read now; a removed one has only its entry on /changes."""
    return _item_url(change.kind, change.slug) or url_for(
        "changes.index", _anchor=f"change-{change.id}"
    )


def _item_url(kind: str, slug: str) -> str | None:
    """The page of a loaded item of a kind, if it is still loaded."""
    loaded = content()
    if kind == "comparison":
        return url_for("article.compare")
    if kind == "questions":
        return url_for("decide.form")
    if kind == "part":
        return section_url(loaded.section[slug]) if slug in loaded.section else None
    pages: dict[str, tuple[str, Container[str]]] = {
        "framework": ("article.framework", loaded.framework),
        "scenario": ("matrix.scenario", loaded.scenario),
        "sample": ("samples.task", loaded.task),
    }
    endpoint, items = pages.get(kind, ("", ()))
    return url_for(endpoint, slug=slug) if slug in items else None


def _feed(title: str, page: str, kind: str | None = None, slug: str | None = None) -> Response:
    """The Atom feed at this request's URL: the changes of one item, or of the whole site."""
    changes = recent(kind, slug)
    # With no entries yet, the feed is as new as the content it describes.
    loaded_at = db.session.scalar(select(ContentRevision.loaded_at))
    newest = changes[0].recorded_at if changes else loaded_at or dt.datetime.now(dt.UTC)
    xml = render_template(
        "changes/feed.xml",
        title=title,
        changes=changes,
        feed=absolute_url(request.endpoint or "changes.feed", **(request.view_args or {})),
        page=page,
        updated=utc(newest),
        links={c.id: urljoin(absolute_url("article.home"), item_url(c)) for c in changes},
    )
    return Response(xml, mimetype="application/atom+xml")


@bp.get("/changes")
@cached_page()
def index() -> str:
    return render_template("changes/index.html", changes=recent(), kinds=KINDS)


@bp.get("/changes.atom")
@cached_page(offers=False)
def feed() -> Response:
    return _feed(_("selector: what changed in the guide"), absolute_url("changes.index"))


@bp.get("/frameworks/<slug>/changes.atom")
@cached_page(offers=False)
def framework_feed(slug: str) -> Response:
    name = (content().framework.get(slug) or abort(404)).name
    page = absolute_url("article.framework", slug=slug)
    return _feed(_("selector: what changed about %(name)s", name=name), page, "framework", slug)


@bp.get("/scenarios/<slug>/changes.atom")
@cached_page(offers=False)
def scenario_feed(slug: str) -> ResponseReturnValue:
    loaded = content()
    if slug in loaded.aliases:  # a renamed scenario's old address, as its page does
        return redirect(url_for("changes.scenario_feed", slug=loaded.aliases[slug]), 301)
    title = (loaded.scenario.get(slug) or abort(404)).title
    page = absolute_url("matrix.scenario", slug=slug)
    return _feed(_("selector: what changed in “%(title)s”", title=title), page, "scenario", slug)
