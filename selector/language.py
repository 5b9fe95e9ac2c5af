"""The two editions: English at the root, Japanese under /ja/, the same pages at the same paths.

The edge moves a leading /ja from PATH_INFO to SCRIPT_NAME, so every view, route and
url_for works unchanged and every URL Flask builds on a Japanese page stays Japanese; the
page cache keys on SCRIPT_NAME, so each edition keeps its own pages and ETags. The language
comes from the URL alone, never from Accept-Language: a shared link shows what its sender saw.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import flask_babel
from babel.dates import format_date, format_datetime
from flask import Flask, Response, abort, has_request_context, request, url_for
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from selector.extensions import babel

DEFAULT = "en"
#: Each edition and the path prefix it lives under.
PREFIXES = {"en": "", "ja": "/ja"}
LANGUAGES = tuple(PREFIXES)
#: Each edition's name in its own language, for the switch.
NAMES = {"en": "English", "ja": "日本語"}
#: The line that offers an edition to a reader of another whose browser prefers it, in the
#: offered edition's language (the page around it is in the other).
OFFERS = {"ja": "このページは日本語でも読めます"}
#: What goes between two sentences, or a sentence and what follows it: Japanese needs no
#: space after its own punctuation.
GAPS = {"en": " ", "ja": ""}
#: OpenGraph's locale for each edition.
OG_LOCALES = {"en": "en_GB", "ja": "ja_JP"}
#: What is the same in both editions and so has one address, at the root.
LANGUAGE_FREE = ("static", "api.", "health.", "site.")
#: How a day is written in each edition: 26 November 2026; 2026年11月26日.
DAY_FORMATS = {"en": "d MMMM y", "ja": "long"}
MOMENT_FORMATS = {"en": "d MMMM y, HH:mm", "ja": "y年M月d日 H:mm"}
#: The clock each edition's readers keep: Japan has had no daylight saving since 1951, so a
#: fixed offset is exact and needs no time-zone database.
ZONES = {"en": dt.UTC, "ja": dt.timezone(dt.timedelta(hours=9), "JST")}
ENVIRON_KEY = "selector.lang"
#: What a query string may hold unencoded in a Location header.
QUERY_SAFE = "=&;%+/?:@,!$'()*~"
#: Longer Accept-Language headers are read only this far.
MEMO_LIMIT = 256


def split(environ: dict[str, Any]) -> str | None:
    """Read the edition off the path and move its prefix into SCRIPT_NAME; return the path to
    redirect to when the prefix is given bare (/ja)."""
    path: str = environ.get("PATH_INFO", "")
    environ[ENVIRON_KEY] = DEFAULT
    for lang, prefix in PREFIXES.items():
        if not prefix or not path.startswith(prefix):
            continue
        rest = path[len(prefix) :]
        if rest == "":
            # Percent-encoded again: the raw query may hold any byte.
            query = quote(environ.get("QUERY_STRING", "").encode("latin-1"), safe=QUERY_SAFE)
            mount: str = environ.get("SCRIPT_NAME", "")
            return mount + prefix + "/" + (f"?{query}" if query else "")
        if rest.startswith("/"):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
            environ["PATH_INFO"] = rest
            environ[ENVIRON_KEY] = lang
    return None


def current() -> str:
    """The edition of the page being made: English outside a request."""
    if not has_request_context():
        return DEFAULT
    lang: str = request.environ.get(ENVIRON_KEY, DEFAULT)
    return lang


def _base() -> str:
    """SCRIPT_NAME without the edition's prefix: where the English edition is mounted."""
    return request.script_root.removesuffix(PREFIXES[current()])


def root(lang: str) -> str:
    """Where an edition's paths start on this site."""
    return _base() + PREFIXES[lang]


def in_edition(url: str, lang: str) -> str:
    """A URL built on this request (absolute or not) moved into an edition."""
    parts = urlsplit(url)
    rest = parts.path.removeprefix(request.script_root)
    return urlunsplit(parts._replace(path=_base() + PREFIXES[lang] + rest))


def alternates(url: str) -> list[tuple[str, str]]:
    """(language, URL) of a page in every edition, for hreflang links and the sitemap."""
    return [(lang, in_edition(url, lang)) for lang in LANGUAGES]


def shared_url(endpoint: str, **values: Any) -> str:
    """The one address of something both editions share (the stylesheet, the API)."""
    return in_edition(url_for(endpoint, **values), DEFAULT)


@functools.lru_cache(maxsize=64)
def _preferred(accept_language: str) -> str | None:
    """The first edition a browser names, in the order of its quality values; a regional tag
    (ja-JP) names its language."""
    for value, quality in parse_accept_header(accept_language, LanguageAccept):
        primary = value.split("-")[0].lower()
        if quality > 0 and primary in PREFIXES:
            return primary
    return None


def offer(environ: dict[str, Any]) -> str | None:
    """The Japanese edition, for a reader of the English one whose browser prefers Japanese: a
    line on the page, never a redirect. None for everyone else."""
    if environ.get(ENVIRON_KEY, DEFAULT) != DEFAULT:
        return None
    preferred = _preferred(environ.get("HTTP_ACCEPT_LANGUAGE", "")[:MEMO_LIMIT])
    return preferred if preferred != DEFAULT else None


def varies(environ: dict[str, Any]) -> bool:
    """Whether a page of this request's edition differs by Accept-Language (the offer line)."""
    return bool(environ.get(ENVIRON_KEY, DEFAULT) == DEFAULT)


def offered() -> str | None:
    """The edition this page offers its reader, if any."""
    return offer(request.environ)


def gap() -> str:
    """The space between sentences, or a sentence and a link, in this edition."""
    return GAPS[current()]


def day(value: dt.date) -> str:
    """A date as this edition writes it."""
    return format_date(value, DAY_FORMATS[current()], locale=current())


def moment(value: dt.datetime) -> str:
    """A date and time of day as this edition writes it, on its readers' clock, zone named."""
    zone = ZONES[current()]
    written = format_datetime(value, MOMENT_FORMATS[current()], tzinfo=zone, locale=current())
    return f"{written} {zone.tzname(None)}"


# Flask-Babel's functions are untyped; these say what they give, for the type checker.


def gettext(string: str, /, **variables: Any) -> str:
    """A UI string in the page's language."""
    return str(flask_babel.gettext(string, **variables))


def ngettext(singular: str, plural: str, num: int, /, **variables: Any) -> str:
    return str(flask_babel.ngettext(singular, plural, num, **variables))


def register(app: Flask) -> None:
    babel.init_app(app, locale_selector=current)

    @app.before_request
    def one_address_for_shared_things() -> None:
        endpoint = request.endpoint or ""
        if current() != DEFAULT and endpoint.startswith(LANGUAGE_FREE):
            abort(404)

    @app.after_request
    def say_what_the_page_varies_by(response: Response) -> Response:
        # Every English page may carry the offer line, error pages and forms included.
        if response.mimetype == "text/html" and varies(request.environ):
            response.vary.add("Accept-Language")
        return response

    app.add_template_global(current, "lang")
    app.add_template_global(alternates)
    app.add_template_global(shared_url)
    app.add_template_global(offered)
    app.add_template_global(gap)
    app.jinja_env.globals.update(og_locales=OG_LOCALES, edition_names=NAMES, edition_offers=OFFERS)
    app.add_template_filter(day)
    app.add_template_filter(moment)
