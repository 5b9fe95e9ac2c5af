"""Configuration: the defaults, what REDIS_URL switches on, and the checks production must pass."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEV_SECRET_KEY = "dev"
MIN_SECRET_KEY_LENGTH = 32


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "SECRET_KEY": DEV_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(instance_path) / 'selector.sqlite'}",
        # Connections that died while the database was away are replaced, not reused.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "CONTENT_DIR": str(Path(__file__).parent / "content"),
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
        "RATELIMIT_STORAGE_URI": "memory://",
        # If the limit store (Redis) goes away, limits lapse rather than every POST failing.
        "RATELIMIT_SWALLOW_ERRORS": True,
        "POST_RATE_LIMIT": "30 per minute",
        "RETRY_AFTER_SECONDS": 30,
    }


def derived(config: Mapping[str, Any]) -> dict[str, Any]:
    """Settings that follow from others: Redis for cache and rate limits, secure cookies."""
    values: dict[str, Any] = {}
    if config["REDIS_URL"]:
        values.update(
            CACHE_TYPE="RedisCache",
            CACHE_REDIS_URL=config["REDIS_URL"],
            RATELIMIT_STORAGE_URI=config["REDIS_URL"],
        )
    if config["FORCE_HTTPS"] is None:
        values["FORCE_HTTPS"] = config["PRODUCTION"]
    if config["PRODUCTION"]:
        values["SESSION_COOKIE_SECURE"] = True
        # Canonical links and the sitemap name the HTTPS address the site is served on.
        values["PREFERRED_URL_SCHEME"] = "https"
    return values


def production_problems(config: Mapping[str, Any]) -> list[str]:
    """Why these settings are not safe to serve the public with; empty when they are."""
    problems = []
    key = config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY:
        problems.append("SECRET_KEY is the development key: set FLASK_SECRET_KEY")
    elif len(key) < MIN_SECRET_KEY_LENGTH:
        problems.append(f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters")
    if config.get("DEBUG"):
        problems.append("debug is on: unset FLASK_DEBUG")
    if not config.get("TRUSTED_HOSTS"):
        problems.append("TRUSTED_HOSTS is not set: e.g. FLASK_TRUSTED_HOSTS='[\"guide.example\"]'")
    return problems
