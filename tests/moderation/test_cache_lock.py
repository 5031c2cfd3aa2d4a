"""Compare-and-extend / compare-and-delete for cache locks, on Redis (the suite's cache) and LocMem."""

import time

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from moderation.cache_lock import delete_if_held, extend_if_held


@pytest.fixture(params=["redis", "locmem"])
def cache(request):
    if request.param == "redis":
        backend = caches["default"]
        assert isinstance(backend, RedisCache)  # the suite runs on real Redis
    else:
        backend = LocMemCache("cache-lock-test", {})
    backend.delete("lock")
    yield backend
    backend.delete("lock")


def ttl(cache) -> float:
    if isinstance(cache, RedisCache):
        return cache._cache.get_client().pttl(cache.make_and_validate_key("lock")) / 1000
    return cache._expire_info[cache.make_and_validate_key("lock")] - time.time()


def test_extends_only_the_owners_lock(cache):
    cache.set("lock", "mine", timeout=2)
    assert extend_if_held(cache, "lock", "mine", 30)
    assert ttl(cache) > 20
    cache.set("lock", "theirs", timeout=2)  # ours lapsed and another owner took it
    assert not extend_if_held(cache, "lock", "mine", 30)
    assert ttl(cache) <= 2  # their lifetime is theirs to renew
    assert cache.get("lock") == "theirs"


def test_a_missing_lock_is_not_extended(cache):
    assert not extend_if_held(cache, "lock", "mine", 30)
    assert cache.get("lock") is None


def test_deletes_only_the_owners_lock(cache):
    cache.set("lock", "theirs", timeout=30)
    assert not delete_if_held(cache, "lock", "mine")
    assert cache.get("lock") == "theirs"
    assert delete_if_held(cache, "lock", "theirs")
    assert cache.get("lock") is None
