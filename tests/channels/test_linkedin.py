"""LinkedIn adapter against the fake Community Management API over real loopback HTTP."""

import pytest
import requests

from fakeplatforms.linkedin import DEMO_LI_ORG
from moderation.channels.base import (
    ActionNotSupported,
    ChannelAuthError,
    ChannelPermanentError,
    ChannelRateLimited,
    ChannelUnavailable,
)
from tests.channels.networks import sweep


def li_post(fake, text="A post"):
    return fake.admin("POST", "linkedin/posts", {"text": text})["id"]


def li_comment(fake, post, text="A comment", **extra):
    return fake.admin("POST", "linkedin/comments", {"post": post, "text": text, **extra})["id"]


def test_a_sweep_pages_posts_comments_and_replies_and_completes_each_post(fake_platforms, li_adapter):
    posts = [li_post(fake_platforms, f"post {i}") for i in range(12)]
    comments = [li_comment(fake_platforms, posts[0], f"comment {i}") for i in range(23)]
    replies = [li_comment(fake_platforms, posts[0], f"reply {i}", parent=comments[2]) for i in range(3)]
    by_org = li_comment(fake_platforms, posts[1], "Great work!", actor="urn:li:organization:5550101")
    items, pages, roots, carry = sweep(li_adapter)
    by_id = {i.platform_id: i for i in items}
    assert {i.platform_id for i in items if i.kind == "post"} == set(posts)
    assert sorted(i for i in by_id if i.startswith("urn:li:comment")) == sorted([*comments, *replies, by_org])
    reply = by_id[replies[0]]
    assert (reply.kind, reply.parent_id, reply.thread_root_id) == ("reply", comments[2], posts[0])
    assert by_id[comments[0]].created_at is not None
    assert by_id[by_org].author.platform_user_id == "urn:li:organization:5550101"
    assert (by_id[by_org].author.handle, by_id[by_org].author.display_name) == ("", "Organization 5550101")
    assert sorted(roots) == sorted(posts)
    # 2 pages of posts (10 + 2); post 0: 3 pages of comments + 1 of replies; 11 other posts: 1 each.
    assert pages == 2 + 3 + 1 + 11
    assert carry == {}


def test_a_comment_missing_from_a_complete_listing_was_deleted_and_edits_show(fake_platforms, li_adapter):
    post = li_post(fake_platforms)
    first, second = li_comment(fake_platforms, post, "first"), li_comment(fake_platforms, post, "second")
    fake_platforms.admin("POST", f"linkedin/comments/{first}/edit", {"text": "first, edited"})
    fake_platforms.admin("POST", f"linkedin/comments/{second}/delete")
    items, _, roots, _ = sweep(li_adapter)
    by_id = {i.platform_id: i for i in items}
    assert by_id[first].text == "first, edited"
    assert second not in by_id
    assert post in roots


def test_every_call_sends_the_versioned_headers_and_a_sunset_version_is_a_settings_problem(
    fake_platforms, li_adapter
):
    li_post(fake_platforms)
    token = li_adapter.rest.token
    bare = requests.get(
        fake_platforms.graph_url("linkedin") + "/rest/posts",
        params={"q": "author", "author": DEMO_LI_ORG},
        headers={"Authorization": f"Bearer {token}", "X-Restli-Protocol-Version": "2.0.0"},
        timeout=5,
    )
    assert bare.status_code == 400
    assert bare.json()["code"] == "VERSION_MISSING"
    li_adapter.rest.headers["LinkedIn-Version"] = li_adapter.version = "202401"
    with pytest.raises(ChannelPermanentError, match="LINKEDIN_VERSION") as caught:
        li_adapter.fetch_page(cursor={})
    assert caught.value.code == "version_sunset"


def test_reply_as_the_organisation_and_delete(fake_platforms, li_adapter):
    post = li_post(fake_platforms)
    top = li_comment(fake_platforms, post, "Who do I call about damp?")
    new_urn = li_adapter.reply(platform_id=top, text="Please call 0300 000 0000")
    on_post = li_adapter.reply(platform_id=post, text="Thanks all")
    created = {o["id"]: o for o in fake_platforms.admin("GET", "linkedin/objects")["data"]}
    assert created[new_urn]["actor"] == DEMO_LI_ORG
    assert created[new_urn]["parent"] == top
    assert created[on_post]["parent"] is None
    li_adapter.delete(platform_id=top)
    li_adapter.delete(platform_id=top)  # already gone: done
    log = [
        (e["action"], e["id"])
        for e in fake_platforms.admin("GET", "actions")["log"]
        if e.get("platform") == "linkedin"
    ]
    assert log == [("reply", top), ("reply", post), ("delete", top)]


def test_a_refused_delete_says_what_to_do_instead(fake_platforms, li_adapter):
    post = li_post(fake_platforms)
    top = li_comment(fake_platforms, post, "spam")
    fake_platforms.admin("POST", "linkedin/settings", {"member_deletes": False})
    with pytest.raises(ChannelPermanentError, match="report it to LinkedIn"):
        li_adapter.delete(platform_id=top)


def test_hide_and_block_are_declared_unsupported(li_adapter):
    assert {"hide", "block"}.isdisjoint(li_adapter.capabilities)
    with pytest.raises(ActionNotSupported, match="no API to hide"):
        li_adapter.hide(platform_id="urn:li:comment:(urn:li:activity:1,2)")
    with pytest.raises(ActionNotSupported):
        li_adapter.block(author_id="urn:li:person:x")


def test_throttle_waits_until_midnight_utc(fake_platforms, li_adapter):
    fake_platforms.admin("POST", "linkedin/settings", {"daily_limit": 1})
    li_adapter.fetch_page(cursor={})
    with pytest.raises(ChannelRateLimited) as caught:
        li_adapter.fetch_page(cursor={})
    assert caught.value.code == "TOO_MANY_REQUESTS"
    assert 60 <= caught.value.retry_after <= 86400


@pytest.mark.parametrize("step", ["expire", "revoke"])
def test_expired_or_revoked_tokens_need_a_reconnect(fake_platforms, li_adapter, step):
    fake_platforms.admin("POST", f"linkedin/tokens/{step}", {})
    with pytest.raises(ChannelAuthError) as caught:
        li_adapter.fetch_page(cursor={})
    assert caught.value.code == ("EXPIRED_ACCESS_TOKEN" if step == "expire" else "REVOKED_ACCESS_TOKEN")


@pytest.mark.parametrize("kind", ["500", "503", "malformed"])
def test_transient_answers_are_retried(fake_platforms, li_adapter, kind):
    fake_platforms.admin("POST", "linkedin/failures", {"failures": [{"kind": kind}]})
    with pytest.raises(ChannelUnavailable):
        li_adapter.fetch_page(cursor={})
    assert li_adapter.fetch_page(cursor={}).done is True  # no posts: the sweep is over at once
