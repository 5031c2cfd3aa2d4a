"""Ingestion and the policy engine find the same links in a comment (issue 7).

They once used two regexes: ingestion stored bare "bit.ly/x" links the policy's text scan did
not see, and the policy found links ingestion did not store. Now both call
moderation.policy.urls_in_text.find_urls; these tests fail if either grows its own again.
"""

import pytest
from django.utils import timezone

from moderation.channels.base import RemoteAuthor, RemoteItem
from moderation.models import Item
from moderation.policy import check
from moderation.policy.urls_in_text import find_urls
from moderation.services.ingest.items import Counts, store_items
from tests.factories import ChannelFactory

TEXTS = [
    "Pay your arrears here http://havebury-login.com/verify.",
    "free iphone bit.ly/3xYz9 !!",
    "see https://www.gov.uk/housing-benefit, and www.havebury.com/repairs)",
    "(details at https://en.wikipedia.org/wiki/Damp_(structural))",
    "my cousin said e.g. Mill.Lane is flooded; no link here",
    "two: example.co.uk/page and news.bbc.co.uk/story?id=4 then https://185.22.14.9/invoice.exe",
    "same link twice http://tinyurl.com/abc http://tinyurl.com/abc",
    "",
]


def test_find_urls_reads_schemes_www_and_bare_domains_with_a_path():
    assert [f.url for f in find_urls(TEXTS[2])] == [
        "https://www.gov.uk/housing-benefit",
        "www.havebury.com/repairs",
    ]
    assert [f.url for f in find_urls(TEXTS[1])] == ["bit.ly/3xYz9"]
    assert [f.url for f in find_urls(TEXTS[3])] == ["https://en.wikipedia.org/wiki/Damp_(structural)"]
    assert find_urls(TEXTS[4]) == []
    assert [f.url for f in find_urls(TEXTS[5])] == [
        "example.co.uk/page",
        "news.bbc.co.uk/story?id=4",
        "https://185.22.14.9/invoice.exe",
    ]
    assert len(find_urls(TEXTS[6])) == 1
    [found] = find_urls(TEXTS[0])
    assert TEXTS[0][found.start : found.end] == found.url == "http://havebury-login.com/verify"


@pytest.mark.django_db
@pytest.mark.parametrize("text", TEXTS)
def test_ingestion_stores_exactly_the_links_the_policy_reads(text):
    channel = ChannelFactory()
    remote = RemoteItem(
        platform_id="c1", kind="comment", text=text, created_at=timezone.now(), author=RemoteAuthor("u1")
    )
    store_items(channel, [remote], Counts(), now=timezone.now())
    stored = Item.objects.get(channel=channel, platform_id="c1").links
    assert stored == [f.url for f in find_urls(text)]
    # Handing the stored links back to the engine changes nothing: it already read them all.
    from_text = check(text, use_model=False)
    with_links = check(text, links=stored, use_model=False)
    assert [(f.category, f.source) for f in with_links.flags] == [
        (f.category, f.source) for f in from_text.flags
    ]


def test_a_bare_shortener_link_in_the_text_is_flagged_without_help_from_ingestion():
    """The policy's own scan once missed "bit.ly/x" written without a scheme."""
    assert "inappropriate_link" in check(TEXTS[1], use_model=False).categories
