"""YouTube adapter against the fake Data API v3 over real loopback HTTP."""

import pytest

from moderation.channels.base import (
    ActionNotSupported,
    ChannelAuthError,
    ChannelNotFound,
    ChannelPermanentError,
    ChannelRateLimited,
    ChannelUnavailable,
)
from tests.channels.networks import sweep

TENANT = {"id": "UCtenant0000000000000001", "name": "@janetenant"}


def comment(fake, text="A comment", **extra):
    return fake.admin("POST", "youtube/comments", {"text": text, "author": TENANT, **extra})


def video(fake, **extra):
    return fake.admin("POST", "youtube/videos", {"title": "A video", **extra})["id"]


def test_a_sweep_reads_published_and_held_threads_and_the_replies_that_do_not_fit_inline(
    fake_platforms, yt_adapter
):
    yt_adapter.page_size = 20
    vid = video(fake_platforms)
    tops = [comment(fake_platforms, f"top {i}", video_id=vid)["id"] for i in range(45)]
    held = comment(fake_platforms, "buy followers here", video_id=vid, status="heldForReview")["id"]
    replies = [comment(fake_platforms, f"reply {i}", video_id=vid, parent_id=tops[0])["id"] for i in range(8)]
    items, pages, roots, carry = sweep(yt_adapter)
    by_id = {i.platform_id: i for i in items}
    assert set(tops) | {held} | set(replies) == set(by_id)
    assert by_id[held].hidden is True
    assert by_id[tops[1]].hidden is False
    reply = by_id[replies[0]]
    assert (reply.kind, reply.parent_id, reply.thread_root_id) == ("reply", tops[0], vid)
    assert by_id[tops[1]].permalink == f"https://www.youtube.com/watch?v={vid}&lc={tops[1]}"
    # 3 pages published (20+20+5), 1 held, 1 page of replies for the thread with 8 (5 inline), 1 to close.
    assert pages == 3 + 1 + 1 + 1
    assert yt_adapter.units_spent == 5  # list calls cost 1 unit each
    assert roots == []  # incremental: absence is not deletion on YouTube
    assert carry["mark"]


def test_the_next_sweep_stops_at_the_high_water_mark(fake_platforms, yt_adapter):
    yt_adapter.page_size = 10
    yt_adapter.deep_every = 1000
    vid = video(fake_platforms)
    for i in range(40):
        comment(fake_platforms, f"old {i}", video_id=vid)
    _, first_pages, _, carry = sweep(yt_adapter)
    newer = comment(fake_platforms, "new one", video_id=vid)["id"]
    items, pages, _, _ = sweep(yt_adapter, carry)
    assert newer in {i.platform_id for i in items}
    assert first_pages == 3 + 1 + 1  # max_pages=3 published pages, held, close
    assert pages == 1 + 1 + 1  # one page reaches older threads and stops


def test_text_display_is_reduced_to_plain_text(fake_platforms, yt_adapter):
    vid = video(fake_platforms)
    comment(fake_platforms, 'Tom\'s flat & the "damp" <again>', video_id=vid)
    items, _, _, _ = sweep(yt_adapter)
    [item] = items
    assert item.text == 'Tom\'s flat & the "damp" <again>'
    assert "&#x27;" in item.raw["snippet"]["textDisplay"] or "&#39;" in item.raw["snippet"]["textDisplay"]


def test_an_edit_shows_in_the_next_sweep(fake_platforms, yt_adapter):
    vid = video(fake_platforms)
    cid = comment(fake_platforms, "Still no repair", video_id=vid)["id"]
    fake_platforms.admin("POST", f"youtube/comments/{cid}/edit", {"text": "Still no repair after 3 weeks"})
    assert yt_adapter.get_item(platform_id=cid).text == "Still no repair after 3 weeks"
    fake_platforms.admin("POST", f"youtube/comments/{cid}/delete")
    with pytest.raises(ChannelNotFound):
        yt_adapter.get_item(platform_id=cid)


def test_moderation_maps_to_set_moderation_status(fake_platforms, yt_adapter):
    vid = video(fake_platforms)
    cid = comment(fake_platforms, "nasty", video_id=vid)["id"]
    other = comment(fake_platforms, "nastier", video_id=vid)["id"]
    yt_adapter.hide(platform_id=cid)
    yt_adapter.unhide(platform_id=cid)
    yt_adapter.delete(platform_id=cid)  # someone else's comment: rejected, not deleted
    yt_adapter.block(author_id=TENANT["id"], platform_id=other)
    log = [e for e in fake_platforms.admin("GET", "actions")["log"] if e.get("platform") == "youtube"]
    assert [(e["action"], e["id"], e["ban"]) for e in log] == [
        ("hide", cid, False),
        ("unhide", cid, False),
        ("reject", cid, False),
        ("reject", other, True),
    ]
    assert fake_platforms.app.youtube.state["banned"] == [TENANT["id"]]
    assert yt_adapter.units_spent == 4 * 50
    with pytest.raises(ActionNotSupported):
        yt_adapter.unblock(author_id=TENANT["id"])
    with pytest.raises(ActionNotSupported):
        yt_adapter.block(author_id=TENANT["id"])  # a ban needs one of their comments


def test_reply_goes_to_the_top_level_comment(fake_platforms, yt_adapter):
    vid = video(fake_platforms)
    top = comment(fake_platforms, "Who do I call?", video_id=vid)["id"]
    nested = comment(fake_platforms, "Me too", video_id=vid, parent_id=top)["id"]
    new_id = yt_adapter.reply(platform_id=nested, text="Please call the repairs line")
    assert new_id.startswith(top + ".")


def test_quota_exceeded_waits_for_the_pacific_midnight_reset(fake_platforms, yt_adapter):
    fake_platforms.admin("POST", "youtube/quota", {"limit": 10_000, "used": 10_000})
    with pytest.raises(ChannelRateLimited) as caught:
        yt_adapter.fetch_page(cursor={})
    assert caught.value.code == "quotaExceeded"
    assert 1 <= caught.value.retry_after <= 86400


def test_the_adapter_refuses_up_front_what_the_day_cannot_afford(fake_platforms, yt_adapter):
    yt_adapter.units_used_today = 10_000 - 1_000  # only the officers' reserve is left
    with pytest.raises(ChannelRateLimited, match="reserve"):
        yt_adapter.fetch_page(cursor={})
    yt_adapter.units_used_today = 10_000 - 40
    with pytest.raises(ChannelRateLimited, match="costs 50"):
        yt_adapter.hide(platform_id="Ugz1")
    assert yt_adapter.api_calls == 0


def test_comments_disabled_and_forbidden_are_permanent(fake_platforms, yt_adapter):
    fake_platforms.admin("POST", "youtube/failures", {"failures": [{"kind": "forbidden"}]})
    with pytest.raises(ChannelPermanentError):
        yt_adapter.hide(platform_id="Ugz1")


def test_an_expired_token_needs_a_reconnect(fake_platforms, yt_adapter):
    fake_platforms.admin("POST", "youtube/tokens/expire")
    with pytest.raises(ChannelAuthError):
        yt_adapter.fetch_page(cursor={})


@pytest.mark.parametrize("kind", ["500", "503", "malformed", "rate_limit"])
def test_transient_answers_are_retried(fake_platforms, yt_adapter, kind):
    fake_platforms.admin("POST", "youtube/failures", {"failures": [{"kind": kind}]})
    with pytest.raises((ChannelUnavailable, ChannelRateLimited)) as caught:
        yt_adapter.fetch_page(cursor={})
    assert isinstance(caught.value, ChannelRateLimited) == (kind == "rate_limit")
    assert yt_adapter.fetch_page(cursor={}).done is False
