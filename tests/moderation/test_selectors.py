import pytest
from django.db import connection

from moderation import selectors
from tests.factories import AuthorFactory, ItemFactory, officer

pytestmark = pytest.mark.django_db


def _plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_open_queue_orders_by_priority_then_age_and_skips_resolved():
    old_normal = ItemFactory(priority=1)
    urgent = ItemFactory(priority=3)
    newer_normal = ItemFactory(priority=1)
    ItemFactory(state="resolved", outcome="dismissed", priority=3)
    escalated = ItemFactory(state="escalated", priority=0)
    claimed = ItemFactory(state="in_review", claimed_by=officer(), priority=2)
    assert list(selectors.item_open_queue()) == [urgent, claimed, old_normal, newer_normal, escalated]


def test_open_queue_is_one_query(django_assert_num_queries):
    ItemFactory.create_batch(5)
    with django_assert_num_queries(1):
        rows = [(i.channel.handle, i.author.handle) for i in selectors.item_open_queue()[:50]]
    assert len(rows) == 5


def test_queue_and_author_reads_can_use_their_indexes():
    author = AuthorFactory()
    ItemFactory(author=author)
    assert "item_open_queue_idx" in _plan(selectors.item_open_queue().values("id")[:50])
    assert "item_author_idx" in _plan(selectors.author_items(author_id=author.pk).values("id")[:50])
