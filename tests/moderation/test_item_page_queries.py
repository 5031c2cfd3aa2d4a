"""The item page reads a fixed number of queries however long the author's history, the thread,
the flags, the actions and the audit trail are (docs/benchmarks.md: dashboard pages)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ActionFactory, AuthorFactory, FlagFactory, ItemFactory, officer

pytestmark = pytest.mark.django_db


def _grow(item, n):
    for _ in range(n):
        earlier = ItemFactory(author=item.author, channel=item.channel)
        FlagFactory(item=earlier)
        FlagFactory(item=item)
        ActionFactory(item=item, kind="hide", status="confirmed")  # one open action per kind at most
        ItemFactory(channel=item.channel, parent=item.parent, thread_root=item.thread_root, kind="reply")
        ItemFactory(
            author=AuthorFactory(handle=item.author.handle), channel=item.channel
        )  # same person elsewhere


def test_item_page_queries_do_not_grow_with_what_it_shows(client):
    root = ItemFactory(kind="post")
    item = ItemFactory(
        channel=root.channel, parent=root, thread_root=root, author=AuthorFactory(handle="sam")
    )
    _grow(item, 1)
    client.force_login(officer())
    client.get(f"/items/{item.pk}/")  # claims it: later opens are alike
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/items/{item.pk}/").status_code == 200
    _grow(item, 6)
    with CaptureQueriesContext(connection) as many:
        body = client.get(f"/items/{item.pk}/").content.decode()
    assert body.count('data-action="') > 0
    assert len(many) == len(few)
    assert len(few) <= 19  # 21 when the author history fetched the author again and its ids apart
