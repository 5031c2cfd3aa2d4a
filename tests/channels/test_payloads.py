"""Documented real shapes (payloads/) through the parsers and error mapping, with no server."""

import pytest

from moderation.channels.base import (
    ChannelAuthError,
    ChannelNotFound,
    ChannelPermanentError,
    ChannelPermissionError,
    ChannelRateLimited,
)
from moderation.channels.linkedin import LinkedInAdapter
from moderation.channels.linkedin.parse import comment_item, comment_urn, next_start, reply_count
from moderation.channels.x import XAdapter
from moderation.channels.x.client import XClient
from moderation.channels.x.parse import partial_errors, summoned, tweet_item, tweets, users_by_id
from moderation.channels.youtube import YouTubeAdapter
from moderation.channels.youtube.parse import thread_items
from tests.channels.networks import payload

US = "1500000000000000000"


def test_x_errors_beside_data_and_a_missing_author_keep_every_post():
    body = payload("x_mentions_partial.json")
    users = users_by_id(body)
    first, edited = (
        tweet_item(t, users, account_id=US, own_conversations=["1861100000000000001"]) for t in tweets(body)
    )
    assert (first.kind, first.author.handle, first.author.display_name) == (
        "mention",
        "@janet",
        "Jane Tenant",
    )
    assert edited.kind == "reply"
    assert edited.platform_id == "1861200000000000005"
    assert edited.author.platform_user_id == "1223334444"
    assert edited.author.handle == ""
    assert edited.parent_id == "1861100000000000001"
    assert len(partial_errors(body)) == 2
    assert summoned(first.raw, account_id=US)
    assert summoned(edited.raw, account_id=US)


def test_x_a_body_without_data_is_an_empty_page_or_not_found():
    assert tweets(payload("x_no_results.json")) == []
    assert tweets(payload("x_lookup_deleted.json")) == []
    assert not summoned(
        {"text": "hello", "entities": {"mentions": [{"username": "someoneelse"}]}}, account_id=US
    )
    assert summoned({"referenced_tweets": [{"type": "quoted", "id": "9"}]}, account_id=US, own_posts=["9"])


@pytest.mark.parametrize(
    ("key", "status", "error", "code"),
    [
        ("401", 401, ChannelAuthError, 401),
        ("429", 429, ChannelRateLimited, "rate-limit"),
        ("429-capped", 429, ChannelRateLimited, "usage-capped"),
        ("403-client", 403, ChannelPermissionError, 403),
        ("400", 400, ChannelPermanentError, 400),
    ],
)
def test_x_error_bodies_map_to_channel_errors(key, status, error, code):
    client = XClient(base_url="http://127.0.0.1:9", token="t", clock=lambda: 1_764_000_000.0)
    headers = {"x-rate-limit-limit": "300", "x-rate-limit-remaining": "0", "x-rate-limit-reset": "1764000120"}
    found = client._classify(status, payload("x_errors.json")[key], headers)
    assert isinstance(found, error)
    assert found.code == code
    if key == "429":
        assert found.retry_after == 120  # from x-rate-limit-reset


def test_youtube_partial_replies_html_text_and_an_entry_without_id():
    body = payload("youtube_threads_partial_replies.json")
    items, total, inline = thread_items(body["items"][0])
    top, first_reply, nameless = items
    assert (total, inline) == (7, 2)  # the other 5 replies need comments.list?parentId
    assert top.text == 'Damp in the bathroom again\nSee https://example.org/photo & it\'s "black"'
    assert top.hidden is True  # heldForReview
    assert first_reply.parent_id == "UgxAbC123"
    assert first_reply.thread_root_id == "dQw4w9WgXcQ"
    assert nameless.author is None  # no authorChannelId: keep the comment, no author
    assert thread_items(body["items"][1])[0] == []


@pytest.mark.parametrize(
    ("key", "status", "error", "code"),
    [
        ("commentsDisabled", 403, ChannelPermanentError, "commentsDisabled"),
        ("quotaExceeded", 403, ChannelRateLimited, "quotaExceeded"),
        ("forbidden", 403, ChannelPermanentError, "forbidden"),
        ("authError", 401, ChannelAuthError, "authError"),
        ("processingFailure", 400, ChannelPermanentError, "processingFailure"),
        ("commentNotFound", 404, ChannelNotFound, "commentNotFound"),
        ("invalid_grant", 400, ChannelAuthError, "invalid_grant"),
    ],
)
def test_youtube_error_reasons_map_to_channel_errors(key, status, error, code):
    adapter = YouTubeAdapter(base_url="http://127.0.0.1:9", token="t", account_id="UCxyz")
    found = adapter._classify(status, payload("youtube_errors.json")[key], {})
    assert isinstance(found, error)
    assert found.code == code


def test_linkedin_comments_with_an_organisation_actor_a_reply_and_no_urn_field():
    body = payload("linkedin_comments.json")
    post = "urn:li:share:7096760097833439000"
    top, reply, by_org = (comment_item(c, post_urn=post) for c in body["elements"])
    assert top.platform_id.startswith("urn:li:comment:(urn:li:activity:")
    assert reply_count(body["elements"][0]) == 1
    assert reply.kind == "reply"
    assert reply.parent_id == top.platform_id
    assert reply.thread_root_id == post
    assert reply.author.platform_user_id == "urn:li:organization:2414183"
    assert (
        by_org.platform_id
        == comment_urn(body["elements"][2])
        == ("urn:li:comment:(urn:li:activity:7096760097833439232,7102986562019213500)")
    )
    assert by_org.created_at.year == 2025
    assert (by_org.author.handle, by_org.author.display_name) == ("", "Organization 5550101")
    assert next_start(body, 0, 3) is None  # start + count >= total


@pytest.mark.parametrize(
    ("key", "status", "error", "code"),
    [
        ("401", 401, ChannelAuthError, "INVALID_ACCESS_TOKEN"),
        ("401-revoked", 401, ChannelAuthError, "REVOKED_ACCESS_TOKEN"),
        ("403", 403, ChannelPermissionError, "ACCESS_DENIED"),
        ("426", 426, ChannelPermanentError, "version_sunset"),
        ("429", 429, ChannelRateLimited, "TOO_MANY_REQUESTS"),
        ("404-old", 404, ChannelNotFound, "404"),  # serviceErrorCode 0 says nothing
    ],
)
def test_linkedin_restli_errors_map_to_channel_errors(key, status, error, code):
    adapter = LinkedInAdapter(base_url="http://127.0.0.1:9", token="t", account_id="2414183")
    found = adapter._classify(status, payload("linkedin_errors.json")[key], {})
    assert isinstance(found, error)
    assert found.code == code


def test_x_adapter_declares_what_x_cannot_do():
    adapter = XAdapter(base_url="http://127.0.0.1:9", token="t", account_id=US)
    assert "delete" in adapter.unsupported
    assert "block" in adapter.unsupported
