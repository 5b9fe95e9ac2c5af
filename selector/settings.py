"""Configuration: the defaults, what REDIS_URL switches on, and the checks production must pass."""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babel.messages import mofile, pofile

DEV_SECRET_KEY = "dev"
MIN_SECRET_KEY_LENGTH = 32


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "SECRET_KEY": DEV_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'selector.sqlite'}",
        # Connections that died while the database was away are replaced, not reused.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "CONTENT_DIR": str(Path(__file__).parent / "content" / "files"),
        # The code samples' own virtual environment (flask samples run builds it).
        "SAMPLES_VENV": str(Path(instance_path) / "samples-venv"),
        # Where `flask content versions` asks for current releases (its JSON API), and how long
        # it waits for each answer.
        "PACKAGE_INDEX_URL": "https://pypi.org",
        "PACKAGE_INDEX_TIMEOUT": 10,
        # A checked-on date older than this many days puts an "may be out of date" notice on
        # the pages that show it.
        "STALE_AFTER_DAYS": 60,
        # True in the production entry point (wsgi.py): refuse unsafe settings, force HTTPS.
        "PRODUCTION": False,
        # Redirect plain HTTP to HTTPS; follows PRODUCTION unless set.
        "FORCE_HTTPS": None,
        # How many proxies in front set X-Forwarded-*; 0 trusts none of those headers.
        "PROXY_COUNT": 0,
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        # The form's view checks its token itself, after the rate limit has counted the post.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REDIS_URL": None,
        # Without Redis there is nothing to share: each process's own page store is the cache.
        "CACHE_TYPE": "NullCache",
        "CACHE_NO_NULL_WARNING": True,
        "CACHE_DEFAULT_TIMEOUT": 300,
        # Pages and the rate-limit counts share a Redis, each under its own prefix.
        "CACHE_KEY_PREFIX": "selector:page:",
        "RATELIMIT_KEY_PREFIX": "selector:limit",
        "RATELIMIT_STORAGE_URI": "memory://",
        # If the limit store (Redis) is away or full, each worker counts in memory until it is
        # back, with a warning in the log: limits hold, per worker, rather than lapse.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "POST_RATE_LIMIT": "30 per minute",
        # Searches not already in the page store, per address: a reader types a few a minute;
        # a flood of unique queries from one client is stopped here.
        "SEARCH_RATE_LIMIT": "60 per minute",
        "RESULT_RATE_LIMIT": "120 per minute",
        "RETRY_AFTER_SECONDS": 30,
        # Where a reader reports an error in the guide: an issue tracker (https://…) or an
        # address (mailto:…); the About page says so when none is set.
        "REPORT_URL": None,
        # The licence the guide's text is offered under, by name and address. A copy that
        # unsets CONTENT_LICENCE declares none, and the About page says so.
        "CONTENT_LICENCE": "CC BY 4.0",
        "CONTENT_LICENCE_URL": "https://creativecommons.org/licenses/by/4.0/",
    }


def derived(config: Mapping[str, Any]) -> dict[str, Any]:
    """Settings that follow from others: Redis for cache and rate limits, secure cookies."""
    values: dict[str, Any] = {}
    if config["REDIS_URL"]:
        # A Redis that accepts connections and never answers must cost a request a moment,
        # not a worker: past these, a page is a miss and a limit counts in memory.
        waits = {"socket_timeout": 0.25, "socket_connect_timeout": 0.25}
        values.update(
            CACHE_TYPE="RedisCache",
            CACHE_REDIS_URL=config["REDIS_URL"],
            CACHE_OPTIONS=waits,
            RATELIMIT_STORAGE_URI=config["REDIS_URL"],
            RATELIMIT_STORAGE_OPTIONS=waits,
        )
    if config["FORCE_HTTPS"] is None:
        values["FORCE_HTTPS"] = config["PRODUCTION"]
    if config["PRODUCTION"]:
        values["SESSION_COOKIE_SECURE"] = True
        # Browsers accept a __Host- cookie only over HTTPS, for the whole site, from this host.
        values["SESSION_COOKIE_NAME"] = "__Host-session"
        # Canonical links and the sitemap name the HTTPS address the site is served on.
        values["PREFERRED_URL_SCHEME"] = "https"
    return values


#: A host name as browsers send it: dot-separated labels, optionally a leading dot for
#: "this domain and its subdomains" in TRUSTED_HOSTS.
HOST_NAME = re.compile(r"\.?(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*")
HOST_EXAMPLE = "e.g. FLASK_TRUSTED_HOSTS='[\"guide.example\"]'"


def _secret_key_problem(key: Any) -> str | None:
    if key in (None, ""):
        return "SECRET_KEY is not set: set FLASK_SECRET_KEY"
    if not isinstance(key, str):
        return f"SECRET_KEY must be text, not {type(key).__name__}: quote it in FLASK_SECRET_KEY"
    if key == DEV_SECRET_KEY:
        return "SECRET_KEY is the development key: set FLASK_SECRET_KEY"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters"
    return None


def _trusted_hosts_problem(hosts: Any) -> str | None:
    if not hosts:
        return f"TRUSTED_HOSTS is not set: {HOST_EXAMPLE}"
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        return f"TRUSTED_HOSTS must be a JSON list of host names: {HOST_EXAMPLE}"
    bad = [h for h in hosts if not HOST_NAME.fullmatch(h)]
    if bad:
        return f"TRUSTED_HOSTS holds what is not a host name: {', '.join(map(repr, bad))}"
    return None


def _server_name_problem(name: Any, hosts: Any) -> str | None:
    if not name:
        return "SERVER_NAME is not set: the host of every absolute URL, e.g. FLASK_SERVER_NAME=guide.example"
    if not isinstance(name, str) or not HOST_NAME.fullmatch(name) or name.startswith("."):
        return f"SERVER_NAME must be a host name without scheme or port, not {name!r}"
    if _trusted_hosts_problem(hosts) is None and name not in hosts:
        return "SERVER_NAME must be one of TRUSTED_HOSTS"
    return None


#: What a report link may be: a web address the public can open, or an e-mail address.
REPORT_URL = re.compile(r"(https://[^\s/]+\S*|mailto:[^\s@]+@[^\s@]+)")


def _report_url_problem(url: Any) -> str | None:
    if url in (None, ""):
        return None
    if not isinstance(url, str) or not REPORT_URL.fullmatch(url):
        return f"REPORT_URL must be an https:// or mailto: address, not {url!r}"
    return None


def production_problems(config: Mapping[str, Any]) -> list[str]:
    """Why these settings are not safe to serve the public with, one line each; empty when
    they are."""
    problems = [
        _secret_key_problem(config.get("SECRET_KEY")),
        "debug is on: unset FLASK_DEBUG" if config.get("DEBUG") else None,
        _trusted_hosts_problem(config.get("TRUSTED_HOSTS")),
        _server_name_problem(config.get("SERVER_NAME"), config.get("TRUSTED_HOSTS")),
        _report_url_problem(config.get("REPORT_URL")),
    ]
    count = config.get("PROXY_COUNT")
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        problems.append(f"PROXY_COUNT must be a whole number of proxies, not {count!r}")
    problems += catalog_problems()
    return [problem for problem in problems if problem]


#: The UI's translations: each .po with its compiled .mo beside it, both committed, so that every
#: way the code is run (a checkout, a wheel, a read-only slug) has the catalog Flask-Babel reads.
TRANSLATIONS = Path(__file__).parent / "translations"


def catalog_problems() -> list[str]:
    """Catalogs not compiled, or compiled from other words than their .po now holds: without
    them a Japanese page would show its UI in English, and nothing else would say so."""
    problems = []
    for source in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        compiled = source.with_suffix(".mo")
        if not compiled.is_file() or _translations(compiled) != _translations(source):
            problems.append(
                f"{source.relative_to(TRANSLATIONS.parent)} is not compiled: run "
                "`pybabel -q compile -d selector/translations` and commit the .mo"
            )
    return problems


def _translations(catalog: Path) -> tuple[str | None, dict[Any, Any]]:
    """What gettext will answer from a catalog: its plural rule and each message's words.
    Compared by content, not by date (a fresh clone's dates are the checkout's order), and
    without the header, which names the Babel version that compiled it."""
    with catalog.open("rb") as file:
        try:
            read = mofile.read_mo(file) if catalog.suffix == ".mo" else pofile.read_po(file)
        except (OSError, struct.error):  # a truncated or foreign .mo is not a compiled one
            return None, {}
    return read.plural_forms, {
        (_as_tuple(m.id), m.context): _as_tuple(m.string)
        for m in read
        if m.id and m.string and not m.fuzzy
    }


def _as_tuple(text: Any) -> Any:
    # A plural message's id and words are a list when read from a .mo, a tuple from a .po.
    return text if isinstance(text, str) else tuple(text)
