"""The queue's keyset pages: the working order (most urgent, then oldest, then id) walked page by
page with one row-value comparison, across priorities and ties on received_at."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation.selectors import item_queue, item_queue_page
from tests.factories import ItemFactory, officer

pytestmark = pytest.mark.django_db


def test_pages_walk_the_whole_queue_in_order_without_gaps_or_repeats():
    moment = timezone.now() - timedelta(hours=1)
    for priority in (0, 3, 1, 2):
        for minutes in (2, 0, 0, 1):  # two items share a received_at: the id breaks the tie
            ItemFactory(priority=priority, received_at=moment + timedelta(minutes=minutes))
    ItemFactory(state="resolved", outcome="dismissed")  # not in the open queue
    person = officer()
    expected = [i.pk for i in item_queue(officer=person).order_by("-priority", "received_at", "id")]
    seen, after = [], ""
    while True:
        items, after = item_queue_page(officer=person, after=after, size=3)
        seen += [i.pk for i in items]
        if not after:
            break
    assert len(expected) == 16
    assert seen == expected


def test_a_cursor_page_is_one_row_value_range():
    """No "priority < p OR (priority = p AND ...)": that made PostgreSQL walk every earlier row."""
    ItemFactory.create_batch(4)
    person = officer()
    _, after = item_queue_page(officer=person, size=2)
    with CaptureQueriesContext(connection) as captured:
        item_queue_page(officer=person, after=after, size=2)
    page_sql = " ".join(captured.captured_queries[0]["sql"].split())
    row_value = (
        '(("moderation_item"."priority" * -1), "moderation_item"."received_at", "moderation_item"."id") >'
    )
    assert row_value in page_sql
    assert " OR " not in page_sql
