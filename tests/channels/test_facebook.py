"""Facebook adapter against the fake Graph API over real loopback HTTP."""

import pytest

from moderation.channels.base import (
    ChannelAuthError,
    ChannelRateLimited,
    ChannelUnavailable,
)
from moderation.channels.facebook import FacebookPageAdapter
from moderation.fakeplatforms import DEMO_PAGE_ID


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


def test_pagination_across_many_pages_returns_every_comment_once(fake_platforms, adapter):
    post = fake_platforms.add_post()
    ids = fake_platforms.add_comments(post["id"], 230)
    replies = fake_platforms.add_comments(post["id"], 3, parent_id=ids[0])
    items, pages, roots = sweep(adapter)
    comment_ids = [i.platform_id for i in items if i.kind in ("comment", "reply")]
    assert sorted(comment_ids) == sorted(ids + replies)
    assert len(comment_ids) == len(set(comment_ids))
    assert pages == 1 + 10  # one page of posts, then ceil(233 / 25) pages of comments
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
    page = adapter.fetch_page(cursor={})
    fake_platforms.fail_next({"kind": "drop_field", "field": "from"})
    comments = adapter.fetch_page(cursor=page.cursor).items
    assert len(comments) == 1
    assert comments[0].author is None
    assert "from" not in comments[0].raw


def test_missing_id_is_skipped_and_counted(fake_platforms, adapter):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 2)
    page = adapter.fetch_page(cursor={})
    fake_platforms.fail_next({"kind": "drop_field", "field": "id"})
    result = adapter.fetch_page(cursor=page.cursor)
    assert (result.items, result.skipped) == ([], 2)


def test_unknown_field_is_ignored_and_kept_in_raw(fake_platforms, adapter):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 1)
    page = adapter.fetch_page(cursor={})
    fake_platforms.fail_next({"kind": "extra_field", "field": "reactions_v9", "value": {"like": 3}})
    [comment] = adapter.fetch_page(cursor=page.cursor).items
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
