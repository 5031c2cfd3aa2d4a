"""Versions of what the item lists show, moved on after every committed write to it.

The API's list cache (moderation/api/list_cache.py) keys its entries by these, so an entry made
before a write is never served after the write's commit where the write could change it. They
live in one Redis key (the default cache's server), shared by every web process, worker and
management command, as one string: "<number> <head> <floor> <floor> ...".

- number: moved on by every write, except those declared below; every cached page is keyed by it.
- head and floors: moved on by a write declared with `items_written_from(floor)`: every watched
  write inside that block changes only what the lists show of items received at or after
  `floor` (the ingestion and classification of new items, which arrive at "now"). Each such
  commit moves head on by one and puts its floor in front of the last HISTORY floors (in
  microseconds since the epoch). A cursor page (the items strictly below its cursor's position)
  built at head h stays valid while every floor since h is later than its cursor's received_at:
  none of those writes touched an item on it or below it. A first page has no upper bound, so
  any write ends it (an insert shows on page 1 at once).

Which writes count is decided once, where every write passes: a wrapper on each database
connection (Django's execute_wrapper) sees each statement, and one that is not a plain SELECT
(nor a SELECT prepared by name) and names one of the tables below schedules a bump for after
the transaction commits (at once in autocommit); a transaction with any undeclared write moves
the number on, whatever else it declared. So ingestion's raw upserts, classification,
transitions and actions, erasure and retention, the admin and management commands are all
covered without each having to remember; a write that bypasses Django (psql by hand) is bounded
by the cache's lifetime alone. Naming a watched table in an unrelated write only costs a miss.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.transaction import TransactionManagementError

from moderation.redis_client import cache_redis, registered_script

log = logging.getLogger(__name__)

# The rows an item list shows: the items, their flags and authors, and the actions on them
# (substrings: moderation_authorrestriction and moderation_itemeventmark count too).
WATCHED_TABLES = ("moderation_item", "moderation_flag", "moderation_action", "moderation_author")
KEY = "havebury:items-version"

HISTORY = 32  # floors kept: more than the narrow writes of a cache lifetime (the bench writes 10/s)

_local = threading.Lock()
_local_value = [b"0 0"]  # without Redis (the laptop demo's LocMemCache): this process only


class Version(NamedTuple):
    """The versions a cache entry is made under, read before the rows it is built from."""

    number: int
    head: int
    floors: bytes  # the narrow writes' floors, newest first, space-separated (parsed when needed)

    def still_shows(self, head: int, top: int | None) -> bool:
        """Whether a page made at (this number and) `head`, holding only items received at or
        before `top` (microseconds; None: no bound, a first page) is what the rows show now."""
        if head == self.head:
            return True
        since = self.head - head
        if top is None or since < 0:
            return False
        floors = self.floors.split()
        return since <= len(floors) and min(int(f) for f in floors[:since]) > top


def parse(value: bytes) -> Version:
    number, _, rest = value.partition(b" ")
    head, _, floors = rest.partition(b" ")
    return Version(int(number), int(head or 0), floors)  # a bare number: the format before heads


def micros(when: datetime) -> int:
    """A received_at as the floors hold it: exact microseconds since the epoch."""
    delta = when - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")

# Lua numbers are doubles, exact integers below 2**53 (the format before heads started the number
# below 2**52), printed in full with %d. A missing key (a new or flushed Redis) starts both at a
# random number, so they never come back to values an entry still cached in some process was made
# under. A process still running the code before heads fails to read or move the new format: it
# answers uncached, and its writes show within the cache's lifetime (as in a Redis outage).
_BUMP_LUA = """
local value = redis.call('GET', KEYS[1]) or (ARGV[1] .. ' ' .. ARGV[1])
local parts = {}
for word in string.gmatch(value, '%S+') do parts[#parts + 1] = word end
local number, head = tonumber(parts[1]), tonumber(parts[2] or '0')
local out
if ARGV[2] == '' then
    out = {string.format('%d', number + 1), string.format('%d', head)}
else
    out = {string.format('%d', number), string.format('%d', head + 1), ARGV[2]}
    for i = 3, math.min(#parts, tonumber(ARGV[3]) + 1) do out[#out + 1] = parts[i] end
end
value = table.concat(out, ' ')
redis.call('SET', KEYS[1], value)
return value
"""


def items_version(*, read: bytes | None = None) -> Version:
    """The current versions; read them BEFORE reading the rows a cache entry is built from.
    `read`: the value of KEY read earlier in the same request (the API throttle's round trip
    reads it along, moderation/api/throttles.py), which is then not read again."""
    if read is not None:
        return parse(read)
    client = cache_redis()
    if client is None:
        return parse(_local_value[0])
    value = client.get(KEY)
    return parse(value) if value is not None else _bump(client, None)


def items_changed(floor: int | None = None) -> None:
    """Move the versions on now (callers: after their commit): the number, or with `floor` (the
    earliest received_at, in microseconds, of the items the write touched) head and floors.
    Never raises: the write has already committed, and a cache entry missed here still expires
    within its lifetime."""
    client = cache_redis()
    if client is None:
        with _local:
            old = parse(_local_value[0])
            if floor is None:
                _local_value[0] = b"%d %d" % (old.number + 1, old.head)
            else:
                kept = b" ".join(old.floors.split()[: HISTORY - 1])
                _local_value[0] = b"%d %d %d %s" % (old.number, old.head + 1, floor, kept)
        return
    try:
        _bump(client, floor)
    except Exception:  # Redis down: the lists are stale for at most API_LIST_CACHE_SECONDS
        log.warning("items version not bumped", exc_info=True)


def _bump(client: Any, floor: int | None) -> Version:
    script = registered_script(client, _BUMP_LUA)
    start = secrets.randbelow(10**12)
    return parse(script(keys=[KEY], args=[start, "" if floor is None else floor, HISTORY], client=client))


@contextmanager
def items_written_from(received_at: datetime) -> Iterator[None]:
    """Declare that every watched write in this block changes only what the lists show of items
    received at or after `received_at` (their rows, flags and actions, and authors no list
    shows elsewhere), so cursor pages further down stay cached. The caller vouches for it; any
    write outside such a block moves every page on."""
    outer = getattr(default_connection, "items_floor", None)
    floor = micros(received_at)
    default_connection.items_floor = floor if outer is None else min(outer, floor)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        default_connection.items_floor = outer  # type: ignore[attr-defined]


def items_touched_from(received_at: datetime | None) -> None:
    """Inside items_written_from, after a write: it touched an item received at `received_at`
    (None: unknown), lower than the block's floor perhaps; the transaction's bump covers it."""
    current = getattr(default_connection, "items_floor", None)
    floor = None if received_at is None else micros(received_at)
    if current is None or (floor is not None and floor >= current) or settings.API_LIST_CACHE_SECONDS <= 0:
        return  # outside a block every write moves the number on anyway
    if not default_connection.in_atomic_block:  # autocommit: the statement's own bump is made
        items_changed(floor)
    elif (pending := _pending(default_connection)) is not None:
        pending.add(floor)


@contextmanager
def items_written_anywhere() -> Iterator[None]:
    """Inside items_written_from: the writes in this block may change any page (they move the
    number on), e.g. an author's new name, shown on all their items."""
    outer = getattr(default_connection, "items_floor", None)
    default_connection.items_floor = None  # type: ignore[attr-defined]
    try:
        yield
    finally:
        default_connection.items_floor = outer  # type: ignore[attr-defined]


# Reads: a SELECT, or one prepared by name for later EXECUTEs (moderation/api/pagination.py),
# perhaps after a transaction setting (ingestion's first read turns off the wait for its commit).
_READ = re.compile(
    r"\s*(SET\s+LOCAL\s+\w+\s+TO\s+\w+;\s*)?(SELECT\b|PREPARE\s+\w+\s+AS\s+SELECT\b)", re.IGNORECASE
)


def _writes_watched(sql: Any) -> bool:
    text = sql if isinstance(sql, str) else str(sql)
    if _READ.match(text):
        return False
    return any(table in text for table in WATCHED_TABLES)


class _Pending:
    """The bump a transaction owes on commit: the number, or head with the earliest floor."""

    def __init__(self) -> None:
        self.everywhere = False
        self.floor: int | None = None

    def add(self, floor: int | None) -> None:
        if floor is None:
            self.everywhere = True
        else:
            self.floor = floor if self.floor is None else min(self.floor, floor)

    def __call__(self) -> None:
        items_changed(None if self.everywhere else self.floor)


def _pending(connection: BaseDatabaseWrapper) -> _Pending | None:
    return next((entry[1] for entry in connection.run_on_commit if isinstance(entry[1], _Pending)), None)


def watch_writes(connection: BaseDatabaseWrapper) -> Callable[..., Any]:
    def wrapper(execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        # After the statement: in autocommit on_commit runs at once, and a bump before the
        # write would let a reader cache the old rows under the new version.
        # With the list cache off (the test settings) nothing reads the version, so nothing moves
        # it: tests that count a service's on-commit callbacks then see only the service's own.
        if settings.API_LIST_CACHE_SECONDS > 0 and _writes_watched(sql):
            floor = getattr(connection, "items_floor", None)
            pending = _pending(connection) if connection.in_atomic_block else None
            if pending is None:
                pending = _Pending()
                pending.add(floor)
                try:
                    transaction.on_commit(pending, using=connection.alias)
                except TransactionManagementError:  # manual transactions (none in the app): bump now
                    pending()
            else:
                pending.add(floor)
        return result

    wrapper.watches_items = True  # type: ignore[attr-defined]
    return wrapper


def install(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver: add the wrapper once per connection object."""
    if not any(getattr(w, "watches_items", False) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(watch_writes(connection))
