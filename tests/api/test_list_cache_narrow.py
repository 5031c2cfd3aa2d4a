"""Narrow invalidation of the items list's cache (moderation/data_version.py, "head and floors").

Ingesting and classifying new items moves only the head on: a cursor page stays cached while
every write since it was made touched items received later than its cursor. These tests keep
the lifetime at a minute, so only the versions can make a change show, and compare what the
cache answers with what a fresh build answers after each write, whatever the write path.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from moderation.api import list_cache
from moderation.channels.base import RemoteAuthor, RemoteItem
from moderation.data_version import (
    HISTORY,
    KEY,
    Version,
    items_changed,
    items_touched_from,
    items_version,
    items_written_from,
    micros,
    parse,
)
from moderation.models import Author, AutoActionRule, EscalationSettings, Item, ItemState
from moderation.redis_client import cache_redis
from moderation.services.classify import item_classify
from moderation.services.data_protection import author_erase
from moderation.services.ingest.items import Counts, store_items
from moderation.services.queue import item_dismiss
from tests.factories import ChannelFactory, ItemFactory, lead, officer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("minute_cache")]
URL = "/api/v1/items/"
PAGE = 3
RUDE = "You absolute wanker, ring me on 07845 123456"


@pytest.fixture
def channel():
    return ChannelFactory()


@pytest.fixture
def items(channel):
    """12 items a minute apart, newest first by pk order reversed: 4 pages of 3."""
    start = timezone.now() - timedelta(hours=1)
    made = []
    for n in range(12):
        item = ItemFactory(channel=channel, platform_id=f"old-{n}", text=f"Comment number {n}")
        Item.objects.filter(pk=item.pk).update(received_at=start + timedelta(minutes=n))
        made.append(item.pk)
    return made


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response


def _page_urls(client, count=4, query=""):
    """The first `count` pages' URLs, following the next links, each asked twice (so cached)."""
    urls = [f"{URL}?page_size={PAGE}{query}"]
    while len(urls) < count and (following := _get(client, urls[-1]).json()["next"]):
        urls.append(following)
    for url in urls:
        _get(client, url)
        assert _get(client, url)["Cache-Status"] == list_cache.HIT
    return urls


def _ids(response):
    return [row["id"] for row in response.json()["results"]]


def _remote(platform_id, text, *, user="77", name="Tenant 77"):
    return RemoteItem(
        platform_id=platform_id,
        kind="comment",
        text=text,
        created_at=timezone.now(),
        author=RemoteAuthor(platform_user_id=user, handle=f"tenant{user}", display_name=name),
    )


def _store(channel, *remote):
    now = timezone.now()
    with transaction.atomic():  # as the poll and webhook services call it
        return store_items(channel, list(remote), Counts(), now=now)


def test_a_classification_on_page_3_shows_on_page_3_and_leaves_the_page_below_cached(reader, items):
    # No automatic hide: that is an action, which moves every page on (the test below covers it).
    AutoActionRule.objects.update(enabled=False)
    EscalationSettings.objects.update_or_create(pk=1, defaults={"hide_high_risk_out_of_hours": False})
    top_of_page_3 = items[-7]  # 12 items newest first, 3 a page
    Item.objects.filter(pk=top_of_page_3).update(text=RUDE)
    urls = _page_urls(reader)
    assert _ids(_get(reader, urls[2]))[0] == top_of_page_3
    before = items_version()
    item_classify(item_id=top_of_page_3)
    after = items_version()
    assert (after.number, after.head) == (before.number, before.head + 1), "classify moved every page on"
    row = next(r for r in _get(reader, urls[2]).json()["results"] if r["id"] == top_of_page_3)
    assert row["flags"], "the new flags are not on page 3"
    assert _get(reader, urls[3])["Cache-Status"] == list_cache.HIT  # page 4 is all older items
    assert _get(reader, urls[0])["Cache-Status"] == list_cache.MISS  # a first page has no bound


def test_an_insert_shows_on_page_1_and_the_cursor_pages_stay_cached(reader, channel, items):
    urls = _page_urls(reader)
    kept = [_get(reader, url).content for url in urls[1:]]
    _store(channel, _remote("brand-new", "When is the boiler being fixed?"))
    first = _get(reader, urls[0]).json()
    assert first["results"][0]["platform_id"] == "brand-new"
    for url, content in zip(urls[1:], kept, strict=True):
        response = _get(reader, url)
        assert response["Cache-Status"] == list_cache.HIT
        assert response.content == content  # the items below a cursor did not change


def test_an_edit_of_an_old_item_through_ingestion_shows_on_its_page(reader, channel, items):
    urls = _page_urls(reader)
    on_page_4 = _ids(_get(reader, urls[3]))[1]
    platform_id = Item.objects.get(pk=on_page_4).platform_id
    _store(channel, _remote(platform_id, "Edited: the lift is broken again"))
    row = next(r for r in _get(reader, urls[3]).json()["results"] if r["id"] == on_page_4)
    assert row["text"] == "Edited: the lift is broken again"


def test_a_new_name_for_a_known_author_shows_on_all_their_items(reader, channel, items):
    urls = _page_urls(reader)
    oldest = Item.objects.get(pk=_ids(_get(reader, urls[3]))[-1])
    author = Author.objects.get(pk=oldest.author_id)
    _store(channel, _remote("from-them", "Thanks!", user=author.platform_user_id, name="Renamed Person"))
    row = next(r for r in _get(reader, urls[3]).json()["results"] if r["id"] == oldest.pk)
    assert row["author"]["display_name"] == "Renamed Person"


def test_a_decision_moves_every_page_on(reader, items):
    urls = _page_urls(reader)
    on_page_4 = _ids(_get(reader, urls[3]))[0]
    before = items_version()
    item_dismiss(item_id=on_page_4, actor=officer(username="olu"), reason="not a breach")
    assert items_version().number == before.number + 1
    row = next(r for r in _get(reader, urls[3]).json()["results"] if r["id"] == on_page_4)
    assert row["state"] == ItemState.RESOLVED


def _fresh(client, url, settings):
    settings.API_LIST_CACHE_SECONDS = 0
    try:
        return _get(client, url).content
    finally:
        settings.API_LIST_CACHE_SECONDS = 60.0


@pytest.mark.parametrize("query", ["", "&state=new", "&flagged=true"])
def test_every_cached_page_equals_a_fresh_build_after_every_kind_of_write(
    reader, channel, items, settings, query
):
    """Nothing stale: after each write, through each path, each page the cache answers (first,
    cursor pages made before the write and after it) is byte for byte what a build answers."""
    rng = random.Random(9)
    hits = 0
    for step in range(14):
        urls = _page_urls(reader, query=query)
        pks = list(Item.objects.order_by("pk").values_list("pk", flat=True))
        kind = step % 7
        if kind == 0:
            _store(channel, _remote(f"new-{step}", rng.choice([RUDE, "Is the hall open?"])))
        elif kind == 1:
            classify = Item.objects.filter(classified_at__isnull=True).order_by("?").first()
            if classify is not None:
                Item.objects.filter(pk=classify.pk).update(text=RUDE)
                item_classify(item_id=classify.pk)
        elif kind == 2:
            old = Item.objects.get(pk=rng.choice(pks))
            _store(channel, _remote(old.platform_id, f"Edited {step}: {RUDE}"))
        elif kind == 3:
            open_ = Item.objects.exclude(state=ItemState.RESOLVED).order_by("?").first()
            if open_ is not None:
                item_dismiss(item_id=open_.pk, actor=officer(username=f"o{step}"), reason="fine")
        elif kind == 4:
            author = Author.objects.get(pk=Item.objects.get(pk=rng.choice(pks)).author_id)
            _store(channel, _remote(f"by-{step}", "Hello", user=author.platform_user_id, name=f"Name {step}"))
        elif kind == 5:
            with connection.cursor() as cursor:  # plain SQL in autocommit
                cursor.execute(
                    "UPDATE moderation_item SET priority = priority + 1 WHERE id = %s", [rng.choice(pks)]
                )
        else:
            erased = Author.objects.get(pk=Item.objects.get(pk=rng.choice(pks)).author_id)
            author_erase(platform=erased.platform, platform_user_id=erased.platform_user_id, actor=lead())
        for url in urls + _page_urls(reader, query=query):
            response = _get(reader, url)
            hits += response["Cache-Status"] == list_cache.HIT
            assert response.content == _fresh(reader, url, settings), (step, kind, url)
    assert hits > 0, "nothing came from the cache: the comparison proves nothing"


def test_versions_parse_and_bound_a_page():
    version = Version(number=7, head=12, floors=b"500 400 300")
    assert version.still_shows(12, None)  # made at this head: any page
    assert not version.still_shows(11, None)  # a first page, after any write
    assert version.still_shows(11, 499)
    assert not version.still_shows(11, 500)
    assert version.still_shows(9, 299)
    assert not version.still_shows(9, 300)
    assert not version.still_shows(8, 1)  # more writes than the floors kept
    assert not version.still_shows(13, 1)  # a head from before a reset
    assert parse(b"41") == Version(41, 0, b"")  # the format before heads
    assert parse(b"41 3 9 8") == Version(41, 3, b"9 8")


def test_the_floors_kept_are_bounded_and_a_plain_write_moves_the_number():
    start = items_version()
    for n in range(HISTORY + 5):
        items_changed(1_000 + n)
    after = items_version()
    assert (after.number, after.head) == (start.number, start.head + HISTORY + 5)
    assert after.floors.split() == [str(1_000 + n).encode() for n in reversed(range(5, HISTORY + 5))]
    items_changed()
    assert parse(cache_redis().get(KEY)) == Version(start.number + 1, after.head, b"")


def test_an_item_touched_below_the_floor_lowers_the_transactions_bump(items):
    old = Item.objects.get(pk=items[0])
    with transaction.atomic(), items_written_from(timezone.now()):
        Item.objects.filter(pk=old.pk).update(text="another process stored it first")
        items_touched_from(old.received_at)
    assert items_version().floors.split()[0] == str(micros(old.received_at)).encode()
