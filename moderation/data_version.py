"""A version number for what the item lists show, moved on after every committed write to it.

The API's list cache (moderation/api/list_cache.py) keys its entries by this number, so an
entry made before a write is never served after the write's commit. The number lives in Redis
(the default cache's server), shared by every web process, worker and management command.

Which writes count is decided once, where every write passes: a wrapper on each database
connection (Django's execute_wrapper) sees each statement, and one that is not a plain SELECT
(nor a SELECT prepared by name) and names one of the tables below schedules a bump for after
the transaction commits (at once in autocommit). So ingestion's raw upserts, classification, transitions and actions, erasure and
retention, the admin and management commands are all covered without each having to remember;
a write that bypasses Django (psql by hand) is bounded by the cache's lifetime alone. Naming a
watched table in an unrelated write only costs a cache miss.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.transaction import TransactionManagementError

from moderation.redis_client import cache_redis, registered_script

log = logging.getLogger(__name__)

# The rows an item list shows: the items, their flags and authors, and the actions on them
# (substrings: moderation_authorrestriction and moderation_itemeventmark count too).
WATCHED_TABLES = ("moderation_item", "moderation_flag", "moderation_action", "moderation_author")
KEY = "havebury:items-version"

_local = threading.Lock()
_local_version = [0]  # without Redis (the laptop demo's LocMemCache): this process only


# INCR, but a missing key (a new or flushed Redis) starts at a random number: after a flush the
# version never comes back to a value an entry still cached in some process was made under.
_BUMP_LUA = """
if redis.call('EXISTS', KEYS[1]) == 0 then
    redis.call('SET', KEYS[1], ARGV[1])
end
return redis.call('INCR', KEYS[1])
"""


def items_version(*, read: bytes | None = None) -> int:
    """The current version; read it BEFORE reading the rows a cache entry is built from. `read`:
    the value of KEY read earlier in the same request (the API throttle's round trip reads it
    along, moderation/api/throttles.py), which is then not read again."""
    if read is not None:
        return int(read)
    client = cache_redis()
    if client is None:
        return _local_version[0]
    value = client.get(KEY)
    return int(value) if value is not None else _bump(client)


def items_changed() -> None:
    """Move the version on now (callers: after their commit). Never raises: the write has
    already committed, and a cache entry missed here still expires within its lifetime."""
    client = cache_redis()
    if client is None:
        with _local:
            _local_version[0] += 1
        return
    try:
        _bump(client)
    except Exception:  # Redis down: the lists are stale for at most API_LIST_CACHE_SECONDS
        log.warning("items version not bumped", exc_info=True)


def _bump(client: Any) -> int:
    script = registered_script(client, _BUMP_LUA)
    return int(script(keys=[KEY], args=[secrets.randbelow(2**52)], client=client))


# Reads: a SELECT, or one prepared by name for later EXECUTEs (moderation/api/pagination.py).
_READ = re.compile(r"\s*(SELECT\b|PREPARE\s+\w+\s+AS\s+SELECT\b)", re.IGNORECASE)


def _writes_watched(sql: Any) -> bool:
    text = sql if isinstance(sql, str) else str(sql)
    if _READ.match(text):
        return False
    return any(table in text for table in WATCHED_TABLES)


def _bump_pending(connection: BaseDatabaseWrapper) -> bool:
    return any(entry[1] is items_changed for entry in connection.run_on_commit)


def watch_writes(connection: BaseDatabaseWrapper) -> Callable[..., Any]:
    def wrapper(execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        # After the statement: in autocommit on_commit runs at once, and a bump before the
        # write would let a reader cache the old rows under the new version.
        # With the list cache off (the test settings) nothing reads the version, so nothing moves
        # it: tests that count a service's on-commit callbacks then see only the service's own.
        if (
            settings.API_LIST_CACHE_SECONDS > 0
            and _writes_watched(sql)
            and not (connection.in_atomic_block and _bump_pending(connection))
        ):
            try:
                transaction.on_commit(items_changed, using=connection.alias)
            except TransactionManagementError:  # manual transactions (none in the app): bump now
                items_changed()
        return result

    wrapper.watches_items = True  # type: ignore[attr-defined]
    return wrapper


def install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver: add the wrapper once per connection object."""
    if not any(getattr(w, "watches_items", False) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(watch_writes(connection))
