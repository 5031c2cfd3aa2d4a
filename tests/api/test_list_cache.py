"""The items list's micro-cache (moderation/api/list_cache.py): a write through any service shows
at once, callers with different rights never share an entry, and what the key covers.

The cache's lifetime is set to a minute here, so only the data version (moderation/data_version.py)
can make a written change show: without the bump after commit these tests fail. Writes commit
for real (transaction=True), as they do in production.
"""

from __future__ import annotations

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from moderation.api import list_cache
from moderation.channels.base import RemoteAuthor, RemoteItem
from moderation.data_version import items_version
from moderation.models import Author, Item, ItemState
from moderation.redis_client import cache_redis
from moderation.services.classify import item_classify
from moderation.services.data_protection import author_erase, retention_apply
from moderation.services.ingest import channel_poll
from moderation.services.ingest.items import Counts, store_items
from moderation.services.queue import item_dismiss
from moderation.tasks import action_execute
from tests.api.conftest import bearer, make_token
from tests.factories import ChannelFactory, ItemFactory, lead, officer, viewer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("minute_cache")]
URL = "/api/v1/items/"


def _page(client, url=URL):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response


def _cached_twice(client, url=URL):
    """The list, asked twice: the second answer must come from the cache."""
    first = _page(client, url)
    second = _page(client, url)
    assert second["Cache-Status"] == list_cache.HIT
    assert second.content == first.content
    return second.json()


def _row(body, pk):
    return next(row for row in body["results"] if row["id"] == pk)


def test_a_second_identical_request_is_a_hit_with_the_same_bytes_and_no_query(
    reader, django_assert_num_queries
):
    ItemFactory.create_batch(3)
    first = _page(reader)
    assert first["Cache-Status"] == list_cache.MISS
    with django_assert_num_queries(0):
        second = _page(reader)
    assert second["Cache-Status"] == list_cache.HIT
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] == "application/json"
    assert second["Vary"] == first["Vary"]


def _commands_sent(monkeypatch):
    """The names of the Redis commands sent from now on, on any connection (the throttle's own
    connection too, moderation/redis_client.py)."""
    from redis.connection import AbstractConnection

    sent = []
    send = AbstractConnection.send_command

    def recording(self, *args, **options):
        sent.append(args[0])
        return send(self, *args, **options)

    monkeypatch.setattr(AbstractConnection, "send_command", recording)
    return sent


def test_a_hit_costs_one_redis_round_trip_the_throttle_reading_the_version_along(reader, monkeypatch):
    ItemFactory.create_batch(3)
    _page(reader)
    sent = _commands_sent(monkeypatch)
    assert _page(reader)["Cache-Status"] == list_cache.HIT
    assert sent == ["EVALSHA"]  # the throttle's script, which also read the data version


def test_ingested_item_shows_at_once():
    reader = bearer(make_token("read"))
    channel = ChannelFactory()
    ItemFactory(channel=channel)
    before = _cached_twice(reader)
    now = timezone.now()
    remote = RemoteItem(
        platform_id="new-comment-1",
        kind="comment",
        text="When is the boiler being fixed?",
        created_at=now,
        author=RemoteAuthor(platform_user_id="77", handle="tenant77"),
    )
    with transaction.atomic():  # as the poll and webhook services call it
        store_items(channel, [remote], Counts(), now=now)
    after = _page(reader).json()
    assert len(after["results"]) == len(before["results"]) + 1
    assert after["results"][0]["platform_id"] == "new-comment-1"


def test_classified_flags_show_at_once(reader):
    item = ItemFactory(text="You absolute wanker, ring me on 07845 123456")
    assert _row(_cached_twice(reader), item.pk)["flags"] == []
    item_classify(item_id=item.pk)
    assert _row(_page(reader).json(), item.pk)["flags"], "the new flags are not in the cached list"


def test_a_transition_shows_at_once(reader):
    item = ItemFactory()
    assert _row(_cached_twice(reader), item.pk)["state"] == ItemState.NEW
    item_dismiss(item_id=item.pk, actor=officer(username="olu"), reason="not a breach")
    assert _row(_page(reader).json(), item.pk)["state"] == ItemState.RESOLVED


def test_a_hide_done_on_the_platform_shows_at_once(fake_platforms, meta_settings):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 1)
    channel = fake_platforms.facebook_page_channel()
    channel_poll(channel_id=channel.pk)
    item = Item.objects.get(channel=channel, kind="comment")
    reader = bearer(make_token("read"))
    assert _row(_cached_twice(reader), item.pk)["visibility"] == "visible"
    actor = bearer(make_token("read,act", name="actor"))
    action = actor.post(f"{URL}{item.pk}/hide/", {"clause": "2.3"}, format="json").json()
    action_execute(action["id"])  # what the worker does once the request has committed
    row = _row(_page(reader).json(), item.pk)
    assert (row["visibility"], row["state"]) == ("hidden", ItemState.RESOLVED)


def test_an_erasure_shows_at_once(reader):
    item = ItemFactory(text="My name is on this comment")
    assert _row(_cached_twice(reader), item.pk)["author"] is not None
    author = Author.objects.get(pk=item.author_id)
    author_erase(platform=author.platform, platform_user_id=author.platform_user_id, actor=lead())
    row = _row(_page(reader).json(), item.pk)
    assert (row["text"], row["author"]) == ("", None)


def test_a_retention_purge_shows_at_once(reader):
    old = timezone.now() - timedelta(days=3650)
    item = ItemFactory(text="An old comment")
    Item.objects.filter(pk=item.pk).update(
        received_at=old, state=ItemState.RESOLVED, outcome="dismissed", resolved_at=old + timedelta(hours=1)
    )
    assert _row(_cached_twice(reader), item.pk)["text"] == "An old comment"
    retention_apply()
    assert _row(_page(reader).json(), item.pk)["text"] == ""


def test_an_admin_edit_shows_at_once(reader, client):
    item = ItemFactory()
    assert _row(_cached_twice(reader), item.pk)["author"]["display_name"] != "Renamed in the admin"
    admin = lead(username="admin-editor", is_staff=True, is_superuser=True)
    client.force_login(admin)
    author = Author.objects.get(pk=item.author_id)
    response = client.post(
        f"/admin/moderation/author/{author.pk}/change/",
        {
            "handle": author.handle,
            "display_name": "Renamed in the admin",
            "notes": "",
            **{f"restrictions-{k}": n for k, n in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))},
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert _row(_page(reader).json(), item.pk)["author"]["display_name"] == "Renamed in the admin"


def test_a_rolled_back_write_does_not_move_the_version(reader):
    item = ItemFactory()
    _cached_twice(reader)
    before = items_version()

    def write_then_fail():
        with transaction.atomic():
            Item.objects.filter(pk=item.pk).update(text="never committed")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert items_version() == before
    assert _page(reader)["Cache-Status"] == list_cache.HIT


def test_plain_sql_in_autocommit_moves_the_version_after_the_statement(reader):
    item = ItemFactory()
    _cached_twice(reader)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE moderation_item SET text = %s WHERE id = %s", ["raw sql", item.pk])
    assert _row(_page(reader).json(), item.pk)["text"] == "raw sql"


def test_reads_do_not_move_the_version(reader):
    ItemFactory.create_batch(2)
    connection._page_statements = None  # so this request PREPAREs its page statement again
    before = items_version()
    _page(reader)
    list(Item.objects.all())
    with transaction.atomic():
        list(Item.objects.select_for_update()[:1])
    assert items_version() == before


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("viewer", "officer"),
        ("officer", "lead"),
        ("token_read", "viewer"),  # a read token acts as a Viewer, but its scopes differ
        ("token_read", "token_read_act"),
    ],
)
def test_callers_with_different_rights_never_share_an_entry(one, other):
    ItemFactory.create_batch(2)
    clients = {}
    for name in (one, other):
        if name.startswith("token_"):
            clients[name] = bearer(make_token(name.removeprefix("token_").replace("_", ","), name=name))
        else:
            user = {"viewer": viewer, "officer": officer, "lead": lead}[name](username=f"u-{name}")
            clients[name] = APIClient()
            clients[name].force_login(user)
    assert _page(clients[one])["Cache-Status"] == list_cache.MISS
    assert _page(clients[other])["Cache-Status"] == list_cache.MISS
    assert _page(clients[one])["Cache-Status"] == list_cache.HIT


def test_two_tokens_with_the_same_scope_share_an_entry():
    ItemFactory.create_batch(2)
    assert _page(bearer(make_token("read", name="a")))["Cache-Status"] == list_cache.MISS
    assert _page(bearer(make_token("read", name="b")))["Cache-Status"] == list_cache.HIT


def test_a_kept_tokens_permissions_are_sorted_once_not_on_every_request(monkeypatch):
    from accounts.models import User

    reader = bearer(make_token("read", name="kept"))
    ItemFactory()
    first = _page(reader)  # the token is read from the database and kept in the process
    asked = []
    every = User.get_all_permissions
    monkeypatch.setattr(
        User, "get_all_permissions", lambda self, obj=None: asked.append(1) or every(self, obj)
    )
    second = _page(reader)
    assert second["Cache-Status"] == list_cache.HIT
    assert second.content == first.content
    assert asked == []


def test_a_caller_without_the_permission_is_refused_even_when_an_entry_exists(reader, plain_user):
    ItemFactory()
    _cached_twice(reader)
    nobody = APIClient()
    nobody.force_login(plain_user)
    assert nobody.get(URL).status_code == 403
    assert bearer(make_token("act", name="act-only")).get(URL).status_code == 403


def test_the_key_covers_query_cursor_page_size_host_and_media_type(reader):
    ItemFactory.create_batch(4)
    first = _page(reader, f"{URL}?page_size=2")
    assert _page(reader, f"{URL}?page_size=3")["Cache-Status"] == list_cache.MISS
    cursor_page = _page(reader, first.json()["next"])
    assert cursor_page["Cache-Status"] == list_cache.MISS
    assert cursor_page.json()["results"] != first.json()["results"]
    assert _page(reader, f"{URL}?page_size=2&state=new")["Cache-Status"] == list_cache.MISS
    # The same parameters in another order are the same question (the links sort them too).
    assert _page(reader, f"{URL}?state=new&page_size=2")["Cache-Status"] == list_cache.HIT
    other_host = reader.get(f"{URL}?page_size=2", HTTP_HOST="127.0.0.1")
    assert other_host["Cache-Status"] == list_cache.MISS
    assert other_host.json()["next"].startswith("http://127.0.0.1/")
    indented = reader.get(f"{URL}?page_size=2", HTTP_ACCEPT="application/json; indent=4")
    assert indented["Cache-Status"] == list_cache.MISS
    assert indented.content.startswith(b"{\n    ")


def test_an_entry_expires_after_its_lifetime(reader, settings, monkeypatch):
    settings.API_LIST_CACHE_SECONDS = 1.0
    ItemFactory()
    clock = _entry_clock(monkeypatch)
    _page(reader)
    clock[0] += 0.7  # before the refresh-ahead window (the last quarter of the life)
    assert _page(reader)["Cache-Status"] == list_cache.HIT
    clock[0] += 0.4
    assert _page(reader)["Cache-Status"] == list_cache.MISS


def _entry_clock(monkeypatch):
    """The clock the list cache reads, and only it (not the throttle's), moved by hand."""
    clock = [1000.0]
    fake = SimpleNamespace(monotonic=lambda: clock[0], time=lambda: 1_800_000_000 + clock[0])
    monkeypatch.setattr(list_cache, "time", fake)
    return clock


def _wsgi_get(token, *, close=True):
    """The list through Django's WSGI handler, as a server runs it: the body is read, and the
    answer closed only after that (close=False: left to the caller)."""
    from django.core.handlers.wsgi import WSGIHandler

    from bench.api_profile import api_environ

    seen = {}

    def start_response(status, headers, *_):
        seen["status"], seen["headers"] = status, dict(headers)

    answer = WSGIHandler()(api_environ(URL, token), start_response)
    body = b"".join(answer)
    assert seen["status"].startswith("200"), body
    if close:
        answer.close()
    return seen["headers"]["Cache-Status"], body, answer.close


def test_a_page_asked_for_near_the_end_of_its_life_is_rebuilt_after_the_answer(settings, monkeypatch):
    settings.API_LIST_CACHE_SECONDS = 1.0
    token = make_token("read", name="refresher")
    item = ItemFactory()
    clock = _entry_clock(monkeypatch)
    assert _wsgi_get(token)[0] == list_cache.MISS
    ((key, first),) = list_cache._entries.items()
    # A change the data version does not see, as from a process with the cache off (docs/api.md):
    # only the lifetime bounds it.
    settings.API_LIST_CACHE_SECONDS = 0
    Item.objects.filter(pk=item.pk).update(text="changed unseen")
    settings.API_LIST_CACHE_SECONDS = 1.0
    clock[0] += 0.8  # in the last quarter of the entry's life
    status, body, close = _wsgi_get(token, close=False)
    assert status == list_cache.HIT
    assert body == first[1]
    assert list_cache._entries[key] == first  # the answer was complete before the rebuild began
    close()
    renewed = list_cache._entries[key]
    assert renewed[0] == clock[0] + 1.0  # a whole life, counted from the rebuild's version read
    assert b"changed unseen" in renewed[1]
    clock[0] += 0.5  # past the first entry's life, inside the new one's: a hit, nobody built
    assert _wsgi_get(token)[:2] == (list_cache.HIT, renewed[1])
    list_cache.clear(shared=False)  # another process gets the rebuilt entry, with the life it has left
    assert _wsgi_get(token)[:2] == (list_cache.HIT, renewed[1])
    clock[0] += 0.6
    list_cache.clear(shared=False)
    assert _wsgi_get(token)[0] == list_cache.MISS  # never past its lifetime


def test_a_refresh_another_process_claimed_is_not_tried_again(settings, monkeypatch):
    settings.API_LIST_CACHE_SECONDS = 1.0
    token = make_token("read", name="refresher")
    ItemFactory()
    clock = _entry_clock(monkeypatch)
    _wsgi_get(token)
    ((key, first),) = list_cache._entries.items()
    cache_redis().set(list_cache._building(key, items_version()), b"1", px=5000)  # the other's claim
    clock[0] += 0.8
    sent = _commands_sent(monkeypatch)
    for _ in range(3):
        assert _wsgi_get(token)[0] == list_cache.HIT
    assert list_cache._entries[key] == first  # the claimant rebuilds it, not this process
    assert sent == ["EVALSHA", "SET", "EVALSHA", "EVALSHA"]  # the claim tried once, then not again


def test_another_process_serves_the_entry_one_process_built(reader, monkeypatch):
    item = ItemFactory()
    first = _page(reader)
    list_cache.clear(shared=False)  # as if the next request reached another web process
    second = _page(reader)
    assert second["Cache-Status"] == list_cache.HIT
    assert second.content == first.content
    list_cache.clear(shared=False)
    item_dismiss(item_id=item.pk, actor=officer(username="olu"), reason="not a breach")
    assert _row(_page(reader).json(), item.pk)["state"] == ItemState.RESOLVED
    list_cache.clear(shared=False)
    later = time.time() + 61  # past the minute's lifetime
    monkeypatch.setattr(list_cache.time, "time", lambda: later)
    assert _page(reader)["Cache-Status"] == list_cache.MISS


def test_a_request_waits_for_the_page_another_is_building(reader):
    import threading

    from moderation.redis_client import cache_redis

    ItemFactory()
    built = _page(reader)
    key = next(iter(list_cache._entries))
    list_cache.clear()
    version = items_version()
    building = list_cache._building(key, version)
    cache_redis().set(building, b"1", px=5000)  # another process has started building it
    # ... and stores it while this request waits (a timer thread stands in for the other process).
    other = threading.Timer(
        0.02,
        list_cache._shared_set,
        (key, version, version.head, time.time(), 60.0, built.content, built["Content-Type"]),
    )
    other.start()
    waited = _page(reader)
    other.join()
    assert waited["Cache-Status"] == list_cache.HIT
    assert waited.content == built.content
    assert cache_redis().get(building) is None  # storing the page ends the claim


def test_a_request_waits_as_long_as_the_builders_claim_lives(reader):
    import threading

    ItemFactory()
    built = _page(reader)
    key = next(iter(list_cache._entries))
    list_cache.clear()
    version = items_version()
    cache_redis().set(list_cache._building(key, version), b"1", px=list_cache.CLAIM_MS)
    # The other builder is slow (a busy machine) but delivers while its claim lives.
    late = list_cache.CLAIM_MS / 1000 * 0.6
    other = threading.Timer(
        late,
        list_cache._shared_set,
        (key, version, version.head, time.time(), 60.0, built.content, built["Content-Type"]),
    )
    other.start()
    waited = _page(reader)
    other.join()
    assert waited["Cache-Status"] == list_cache.HIT  # it did not build the page a second time
    assert waited.content == built.content


def test_a_request_builds_the_page_itself_when_the_other_builder_never_delivers(reader, monkeypatch):
    from moderation.redis_client import cache_redis

    ItemFactory()
    _page(reader)
    key = next(iter(list_cache._entries))
    list_cache.clear()
    cache_redis().set(list_cache._building(key, items_version()), b"1", px=5000)
    assert _page(reader)["Cache-Status"] == list_cache.MISS


def test_errors_are_not_cached(reader):
    bad = f"{URL}?cursor=not-a-cursor"
    assert reader.get(bad).status_code == 400
    response = reader.get(bad)
    assert response.status_code == 400
    assert "Cache-Status" not in response


def test_off_when_the_lifetime_is_zero(reader, settings):
    settings.API_LIST_CACHE_SECONDS = 0
    ItemFactory()
    _page(reader)
    assert "Cache-Status" not in _page(reader)
