"""Facebook adapter against the fake Graph API over real loopback HTTP."""

import pytest

from fakeplatforms import DEMO_PAGE_ID
from moderation.channels.base import (
    ChannelAuthError,
    ChannelNotFound,
    ChannelPermissionError,
    ChannelRateLimited,
    ChannelUnavailable,
    item_capabilities,
)
from moderation.channels.meta.facebook import FacebookPageAdapter


@pytest.fixture
def adapter(fake_platforms):
    return FacebookPageAdapter(
        base_url=fake_platforms.graph_url("facebook"),
        token=fake_platforms.page_token(),
        account_id=DEMO_PAGE_ID,
        comment_limit=25,
        timeout=(2.0, 5.0),
    )


def sweep(adapter, cursor=None):
    cursor, pages, items, roots = cursor or {}, 0, [], []
    while True:
        page = adapter.fetch_page(cursor=cursor)
        pages += 1
        items += page.items
        roots += page.completed_roots
        cursor = page.cursor
        if page.done:
            return items, pages, roots


def to_comments(adapter):
    """Posts page, then the (empty) tagged page: the cursor then points at the first post's comments."""
    cursor = {}
    while cursor.get("phase") != "comments":
        cursor = adapter.fetch_page(cursor=cursor).cursor
    return cursor


def test_pagination_across_many_pages_returns_every_comment_once(fake_platforms, adapter):
    post = fake_platforms.add_post()
    ids = fake_platforms.add_comments(post["id"], 230)
    replies = fake_platforms.add_comments(post["id"], 3, parent_id=ids[0])
    items, pages, roots = sweep(adapter)
    comment_ids = [i.platform_id for i in items if i.kind in ("comment", "reply")]
    assert sorted(comment_ids) == sorted(ids + replies)
    assert len(comment_ids) == len(set(comment_ids))
    assert pages == 1 + 1 + 10  # posts, tagged (none), then ceil(233 / 25) pages of comments
    assert adapter.api_calls == pages
    assert roots == [post["id"]]
    reply = next(i for i in items if i.platform_id == replies[0])
    assert (reply.kind, reply.parent_id, reply.thread_root_id) == ("reply", ids[0], post["id"])


def test_edit_and_platform_deletion_show_in_the_next_sweep(fake_platforms, adapter):
    post = fake_platforms.add_post()
    first, second = fake_platforms.add_comments(post["id"], 2)
    fake_platforms.admin("POST", f"comments/{first}/edit", {"text": "Edited: still no repair"})
    fake_platforms.admin("POST", f"comments/{second}/delete")
    items, _, roots = sweep(adapter)
    by_id = {i.platform_id: i for i in items}
    assert by_id[first].text == "Edited: still no repair"
    assert second not in by_id
    assert post["id"] in roots  # the listing was complete, so absence means deleted


def test_rate_limit_80001_raises_with_retry_after_from_the_usage_header(fake_platforms, adapter):
    fake_platforms.fail_next({"kind": "rate_limit", "id": DEMO_PAGE_ID, "regain_minutes": 7})
    with pytest.raises(ChannelRateLimited) as caught:
        adapter.fetch_page(cursor={})
    assert caught.value.code == 80001
    assert caught.value.retry_after == 7 * 60


def test_usage_header_backs_off_before_the_limit_is_hit(fake_platforms, adapter):
    fake_platforms.add_post()
    fake_platforms.admin("POST", "usage", {"id": DEMO_PAGE_ID, "percent": 93, "regain_minutes": 4})
    page = adapter.fetch_page(cursor={})  # succeeds, but reports 93% used
    assert page.items
    assert adapter.usage["percent"] == 93
    calls_before = fake_platforms.calls()
    with pytest.raises(ChannelRateLimited) as caught:
        adapter.fetch_page(cursor=page.cursor)
    assert caught.value.retry_after == pytest.approx(240, abs=2)
    assert fake_platforms.calls() == calls_before  # backed off without calling the platform


def test_real_throttle_after_too_many_calls(fake_platforms, adapter):
    fake_platforms.world.rate_limit_per_hour = 3
    fake_platforms.add_post()
    adapter.client.backoff_percent = 1000  # ignore the header warning; hit the hard limit instead
    for _ in range(2):
        adapter.fetch_page(cursor={})
    with pytest.raises(ChannelRateLimited) as caught:  # the third call in the hour reaches 100%
        adapter.fetch_page(cursor={})
    assert caught.value.code == 80001


def test_expired_token_is_code_190_auth_error(fake_platforms, adapter):
    fake_platforms.admin("POST", "tokens/expire", {"token": adapter.client.token})
    with pytest.raises(ChannelAuthError) as caught:
        adapter.fetch_page(cursor={})
    assert caught.value.code == 190
    assert caught.value.payload["error_subcode"] == 463


def test_revoked_token_is_auth_error(fake_platforms, adapter):
    fake_platforms.admin("POST", "tokens/revoke", {})
    with pytest.raises(ChannelAuthError):
        adapter.fetch_page(cursor={})


@pytest.mark.parametrize("kind", ["500", "503"])
def test_transient_error_then_success(fake_platforms, adapter, kind):
    fake_platforms.add_post()
    fake_platforms.fail_next({"kind": kind})
    with pytest.raises(ChannelUnavailable):
        adapter.fetch_page(cursor={})
    assert adapter.fetch_page(cursor={}).items


def test_malformed_json_is_transient(fake_platforms, adapter):
    fake_platforms.fail_next({"kind": "malformed"})
    with pytest.raises(ChannelUnavailable, match="malformed"):
        adapter.fetch_page(cursor={})


def test_missing_from_keeps_the_item_without_an_author(fake_platforms, adapter):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 1)
    cursor = to_comments(adapter)
    fake_platforms.fail_next({"kind": "drop_field", "field": "from"})
    comments = adapter.fetch_page(cursor=cursor).items
    assert len(comments) == 1
    assert comments[0].author is None
    assert "from" not in comments[0].raw


def test_missing_id_is_skipped_and_counted(fake_platforms, adapter):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 2)
    cursor = to_comments(adapter)
    fake_platforms.fail_next({"kind": "drop_field", "field": "id"})
    result = adapter.fetch_page(cursor=cursor)
    assert (result.items, result.skipped) == ([], 2)


def test_unknown_field_is_ignored_and_kept_in_raw(fake_platforms, adapter):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 1)
    cursor = to_comments(adapter)
    fake_platforms.fail_next({"kind": "extra_field", "field": "reactions_v9", "value": {"like": 3}})
    [comment] = adapter.fetch_page(cursor=cursor).items
    assert comment.raw["reactions_v9"] == {"like": 3}
    assert comment.text == "comment 0"


def test_actions_reach_the_platform_and_repeat_safely(fake_platforms, adapter):
    post = fake_platforms.add_post()
    first, second = fake_platforms.add_comments(post["id"], 2)
    adapter.hide(platform_id=first)
    adapter.hide(platform_id=first)  # re-hiding is fine
    adapter.unhide(platform_id=first)
    adapter.delete(platform_id=second)
    adapter.delete(platform_id=second)  # already deleted counts as done
    reply_id = adapter.reply(platform_id=first, text="Please DM us your address")
    adapter.block(author_id="7281930000001")
    actions = fake_platforms.admin("GET", "actions")
    assert actions["hidden"] == []
    assert actions["deleted"] == [second]
    assert [(r["parent"], r["id"], r["message"]) for r in actions["replies"]] == [
        (first, reply_id, "Please DM us your address")
    ]
    assert actions["blocked"][DEMO_PAGE_ID] == ["7281930000001"]
    assert [e["action"] for e in actions["log"]] == ["hide", "hide", "unhide", "delete", "reply", "block"]
    fetched = adapter.get_item(platform_id=first)
    assert (fetched.platform_id, fetched.hidden) == (first, False)


# -- mentions: posts by others that tag the Page -------------------------------------------


def test_tagged_phase_pages_newest_first_and_resumes_from_the_cursor(fake_platforms):
    post = fake_platforms.add_post()
    [comment] = fake_platforms.add_comments(post["id"], 1)
    mentions = fake_platforms.add_mentions(23)
    token = fake_platforms.page_token()
    first = FacebookPageAdapter(
        base_url=fake_platforms.graph_url("facebook"), token=token, account_id=DEMO_PAGE_ID, post_limit=10
    )
    posts_page = first.fetch_page(cursor={})
    assert posts_page.cursor == {"phase": "mentions", "queue": [post["id"]]}
    page_one = first.fetch_page(cursor=posts_page.cursor)
    assert [i.platform_id for i in page_one.items] == mentions[::-1][:10]  # newest first
    assert page_one.cursor["phase"] == "mentions"
    assert page_one.cursor["queue"] == [post["id"]]
    assert not page_one.done
    # A new adapter (a new poll after a crash) resumes from the stored cursor.
    second = FacebookPageAdapter(
        base_url=fake_platforms.graph_url("facebook"), token=token, account_id=DEMO_PAGE_ID, post_limit=10
    )
    items, pages, roots = sweep(second, cursor=page_one.cursor)
    got = [i.platform_id for i in page_one.items + items if i.kind == "mention"]
    assert sorted(got) == sorted(mentions)
    assert len(got) == len(set(got))
    assert pages == 2 + 1  # tagged pages 2 and 3 (10 + 3), then the post's comments
    assert [i.platform_id for i in items if i.kind == "comment"] == [comment]
    assert roots == [post["id"]]  # a mention is not a thread root: its comments are not swept
    tagged = page_one.items[0]
    assert tagged.author.platform_user_id == "7281931000022"
    assert tagged.author.display_name == "Tagger 22"
    assert (tagged.text, tagged.parent_id, tagged.thread_root_id) == ("mention 22", None, None)
    assert tagged.permalink.startswith("https://www.facebook.com/")
    assert tagged.created_at is not None


def test_tagged_phase_stops_at_max_mentions(fake_platforms):
    fake_platforms.add_mentions(30)
    adapter = FacebookPageAdapter(
        base_url=fake_platforms.graph_url("facebook"),
        token=fake_platforms.page_token(),
        account_id=DEMO_PAGE_ID,
        post_limit=10,
        max_mentions=20,
    )
    items, pages, _ = sweep(adapter)
    assert len([i for i in items if i.kind == "mention"]) == 20
    assert pages == 1 + 2  # posts (none), two pages of tagged posts; no posts means no comment phase


def test_get_mention_reads_the_post_a_webhook_names(fake_platforms, adapter):
    [mention] = fake_platforms.add_mentions(1)
    item = adapter.get_mention(ref={"item": "post", "post_id": mention})
    assert (item.platform_id, item.kind, item.text) == (mention, "mention", "mention 0")
    assert item.author.display_name == "Tagger 0"
    fake_platforms.admin("POST", f"comments/{mention}/delete")  # the author deleted the post
    with pytest.raises(ChannelNotFound):
        adapter.get_mention(ref={"item": "post", "post_id": mention})


def test_page_cannot_hide_or_delete_a_post_that_tags_it_but_can_comment(fake_platforms, adapter):
    [mention] = fake_platforms.add_mentions(1)
    with pytest.raises(ChannelPermissionError):
        adapter.hide(platform_id=mention)
    with pytest.raises(ChannelPermissionError):
        adapter.delete(platform_id=mention)
    reply_id = adapter.reply(platform_id=mention, text="Sorry to hear this, please DM us", kind="mention")
    actions = fake_platforms.admin("GET", "actions")
    assert [(r["parent"], r["id"]) for r in actions["replies"]] == [(mention, reply_id)]
    assert actions["hidden"] == actions["deleted"] == []
    assert item_capabilities(adapter, "mention") == frozenset({"reply", "block"})
    assert item_capabilities(adapter, "comment") == adapter.capabilities
    assert "dm" not in adapter.item_kinds
