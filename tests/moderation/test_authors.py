import pytest

from moderation.services.authors import authors_refresh_counts
from tests.factories import AuthorFactory, FlagFactory, ItemFactory

pytestmark = pytest.mark.django_db


def test_counts_items_and_upheld_flags_and_is_safe_to_repeat():
    busy, quiet, untouched = AuthorFactory(), AuthorFactory(), AuthorFactory(item_count=7)
    items = ItemFactory.create_batch(3, author=busy)
    FlagFactory(item=items[0], upheld=True)
    FlagFactory(item=items[1], upheld=False)
    FlagFactory(item=items[2], upheld=None)
    assert authors_refresh_counts(author_ids=[busy.pk, quiet.pk, busy.pk]) == 2
    assert authors_refresh_counts(author_ids=[busy.pk, quiet.pk]) == 2
    for author, items_seen, upheld in ((busy, 3, 1), (quiet, 0, 0), (untouched, 7, 0)):
        author.refresh_from_db()
        assert (author.item_count, author.upheld_flag_count) == (items_seen, upheld)


def test_nothing_to_do():
    assert authors_refresh_counts(author_ids=[]) == 0
