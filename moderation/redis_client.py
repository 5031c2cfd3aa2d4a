"""The default cache's own Redis client, kept for reuse (docs/benchmarks.md, "API list endpoint").

Django's RedisCache builds a new `redis.Redis` object on every call (`get_client`), which costs
more CPU than the round trip it makes (~0.2 ms: its constructor fills a table of 170 reply
callbacks). Code that talks to Redis on every API request (the throttle, the list cache's data
version) takes the client from here instead: one per cache instance, and Django keeps one cache
instance per thread, so threads never share a client object (they share nothing but the pool).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache


def cache_redis() -> Any | None:
    """The default cache's Redis client (redis.Redis), or None when the cache is not Redis."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    return redis_of(backend) if isinstance(backend, RedisCache) else None


def redis_of(backend: RedisCache) -> Any:
    owner = backend._cache  # the RedisCacheClient: one per cache instance, so one per thread
    client = getattr(owner, "_havebury_client", None)
    if client is None:
        client = owner.get_client(write=True)
        owner._havebury_client = client  # type: ignore[attr-defined]
    return client


def registered_script(client: Any, source: str) -> Any:
    """`client.register_script(source)`, made once per client and kept on it (hashing the source
    on every call would cost as much as the round trip)."""
    scripts = client.__dict__.setdefault("_havebury_scripts", {})
    script = scripts.get(source)
    if script is None:
        script = scripts[source] = client.register_script(source)
    return script
