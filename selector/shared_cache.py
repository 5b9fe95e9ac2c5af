"""The shared cache (Redis when REDIS_URL is set): pages and the content revision for all workers.

Its keys carry their own prefix (CACHE_KEY_PREFIX), apart from the rate-limit counts. A
Redis that is away or full costs only the sharing: a read is a miss and a write is dropped,
never an error page.
"""

from __future__ import annotations

import time
from typing import Any

from flask import current_app
from redis.exceptions import RedisError

from selector.extensions import cache


def shared_get(key: str) -> Any:
    """Read the shared cache; an unreachable Redis is a miss, not an error page."""
    try:
        return cache.get(key)
    except RedisError:
        current_app.logger.warning("shared cache unreachable")
        return None


#: A store that refuses every write would otherwise log once per request.
WARN_EVERY_SECONDS = 60.0
_last_warning = 0.0


def shared_set(key: str, value: Any, timeout: int | None = None) -> None:
    """Write to the shared cache; a Redis that is away or full costs the sharing, and says so
    in the log at most once a minute."""
    global _last_warning
    try:
        cache.set(key, value, timeout=timeout)
    except RedisError as error:
        if time.monotonic() - _last_warning >= WARN_EVERY_SECONDS:
            _last_warning = time.monotonic()
            current_app.logger.warning("shared cache refused a write: %s", error)
