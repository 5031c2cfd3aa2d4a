"""store_items, the one write path of ingestion: a fixed handful of statements a page, links
within a page, unchanged rows left alone, authors written only when new or renamed."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from moderation.channels.base import RemoteAuthor, RemoteItem
from moderation.models import Author, Item, ItemState, Visibility
from moderation.services.ingest.items import Counts, store_items
from tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db

POST = "108000000000001_1"
T0 = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


def page(n, *, text="Comment", name="Tenant"):
    """A post, n comments, every third a reply to the comment before it; one author per two."""
    items = [RemoteItem(POST, "post", "Our post", T0, None)]
    for i in range(n):
        items.append(
            RemoteItem(
                platform_id=f"1_{i}",
                kind="reply" if i % 3 == 2 else "comment",
                text=f"{text} {i} see www.example.org/{i}",
                created_at=T0 + dt.timedelta(seconds=i),
                author=RemoteAuthor(f"72819{i // 2:05d}", handle="", display_name=f"{name} {i // 2}"),
                parent_id=f"1_{i - 1}" if i % 3 == 2 else POST,
                thread_root_id=POST,
                permalink=f"https://www.facebook.com/{POST}?comment_id={i}",
                raw={"id": f"1_{i}"},
            )
        )
    return items


def store(channel, items, now=None):
    counts = Counts()
    with transaction.atomic():
        ids = store_items(channel, items, counts, now=now or timezone.now())
    return ids, counts


def test_a_page_costs_the_same_few_statements_however_long_it_is(django_assert_max_num_queries):
    small, large = ChannelFactory(), ChannelFactory()
    with django_assert_max_num_queries(12) as short:
        store(small, page(6))
    with django_assert_max_num_queries(len(short.captured_queries)):
        store(large, page(150))
    with django_assert_max_num_queries(len(short.captured_queries)):
        store(large, page(150))  # the re-poll


def test_new_items_are_linked_within_the_page_and_counted_once():
    channel = ChannelFactory()
    ids, counts = store(channel, page(9))
    post = Item.objects.get(channel=channel, platform_id=POST)
    assert (post.state, post.outcome) == (ItemState.RESOLVED, "auto_cleared")  # our own post: context
    reply = Item.objects.get(channel=channel, platform_id="1_2")
    assert reply.parent.platform_id == "1_1"  # new in the same page, linked all the same
    assert reply.thread_root_id == post.pk
    assert reply.links == ["www.example.org/2"]
    assert reply.raw == {"id": "1_2"}
    assert reply.author.display_name == "Tenant 1"
    assert reply.author.item_count == 2
    assert counts.total("new") == 10
    assert sorted(ids) == sorted(
        Item.objects.filter(channel=channel).exclude(kind="post").values_list("pk", flat=True)
    )


def test_a_re_poll_rewrites_nothing_unchanged_and_classifies_only_the_edit():
    channel = ChannelFactory()
    store(channel, page(6), now=T0)
    before = {i.platform_id: i for i in Item.objects.filter(channel=channel)}
    authors = {a.pk: a.updated_at for a in Author.objects.all()}
    later = T0 + dt.timedelta(minutes=5)
    items = page(6)
    items[3] = RemoteItem(**{**{f: getattr(items[3], f) for f in items[3].__slots__}, "text": "changed"})
    with time_machine.travel(later, tick=False):
        ids, counts = store(channel, items, now=later)
    edited = Item.objects.get(channel=channel, platform_id=items[3].platform_id)
    assert ids == [edited.pk]
    assert (counts.total("new"), counts.total("updated"), counts.total("unchanged")) == (0, 1, 6)
    assert edited.edited_on_platform_at == later
    for item in Item.objects.filter(channel=channel).exclude(pk=edited.pk):
        assert item.updated_at == before[item.platform_id].updated_at  # not rewritten
        assert item.fetched_at == later  # but seen: not a deletion candidate
        assert item.received_at == before[item.platform_id].received_at
    assert {a.pk: a.updated_at for a in Author.objects.all()} == authors  # no author rewritten


def test_a_renamed_author_and_a_hidden_comment_are_written():
    channel = ChannelFactory()
    store(channel, page(3))
    items = page(3, name="Renamed")
    items[1] = RemoteItem(**{**{f: getattr(items[1], f) for f in items[1].__slots__}, "hidden": True})
    ids, counts = store(channel, items)
    assert ids == []  # same text: nothing to classify again
    assert counts.total("updated") == 1
    assert Item.objects.get(channel=channel, platform_id="1_0").visibility == Visibility.HIDDEN
    assert set(Author.objects.values_list("display_name", flat=True)) == {"Renamed 0", "Renamed 1"}
    assert Author.objects.count() == 2


def test_an_unchanged_comment_gets_the_parent_that_arrived_after_it():
    channel = ChannelFactory()
    reply = page(3)[3]
    store(channel, [reply])  # a webhook brought the reply before its parent
    assert Item.objects.get(channel=channel, platform_id="1_2").parent is None
    store(channel, page(3))
    stored = Item.objects.get(channel=channel, platform_id="1_2")
    assert stored.parent.platform_id == "1_1"
    assert stored.thread_root.platform_id == POST


def test_a_platform_id_shaped_like_a_time_is_kept_as_text():
    """store_items reads each row's received_at back as a time (for the list cache's floor,
    moderation/data_version.py); the platform id beside it stays the text it was."""
    channel = ChannelFactory()
    platform_id = "2026-12-02T09:15:02"
    remote = RemoteItem(platform_id, "comment", "Is the hall open?", T0, RemoteAuthor("5", "t5"))
    (pk,) = store_items(channel, [remote], Counts(), now=timezone.now())
    assert Item.objects.get(pk=pk).platform_id == platform_id


def test_a_naive_datetime_from_sqlite_reads_back_as_utc():
    """Django's SQLite connection parses declared datetime columns into naive datetimes."""
    from datetime import UTC, datetime

    from moderation.services.ingest.items import _from_db

    naive = datetime(2026, 12, 2, 17, 18, 30)  # noqa: DTZ001 - what SQLite's connection returns
    assert _from_db(naive) == datetime(2026, 12, 2, 17, 18, 30, tzinfo=UTC)
    assert _from_db("1029384756_0000000001") == "1029384756_0000000001"
