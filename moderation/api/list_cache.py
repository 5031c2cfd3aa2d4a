"""A micro-cache for the items list, the API's busiest endpoint (docs/api.md, "Limits").

Integrations poll `GET /api/v1/items/` and page through it with the same cursors; between two
writes the answer to the same question is the same bytes. A rendered page is kept for
API_LIST_CACHE_SECONDS (1 s by default, 0 turns it off) in the process that built it and in Redis
for the other web processes, keyed by everything that changes the answer:

- the items data version (moderation/data_version.py), read before the rows are: any committed
  write to items, flags, authors or actions moves it on, so an entry made before the write is
  never served after its commit, whichever process made the write; except the writes the
  ingestion and classification of new items declare (they touch only items received at or
  after a floor, "now" for new ones), which move its head on instead: an entry is also stored
  with the head it was made at, and a cursor page stays valid while every floor since then is
  later than its cursor (the writes were above it: an insert shows on page 1, and a change to
  an item on page 3 ends page 3, since that item's floor is its own received_at);
- the caller's permission scope: the permissions of the role (a token's service user has its
  scope's role), superuser or not, and a token's scopes, so callers with different rights never
  share an entry (the permission check itself runs before the cache, on every request);
- the scheme, host and path, and the query string normalised the way the next/previous links
  normalise it (parameters sorted by name), so cursor, page_size and every filter count;
- the negotiated media type (`Accept: application/json; indent=4` renders differently).

Authentication, permissions and throttling run before the cache on every request, as before.
What the lifetime alone bounds: writes that bypass Django (psql by hand), a Redis outage, and the
channel's platform or a claimant's username shown in a row (no service changes those while
items are listed). A response says `Cache-Status: havebury; hit` or `havebury; fwd=miss`
(RFC 9211) so load tests can count hits.

Refresh ahead: a page asked for in the last REFRESH_AHEAD of its entry's life is answered from the
entry, and that one request (the first to take the page's build claim, in any process) builds it
anew once its own answer has been handed to the server (a resource closer, run at the response's
close()), so the requests that follow get the new entry and a busy page never expires: no one
waits for its rebuild (docs/benchmarks.md). Nothing is served past its lifetime: the new entry
counts its life from the moment its version was read, before its rows, as every entry does.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from rest_framework.request import Request
from rest_framework.response import Response

from moderation.data_version import KEY as VERSION_KEY
from moderation.data_version import Version, items_version, micros
from moderation.models import ApiToken
from moderation.redis_client import cache_redis, registered_script, run_script

log = logging.getLogger(__name__)
MAX_ENTRIES = 256  # per process: a page of 200 items is ~150 kB, so at most ~40 MB
HIT = "havebury; hit"
MISS = "havebury; fwd=miss; stored"

Entry = tuple[float, bytes, str, int]  # expires (monotonic), body, content type, head made at
_entries: dict[tuple[Any, ...], Entry] = {}
_lock = threading.Lock()


def reads_along(request: Request) -> list[str]:
    """What cached() reads from Redis first: for the throttle to read in its round trip."""
    if float(settings.API_LIST_CACHE_SECONDS) <= 0 or request.method not in ("GET", "HEAD"):
        return []
    return [VERSION_KEY]


def scope_of(request: Request) -> tuple[Any, ...]:
    """Who the caller is as far as an answer can depend on it: role permissions and token scopes."""
    user = request.user
    scopes = tuple(sorted(request.auth.scopes)) if isinstance(request.auth, ApiToken) else None
    # A token's user as kept in the process (moderation/services/api_tokens.py) carries them sorted.
    permissions = getattr(user, "sorted_permissions", None)
    if permissions is None:
        permissions = tuple(sorted(user.get_all_permissions()))
    return (bool(user.is_superuser), permissions, scopes)


def key_of(request: Request) -> tuple[Any, ...]:
    query = tuple(sorted((name, tuple(values)) for name, values in request.query_params.lists()))
    where = (request.scheme, request.get_host(), request.path)
    return (scope_of(request), where, query, request.accepted_media_type)


def top_of(request: Request) -> int | None:
    """The received_at (microseconds) no item on this page is later than: a next page's cursor
    (moderation/api/pagination.py; the page is the items strictly below it). None for a first
    or previous page, which any write to the list may change, and for a cursor that will not
    decode (its answer is an error, never cached)."""
    raw = request.query_params.get("cursor")
    if not raw:
        return None
    try:
        direction, stamp, _ = base64.urlsafe_b64decode(raw.encode("ascii")).decode().split("|")
        when = datetime.fromisoformat(stamp)
    except (ValueError, UnicodeError, binascii.Error):
        return None
    return micros(when) if direction == "n" and when.tzinfo is not None else None


def _valid(entry: Entry | None, version: Version, request: Request, now: float) -> Entry | None:
    if entry is None or entry[0] <= now:
        return None
    if entry[3] == version.head or version.still_shows(entry[3], top_of(request)):
        return entry  # the cursor is read only when a declared write came since the entry's build
    return None


def cached(
    request: Request, build: Callable[[], Response], render: Callable[[Response], Response]
) -> HttpResponseBase:
    """The cached answer to this request, or build()'s, kept for the next identical request.
    render(response): what DRF's dispatch and Django's handler do with build()'s response before
    it is sent (finalize, then render); used to refresh an entry after the answer has gone."""
    seconds = float(settings.API_LIST_CACHE_SECONDS)
    if seconds <= 0 or request.method not in ("GET", "HEAD"):
        return build()
    try:
        # First, before any row is read (moderation/data_version.py); the throttle, which ran
        # moments ago in this request, has usually read it along (reads_along below).
        version = items_version(read=getattr(request, "read_along", {}).get(VERSION_KEY))
    except Exception:  # Redis unreachable: answer uncached rather than fail
        log.warning("list cache bypassed: no items version", exc_info=True)
        return build()
    key = (version.number, *key_of(request))
    now = time.monotonic()
    entry = _valid(_entries.get(key), version, request, now)
    claimed: bool | None = None
    if entry is None:
        shared, claimed = _shared_get_or_claim(key, version, seconds, now)
        entry = _valid(shared, version, request, now)
    if entry is None and not (_claim(key, version) if claimed is None else claimed):
        entry = _valid(_await_shared(key, version, seconds), version, request, time.monotonic())
    if entry is not None:
        response = HttpResponse(entry[1], content_type=entry[2])
        response["Cache-Status"] = HIT
        if _due(key, entry, seconds) and _claim(key, version):
            # After this answer has been handed over: its client does not wait for the build.
            # (Django's own hook: close() runs its resource closers, then request_finished.)
            response._resource_closers.append(  # type: ignore[attr-defined]
                lambda: _refresh(request, build, render, key, version, seconds)
            )
        return response
    created = time.time()  # the version was read before this: the entry's life counts from here
    response = build()
    if response.status_code == 200:
        response["Cache-Status"] = MISS

        def keep(rendered: Response) -> None:  # after DRF renders it; must return None
            _store(key, now + seconds, rendered.content, rendered["Content-Type"], version.head)
            _shared_set(
                key, version, version.head, created, seconds, rendered.content, rendered["Content-Type"]
            )

        response.add_post_render_callback(keep)
    return response


# The share of an entry's life in which a request that hits it also refreshes it. A busy page
# (the bench's are asked for 10-30 times a second) is rebuilt once in that window, ahead of its
# expiry: a quarter of the lifetime costs a quarter more builds of such a page than letting it
# expire, and takes every one of them off the answers' path.
REFRESH_AHEAD = 0.25
_tried: dict[tuple[Any, ...], float] = {}  # key -> expiry of the entry a refresh was tried for


def _due(key: tuple[Any, ...], entry: Entry, seconds: float) -> bool:
    """Whether this hit should try to refresh its entry: in the last REFRESH_AHEAD of its life,
    and once per entry per process (the claim is one Redis round trip; the first to take it, in
    any process, builds)."""
    if entry[0] - time.monotonic() > seconds * REFRESH_AHEAD or _tried.get(key) == entry[0]:
        return False
    with _lock:
        if _tried.get(key) == entry[0]:
            return False
        if len(_tried) >= MAX_ENTRIES:
            _tried.clear()
        _tried[key] = entry[0]
    return True


def _refresh(
    request: Request,
    build: Callable[[], Response],
    render: Callable[[Response], Response],
    key: tuple[Any, ...],
    claimed: Version,
    seconds: float,
) -> None:
    """Build the page again and keep it, as a miss would (called once the answer is sent)."""
    try:
        version = items_version()  # read again, before the rows: a write may have come since
        if version.number != key[0]:
            return  # the entry is ended anyway; the next request builds under the new version
        created, now = time.time(), time.monotonic()
        response = render(build())
        if response.status_code != 200:
            return
        _store(key, now + seconds, response.content, response["Content-Type"], version.head)
        _shared_set(key, claimed, version.head, created, seconds, response.content, response["Content-Type"])
    except Exception:  # the answer has gone; the entry simply expires and the next request builds
        log.warning("list cache: refresh failed", exc_info=True)


# One build of a page at a time: when an entry expires or the version moves on, the requests for
# the same page in every thread and process missed together and each built it. The first takes a
# short claim in Redis; the others block on a Redis list (BLPOP, no CPU while waiting) that the
# builder fills when its entry is stored, and build the page themselves only if nothing came
# within WAIT_SECONDS: as long as the claim lives (CLAIM_MS). A shorter wait made every build
# that took longer (a page of 50 on two busy cores takes 60-150 ms of wall time) into two or
# more: on a 5 s smoke run of bench.api_bench, one build in seven was such a duplicate.
CLAIM_MS = 250
WAIT_SECONDS = CLAIM_MS / 1000
WAITERS = 32  # wake-ups pushed per build: more than the threads of all web processes


def _claim(key: tuple[Any, ...], version: Version) -> bool:
    client = cache_redis()
    if client is None:
        return True
    try:
        return bool(client.set(_building(key, version), b"1", nx=True, px=CLAIM_MS))
    except Exception:
        log.warning("list cache: no build claim", exc_info=True)
        return True


def _await_shared(key: tuple[Any, ...], version: Version, seconds: float) -> Entry | None:
    client = cache_redis()
    if client is None:
        return None
    try:
        client.blpop([_building(key, version) + ":ready"], timeout=WAIT_SECONDS)
    except Exception:
        log.warning("list cache: wait failed", exc_info=True)
        return None
    return _shared_get(key, seconds, time.monotonic())


# The second level: the same entries in Redis, so the other web processes need not build a page
# one of them just built. Stored with their creation time, so an entry is never used past its
# lifetime in any process; Redis expires it then too.
SHARED_PREFIX = "havebury:items-page:"


def _shared_key(key: tuple[Any, ...]) -> str:
    return SHARED_PREFIX + hashlib.sha256(repr(key).encode()).hexdigest()


def _building(key: tuple[Any, ...], version: Version) -> str:
    """The claim on building a page at this head: a build at an earlier one may not show it."""
    return f"{_shared_key(key)}:{version.head}:building"


# A miss in this process reads the shared entry and, when there is none, takes the build claim in
# the same round trip; storing an entry, ending its claim and waking its waiters is one more. Each
# is one script on the thread's own connection (moderation/redis_client.py), where redis-py's GET,
# SET and pipeline took three round trips through its connection pool.
_GET_OR_CLAIM_LUA = """
local value = redis.call('GET', KEYS[1])
if value then return {value, -1} end
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[1]) then return {false, 1} end
return {false, 0}
"""
_STORE_LUA = """
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('DEL', KEYS[2])
for _ = 1, tonumber(ARGV[3]) do redis.call('RPUSH', KEYS[3], '1') end
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return 1
"""


def _shared_get_or_claim(
    key: tuple[Any, ...], version: Version, seconds: float, now: float
) -> tuple[Entry | None, bool | None]:
    """The shared entry; or, when there is none, whether this request took the claim on building
    it (None: the claim was not tried, as there was an entry, perhaps one this request cannot use)."""
    client = cache_redis()
    if client is None:
        return None, True
    try:
        script = registered_script(client, _GET_OR_CLAIM_LUA)
        value, claimed = run_script(client, script, [_shared_key(key), _building(key, version)], [CLAIM_MS])
    except Exception:
        log.warning("list cache: shared entry not read", exc_info=True)
        return None, True
    if value is None:
        return None, bool(claimed)
    return _shared_entry(key, value, seconds, now), None


def _shared_get(key: tuple[Any, ...], seconds: float, now: float) -> Entry | None:
    client = cache_redis()
    if client is None:
        return None
    try:
        value = client.get(_shared_key(key))
    except Exception:
        log.warning("list cache: shared entry not read", exc_info=True)
        return None
    if value is None:
        return None
    return _shared_entry(key, value, seconds, now)


def _shared_entry(key: tuple[Any, ...], value: bytes, seconds: float, now: float) -> Entry | None:
    """A shared entry as this process keeps it (and kept), or None once its lifetime is over."""
    created, head, content_type, body = value.split(b"\n", 3)
    left = seconds - (time.time() - float(created))
    if left <= 0:
        return None
    entry = (now + left, body, content_type.decode(), int(head))
    _store(key, *entry)
    return entry


def _shared_set(
    key: tuple[Any, ...],
    version: Version,
    head: int,
    created: float,
    seconds: float,
    body: bytes,
    content_type: str,
) -> None:
    """Store the entry for the other processes (made at `head`, its version read at `created`,
    time.time()), and end the build claim taken at `version` waking whoever waits on it."""
    client = cache_redis()
    if client is None:
        return
    left = seconds - (time.time() - created)
    if left <= 0:
        return
    header = f"{created!r}\n{head}\n{content_type}\n".encode()
    name, building = _shared_key(key), _building(key, version)
    try:
        script = registered_script(client, _STORE_LUA)
        # WAITERS wake-ups: whoever waits for this page (BLPOP in _await_shared).
        keys = [name, building, building + ":ready"]
        run_script(client, script, keys, [header + body, max(1, int(left * 1000)), WAITERS, CLAIM_MS])
    except Exception:
        log.warning("list cache: shared entry not stored", exc_info=True)


def _store(key: tuple[Any, ...], expires: float, body: bytes, content_type: str, head: int) -> None:
    with _lock:
        now = time.monotonic()
        # Entries are added in expiry order (one lifetime for all): drop the expired from the front.
        while _entries:
            oldest = next(iter(_entries))
            if _entries[oldest][0] > now and len(_entries) < MAX_ENTRIES:
                break
            del _entries[oldest]
        _entries.pop(key, None)  # a racing miss stored it: keep the order of expiry
        _entries[key] = (expires, body, content_type, head)


def clear(*, shared: bool = True) -> None:
    """Forget the cached pages (tests): this process's, and the shared ones unless told not to."""
    with _lock:
        _entries.clear()
        _tried.clear()
    client = cache_redis()
    if shared and client is not None:
        for name in client.scan_iter(match=SHARED_PREFIX + "*", count=1000):
            client.delete(name)
