"""URLs more than one blueprint builds: result permalinks, absolute URLs, framework links.

Registered as template globals in the factory, so templates and views build them alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from flask import Flask, current_app, g, request, url_for

from selector import language
from selector.content.history import SHORT
from selector.content.loaded import Section
from selector.content.snapshot import NONE_LOADED, content, current_revision
from selector.engine.answers import Value


def content_rev() -> str | None:
    """The loaded content's revision as a permalink carries it, or None before any load."""
    revision = current_revision()
    return None if revision == NONE_LOADED else revision[:SHORT]


def permalink(answers: Mapping[str, Value], rev: str | None = None, external: bool = False) -> str:
    """The shareable result page for answers (already in the contract's key order), marked
    with the content revision it was made on: this one, unless rev names another."""
    values: dict[str, Any] = dict(answers)
    if rev := rev or content_rev():
        values["rev"] = rev
    if external:
        return absolute_url("decide.result", **values)
    return url_for("decide.result", **values)


def answers_url(endpoint: str, answers: Mapping[str, Value], **extra: Any) -> str:
    """A URL whose query holds answers: each value of a multi-valued answer as its own
    parameter, in the contract's order."""
    values: dict[str, Any] = {**answers, **extra}
    return url_for(endpoint, **values)


def compare_url(*slugs: str, diff: bool = False) -> str:
    """The compare page for some frameworks (all, when none are named) as it canonically reads:
    the frameworks in page order, once each, and `diff=on` only when set."""
    values: dict[str, Any] = {"f": [f.slug for f in content().frameworks if f.slug in slugs]}
    if diff:
        values["diff"] = "on"
    return url_for("article.compare", **values)


def absolute_url(endpoint: str, **values: Any) -> str:
    """An absolute URL on the configured SERVER_NAME (or, in development, the request's host)."""
    return url_for(
        endpoint, _external=True, _scheme=current_app.config["PREFERRED_URL_SCHEME"], **values
    )


def framework_url(slug: str) -> str:
    """The link every table repeats, built once per request and framework (url_for is costly)."""
    built: dict[str, str] = g.setdefault("framework_urls", {})
    if slug not in built:
        built[slug] = url_for("article.framework", slug=slug)
    return built[slug]


def section_url(section: Section, anchor: str = "") -> str:
    """Where a guide part is read: on its framework's page, on its own page, or in the guide;
    at one of its subheadings when anchor names one."""
    if section.framework_slug:
        return url_for(
            "article.framework", slug=section.framework_slug, _anchor=anchor or section.slug
        )
    if section.standalone:
        return url_for("article.part", slug=section.slug, _anchor=anchor or None)
    return url_for("article.guide", _anchor=anchor or section.slug)


def edition_path(lang: str) -> str:
    """This page in an edition, for the language switch and the offer line. A page the cache
    stores is rendered from the query its key holds (see cached_page), so a parameter someone
    adds never ends up in the links of a page everyone else is then served."""
    query = quote(request.query_string.decode("latin-1"), safe=language.QUERY_SAFE)
    return language.root(lang) + request.path + (f"?{query}" if query else "")


def register(app: Flask) -> None:
    app.add_template_global(absolute_url)
    app.add_template_global(compare_url)
    app.add_template_global(framework_url)
    app.add_template_global(section_url)
    app.add_template_global(edition_path)
