"""Instagram adapter against the fake Graph API over real loopback HTTP."""

import pytest

from moderation.channels.base import ActionNotSupported, ChannelAuthError, ChannelRateLimited
from moderation.channels.instagram import InstagramAdapter
from moderation.fakeplatforms import DEMO_IG_USER_ID


@pytest.fixture
def adapter(fake_platforms):
    return InstagramAdapter(
        base_url=fake_platforms.graph_url("instagram"),
        token=fake_platforms.page_token(),
        account_id=DEMO_IG_USER_ID,
        comment_limit=25,
    )


def sweep(adapter):
    cursor, items, pages = {}, [], 0
    while True:
        page = adapter.fetch_page(cursor=cursor)
        items += page.items
        pages += 1
        cursor = page.cursor
        if page.done:
            return items, pages


def test_comments_and_replies_across_pages(fake_platforms, adapter):
    media = fake_platforms.add_post("instagram", "Coffee morning photos")
    top = fake_platforms.add_comments(media["id"], 60, platform="instagram")
    replies = fake_platforms.add_comments(media["id"], 30, platform="instagram", parent_id=top[0])
    items, pages = sweep(adapter)
    got = [i.platform_id for i in items if i.kind != "post"]
    assert sorted(got) == sorted(top + replies)
    assert len(got) == len(set(got))
    assert pages == 1 + 3  # media page, then 60 top-level comments in pages of 25
    # 30 replies: 25 inline in the expansion, the rest from /{comment}/replies
    assert adapter.api_calls == pages + 1
    reply = next(i for i in items if i.platform_id == replies[-1])
    assert (reply.kind, reply.parent_id, reply.thread_root_id) == ("reply", top[0], media["id"])
    assert reply.author.handle.startswith("tenant")


def test_hide_delete_reply_reach_the_platform(fake_platforms, adapter):
    media = fake_platforms.add_post("instagram")
    first, second = fake_platforms.add_comments(media["id"], 2, platform="instagram")
    adapter.hide(platform_id=first)
    adapter.hide(platform_id=first)
    adapter.delete(platform_id=second)
    adapter.delete(platform_id=second)
    reply_id = adapter.reply(platform_id=first, text="Thanks, we'll look into it")
    top_level = adapter.reply(platform_id=media["id"], text="Thanks everyone", kind="post")
    actions = fake_platforms.admin("GET", "actions")
    assert actions["hidden"] == [first]
    assert actions["deleted"] == [second]
    assert {r["id"] for r in actions["replies"]} == {reply_id, top_level}


def test_ban_is_declared_unsupported_not_faked(fake_platforms, adapter):
    assert "block" not in adapter.capabilities
    with pytest.raises(ActionNotSupported):
        adapter.block(author_id="1")
    assert fake_platforms.admin("GET", "actions")["log"] == []


def test_rate_limit_80002_and_token_expiry(fake_platforms, adapter):
    fake_platforms.fail_next({"kind": "rate_limit", "id": DEMO_IG_USER_ID})
    with pytest.raises(ChannelRateLimited) as caught:
        adapter.fetch_page(cursor={})
    assert caught.value.code == 80002
    adapter.client._blocked_until = 0
    fake_platforms.admin("POST", "tokens/expire", {})
    with pytest.raises(ChannelAuthError):
        adapter.fetch_page(cursor={})
