"""The shared cache (Redis when REDIS_URL is set): pages and the content revision for all workers.

Its keys carry their own prefix (CACHE_KEY_PREFIX), apart from the rate-limit counts. A
Redis that is away or full costs only the sharing: a read is a miss and a write is dropped,
never an error page.
"""

from __future__ import annotations

import contextlib
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


def shared_set(key: str, value: Any, timeout: int | None = None) -> None:
    with contextlib.suppress(RedisError):
        cache.set(key, value, timeout=timeout)
