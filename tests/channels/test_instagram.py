"""Instagram adapter against the fake Graph API over real loopback HTTP."""

import pytest

from fakeplatforms import DEMO_IG_USER_ID
from moderation.channels.base import (
    ActionNotSupported,
    ChannelAuthError,
    ChannelNotFound,
    ChannelPermanentError,
    ChannelRateLimited,
    item_capabilities,
)
from moderation.channels.meta.instagram import InstagramAdapter


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
    assert pages == 1 + 1 + 3  # media page, tagged-media page, then 60 top-level comments in pages of 25
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


# -- mentions: by webhook only, read through the mentioned_* expansions ---------------------


def test_mentioned_comment_and_media_are_read_by_id(fake_platforms, adapter):
    [comment_id] = fake_platforms.add_mentions(1, platform="instagram", on="comment")
    [media_id] = fake_platforms.add_mentions(1, platform="instagram", on="media")
    on_media = fake_platforms.world.data["objects"][comment_id]["media"]
    comment = adapter.get_mention(ref={"comment_id": comment_id, "media_id": on_media})
    assert (comment.platform_id, comment.kind, comment.text) == (comment_id, "mention", "mention 0")
    assert (comment.author.platform_user_id, comment.author.handle) == ("1784141000000", "tagger0")
    assert comment.raw["webhook"] == {"comment_id": comment_id, "media_id": on_media}
    assert comment.parent_id is None
    assert comment.thread_root_id is None
    caption = adapter.get_mention(ref={"media_id": media_id})
    assert (caption.platform_id, caption.kind, caption.text) == (media_id, "mention", "mention 0")
    # mentioned_media names the owner but gives no id: the handle stands in, marked with "@"
    assert (caption.author.platform_user_id, caption.author.handle) == ("@tagger0", "tagger0")
    assert caption.permalink.startswith("https://www.instagram.com/p/")
    assert adapter.api_calls == 2
    # Mentions are not listed by the sweep: Instagram has no edge for them.
    items, _ = sweep(adapter)
    assert [i for i in items if i.kind == "mention"] == []


def test_unknown_or_malformed_mention_ids(fake_platforms, adapter):
    media = fake_platforms.add_post("instagram")
    [own_comment] = fake_platforms.add_comments(media["id"], 1, platform="instagram")
    with pytest.raises(ChannelNotFound):  # a comment that does not mention the account
        adapter.get_mention(ref={"comment_id": own_comment, "media_id": media["id"]})
    calls = adapter.api_calls
    with pytest.raises(ChannelPermanentError):  # never sent: it would rewrite the field expansion
        adapter.get_mention(ref={"media_id": "1){id},access_token{"})
    assert adapter.api_calls == calls


def test_mentions_cannot_be_hidden_deleted_or_replied_to(fake_platforms, adapter):
    assert item_capabilities(adapter, "mention") == frozenset()
    assert item_capabilities(adapter, "comment") == {"hide", "delete", "reply"}
    assert "dm" not in adapter.item_kinds
    with pytest.raises(ActionNotSupported):
        adapter.reply(platform_id="17873440459000001", text="Thanks", kind="mention")
    assert fake_platforms.admin("GET", "actions")["log"] == []
