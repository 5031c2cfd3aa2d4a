"""The default cache's own Redis client, kept for reuse (docs/benchmarks.md, "API list endpoint").

Django's RedisCache builds a new `redis.Redis` object on every call (`get_client`), which costs
more CPU than the round trip it makes (~0.2 ms: its constructor fills a table of 170 reply
callbacks). Code that talks to Redis on every API request (the throttle, the list cache's data
version) takes the client from here instead: one per cache instance, and Django keeps one cache
instance per thread, so threads never share a client object (they share nothing but the pool).
"""

from __future__ import annotations

import os
from typing import Any

import redis
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


# The throttle's script runs on every API request. Through redis-py's client each call takes a
# connection from the pool and gives it back (a lock, a readiness poll of the socket, connection
# metrics), wrapped in its retry and operation metrics: more CPU than the round trip itself
# (docs/benchmarks.md, "where a request's CPU goes"). A thread keeps one connection of the
# client's pool for this instead (Django keeps a cache instance, and so a client, per thread).
_RETRIED = (redis.ConnectionError, redis.TimeoutError, OSError)


def run_script(client: Any, script: Any, keys: list[Any], args: list[Any]) -> Any:
    """`script(keys=keys, args=args, client=client)` on this thread's own connection: the same
    reply and errors, the script loaded again if Redis lost it (as redis-py's Script does), and one
    retry on a new connection when the old one was dropped (redis-py retries too)."""
    for attempt in range(3):
        connection = _own_connection(client)
        try:
            connection.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
            return connection.read_response()
        except redis.exceptions.NoScriptError:
            if attempt == 2:
                raise
            script.sha = client.script_load(script.script)
        except _RETRIED:
            connection.disconnect()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _own_connection(client: Any) -> Any:
    kept = client.__dict__.get("_havebury_own")
    pid = os.getpid()
    if kept is None or kept[0] != pid:  # none yet, or one inherited across a fork
        kept = client.__dict__["_havebury_own"] = (pid, client.connection_pool.get_connection())
    return kept[1]
