"""The throttle's script on a connection each thread keeps (moderation/redis_client.py)."""

from __future__ import annotations

import pytest
from redis.connection import ConnectionPool

from moderation.api.list_cache import HIT
from moderation.redis_client import cache_redis, registered_script, run_script
from tests.api.conftest import bearer, make_token
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db(transaction=True)
ECHO = "return {KEYS[1], ARGV[1]}"


@pytest.fixture
def checkouts(monkeypatch):
    """How often a connection is taken from a pool."""
    taken = []
    get = ConnectionPool.get_connection

    def counting(self, *args, **kwargs):
        taken.append(1)
        return get(self, *args, **kwargs)

    monkeypatch.setattr(ConnectionPool, "get_connection", counting)
    return taken


def test_api_requests_take_no_connection_from_the_pool_for_the_throttle(settings, checkouts):
    settings.API_LIST_CACHE_SECONDS = 60.0
    reader = bearer(make_token("read"))
    ItemFactory()
    reader.get("/api/v1/items/")
    reader.get("/api/v1/items/")  # the thread's connection exists by now
    checkouts.clear()
    for _ in range(3):
        response = reader.get("/api/v1/items/")
        assert response["Cache-Status"] == HIT
    assert checkouts == []


def test_the_same_reply_as_redis_pys_script():
    client = cache_redis()
    script = registered_script(client, ECHO)
    assert run_script(client, script, ["k"], ["v"]) == script(keys=["k"], args=["v"], client=client)


def test_a_script_redis_lost_is_loaded_again():
    client = cache_redis()
    script = registered_script(client, ECHO)
    run_script(client, script, ["k"], ["v"])
    client.script_flush()
    assert run_script(client, script, ["k"], ["again"]) == [b"k", b"again"]


def test_a_dropped_connection_is_made_again():
    client = cache_redis()
    script = registered_script(client, ECHO)
    run_script(client, script, ["k"], ["v"])
    own = client.__dict__["_havebury_own"][1]
    own.send_command("CLIENT", "ID")
    client.client_kill_filter(_id=own.read_response())  # that one connection only
    assert run_script(client, script, ["k"], ["after"]) == [b"k", b"after"]
