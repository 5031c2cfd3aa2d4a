"""Compare-and-extend and compare-and-delete for a lock kept in Django's cache.

A lock is a cache key holding its owner's token. Renewing it and releasing it must check the
token and act in one step: with a get followed by a touch, a lock that lapsed between the two and
was taken by another owner would have the other owner's lifetime extended (or, with a delete,
be dropped from under it). On Redis both run as one Lua script, which Redis executes atomically.
Other backends (LocMemCache in the laptop demo, which only this process can see) are made atomic
within the process by a lock.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache

from moderation.redis_client import redis_of, registered_script

_EXTEND_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_DELETE_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
_local = threading.Lock()


def extend_if_held(cache: BaseCache, key: str, token: str, seconds: float) -> bool:
    """Give `key` a fresh life of `seconds` if it still holds `token`; False if it does not."""
    if isinstance(cache, RedisCache):
        return bool(_run(cache, _EXTEND_LUA, key, token, int(seconds * 1000)))
    with _local:
        return cache.get(key) == token and cache.touch(key, timeout=seconds)


def delete_if_held(cache: BaseCache, key: str, token: str) -> bool:
    """Delete `key` if it still holds `token` (never a lock another owner took since)."""
    if isinstance(cache, RedisCache):
        return bool(_run(cache, _DELETE_LUA, key, token))
    with _local:
        return cache.get(key) == token and cache.delete(key)


def _run(cache: RedisCache, source: str, key: str, token: str, *args: Any) -> Any:
    client = redis_of(cache)
    # The value as Django's cache stored it (RedisSerializer: pickled, ints raw), so that the
    # script compares bytes with bytes.
    stored = cache._cache._serializer.dumps(token)  # type: ignore[attr-defined]
    script = registered_script(client, source)
    return script(keys=[cache.make_and_validate_key(key)], args=[stored, *args], client=client)
