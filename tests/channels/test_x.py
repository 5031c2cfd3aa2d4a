"""X adapter against the fake X API v2 over real loopback HTTP."""

import pytest

from fakeplatforms.x import DEMO_X_USER_ID
from moderation.channels.base import (
    ActionNotSupported,
    ChannelAuthError,
    ChannelNotFound,
    ChannelPermanentError,
    ChannelRateLimited,
    ChannelUnavailable,
)
from tests.channels.networks import sweep


def post(fake, text, *, author=DEMO_X_USER_ID, reply_to="", **extra):
    return fake.admin("POST", "x/posts", {"text": text, "author_id": author, "reply_to": reply_to, **extra})


def tenant(n):
    return str(2244994945 + n)


def test_a_sweep_pages_through_posts_mentions_and_conversation_replies(fake_platforms, x_adapter):
    x_adapter.page_size = 10
    root = post(fake_platforms, "Our repairs line is open all weekend")
    replies = [
        post(fake_platforms, f"reply {i}", author=tenant(i % 7), reply_to=root["id"])["id"] for i in range(23)
    ]
    mention = post(fake_platforms, "@Havebury is the office open?", author=tenant(9))["id"]
    items, pages, _, carry = sweep(x_adapter)
    by_id = {i.platform_id: i for i in items}
    assert by_id[root["id"]].kind == "post"
    assert by_id[root["id"]].author is None
    assert sorted({i.platform_id for i in items if i.kind == "reply"}) == sorted(replies)
    assert by_id[mention].kind == "mention"
    reply = by_id[replies[0]]
    assert (reply.parent_id, reply.thread_root_id) == (root["id"], root["id"])
    assert reply.author.handle.startswith("@")
    assert reply.permalink.endswith(f"/status/{replies[0]}")
    # Replies to us also @mention us, so mentions lists them (3 pages of 10) and the search
    # leaves them out (-@Havebury): one empty page.
    assert pages == 1 + 3 + 1 + 1
    assert x_adapter.api_calls == pages - 1  # the last page only closes the sweep
    assert carry["since"]["mentions"]
    assert root["id"] in carry["own"]


def test_the_next_sweep_reads_only_what_is_new(fake_platforms, x_adapter):
    root = post(fake_platforms, "Bin collections change next week")
    post(fake_platforms, "first", author=tenant(1), reply_to=root["id"])
    _, _, _, carry = sweep(x_adapter)
    reads_before = x_adapter.units_spent
    newer = post(fake_platforms, "second", author=tenant(2), reply_to=root["id"])
    items, _, _, _ = sweep(x_adapter, carry)
    assert {i.platform_id for i in items} == {newer["id"]}
    assert x_adapter.units_spent - reads_before == 1  # the new reply, read once (from mentions)


def test_a_reply_that_does_not_mention_us_is_found_by_conversation_search(fake_platforms, x_adapter):
    root = post(fake_platforms, "Community fun day on Saturday")
    first = post(fake_platforms, "Will there be a bouncy castle?", author=tenant(1), reply_to=root["id"])
    # A reply to the tenant, not to us: X prefixes the tenant's handle, not ours.
    nested = post(fake_platforms, "I hope so!", author=tenant(2), reply_to=first["id"])
    items, _, _, _ = sweep(x_adapter)
    found = {i.platform_id: i for i in items}[nested["id"]]
    assert found.kind == "reply"
    assert found.parent_id == first["id"]
    assert not x_adapter.can_reply(found.raw)  # not summoned: X would refuse our reply
    assert x_adapter.can_reply({i.platform_id: i for i in items}[first["id"]].raw)


def test_an_edit_keeps_the_first_id_and_brings_the_new_text(fake_platforms, x_adapter):
    root = post(fake_platforms, "Rent statements are out")
    reply = post(fake_platforms, "Mine is wrong", author=tenant(1), reply_to=root["id"])
    _, _, _, carry = sweep(x_adapter)
    fake_platforms.admin("POST", f"x/posts/{reply['id']}/edit", {"text": "Mine is wrong, call me"})
    items, _, _, _ = sweep(x_adapter, carry)
    edited = {i.platform_id: i for i in items}[reply["id"]]
    assert edited.text.endswith("Mine is wrong, call me")
    assert len(edited.raw["edit_history_tweet_ids"]) == 2


def test_a_deleted_post_reads_as_not_found(fake_platforms, x_adapter):
    reply = post(fake_platforms, "@Havebury oops", author=tenant(1))
    assert x_adapter.get_item(platform_id=reply["id"]).text == "@Havebury oops"
    fake_platforms.admin("POST", f"x/posts/{reply['id']}/delete")
    with pytest.raises(ChannelNotFound):
        x_adapter.get_item(platform_id=reply["id"])


def test_suspended_authors_and_partial_errors_do_not_lose_the_page(fake_platforms, x_adapter):
    post(fake_platforms, "@Havebury spam spam", author="777", suspended=True)
    post(fake_platforms, "@Havebury hello", author=tenant(3))
    fake_platforms.admin("POST", "x/failures", {"failures": [{"kind": "partial"}]})
    items = x_adapter.fetch_page(cursor={"phase": "mentions"}).items
    by_text = {i.text: i for i in items}
    assert by_text["@Havebury spam spam"].author.platform_user_id == "777"
    assert by_text["@Havebury spam spam"].author.handle == ""  # no includes.users entry for them
    assert by_text["@Havebury hello"].author.handle.startswith("@")


def test_429_uses_x_rate_limit_reset(fake_platforms, x_adapter):
    fake_platforms.admin("POST", "x/failures", {"failures": [{"kind": "rate_limit", "reset_in": 120}]})
    with pytest.raises(ChannelRateLimited) as caught:
        x_adapter.fetch_page(cursor={})
    assert caught.value.code == "rate-limit"
    assert 100 < caught.value.retry_after <= 120


def test_a_used_up_window_is_not_called_again_until_it_resets(fake_platforms, x_adapter):
    x_adapter.fetch_page(cursor={})
    assert x_adapter.usage["rate_limits"]["posts"]["remaining"] == 899
    x_adapter.client.limits["posts"]["remaining"] = 0
    calls = x_adapter.api_calls
    with pytest.raises(ChannelRateLimited):
        x_adapter.fetch_page(cursor={})
    assert x_adapter.api_calls == calls


def test_usage_capped_waits_for_the_next_cycle(fake_platforms, x_adapter):
    fake_platforms.admin("POST", "x/cap", {"monthly_cap": 1})
    post(fake_platforms, "one")
    post(fake_platforms, "two")
    with pytest.raises(ChannelRateLimited) as caught:
        x_adapter.fetch_page(cursor={})
    assert caught.value.code == "usage-capped"
    assert caught.value.retry_after >= 60


def test_an_expired_token_needs_a_reconnect(fake_platforms, x_adapter):
    fake_platforms.admin("POST", "x/tokens/expire")
    with pytest.raises(ChannelAuthError):
        x_adapter.fetch_page(cursor={})


@pytest.mark.parametrize("kind", ["500", "503", "malformed"])
def test_transient_and_malformed_answers_are_retried(fake_platforms, x_adapter, kind):
    fake_platforms.admin("POST", "x/failures", {"failures": [{"kind": kind}]})
    with pytest.raises(ChannelUnavailable):
        x_adapter.fetch_page(cursor={})
    assert x_adapter.fetch_page(cursor={}).done is False  # the next call goes through


def test_hide_and_unhide_a_reply_in_our_conversation_only(fake_platforms, x_adapter):
    root = post(fake_platforms, "Our new office hours")
    reply = post(fake_platforms, "rubbish", author=tenant(1), reply_to=root["id"])
    elsewhere = post(fake_platforms, "@Havebury look at this", author=tenant(2))
    x_adapter.hide(platform_id=reply["id"])
    x_adapter.hide(platform_id=reply["id"])  # idempotent
    x_adapter.unhide(platform_id=reply["id"])
    with pytest.raises(ChannelPermanentError):
        x_adapter.hide(platform_id=elsewhere["id"])
    log = [
        (e["action"], e["id"])
        for e in fake_platforms.admin("GET", "actions")["log"]
        if e.get("platform") == "x"
    ]
    assert log == [("hide", reply["id"]), ("hide", reply["id"]), ("unhide", reply["id"])]


def test_reply_only_where_the_author_summoned_us(fake_platforms, x_adapter):
    mention = post(fake_platforms, "@Havebury my boiler is broken", author=tenant(1))
    bystander = post(fake_platforms, "Nothing to do with them", author=tenant(2))
    new_id = x_adapter.reply(platform_id=mention["id"], text="Sorry to hear that, please DM us")
    assert fake_platforms.app.x.tweet(new_id)["conversation_id"] == mention["id"]
    with pytest.raises(ChannelPermanentError, match="mentioned, replied to or quoted"):
        x_adapter.reply(platform_id=bystander["id"], text="Hello")


def test_block_is_a_mute_and_delete_is_declared_unsupported(fake_platforms, x_adapter):
    post(fake_platforms, "@Havebury hi", author=tenant(4))
    x_adapter.block(author_id=tenant(4))
    assert fake_platforms.app.x.state["muted"] == [tenant(4)]
    assert x_adapter.block_restriction == "mute"
    x_adapter.unblock(author_id=tenant(4))
    assert fake_platforms.app.x.state["muted"] == []
    with pytest.raises(ActionNotSupported, match="only its own posts"):
        x_adapter.delete(platform_id="1")
    assert "delete" not in x_adapter.capabilities


def test_the_account_username_is_looked_up_once_and_carried(fake_platforms, x_adapter):
    x_adapter.username = ""
    _, _, _, carry = sweep(x_adapter)
    assert carry["username"] == "Havebury"
    calls = x_adapter.api_calls
    sweep(x_adapter, carry)
    assert x_adapter.api_calls - calls == 2  # posts and mentions; nothing to search; no users/me


def test_the_monthly_budget_is_spread_in_even_daily_shares():
    from datetime import UTC, datetime

    from moderation.channels.x.budget import ReadBudget

    noon = datetime(2026, 12, 2, 12, tzinfo=UTC).timestamp()  # 30 days left in December, today included
    plan = ReadBudget(monthly=3000, used_month=500, used_today=20, now=noon)
    assert plan.days_left == 30
    assert plan.daily_share == (3000 - 480) / 30
    assert plan.today_left == 84 - 20
    assert plan.seconds_to_tomorrow == 12 * 3600
    assert ReadBudget(monthly=0, used_month=9, used_today=9, now=noon).as_dict() == {}


def test_a_day_whose_share_is_read_waits_for_tomorrow_without_calling(fake_platforms, x_adapter):
    x_adapter.monthly_read_budget = 3000
    x_adapter.units_used_month = x_adapter.units_used_today = 3000
    with pytest.raises(ChannelRateLimited) as caught:
        x_adapter.fetch_page(cursor={})
    assert caught.value.code == "read_budget"
    assert x_adapter.api_calls == 0
    assert x_adapter.usage["budget_left_month"] == 0
